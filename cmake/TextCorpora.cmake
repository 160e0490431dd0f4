# Text corpora compiled into the lessons, generated at configure time from Debian packages
# (nothing third-party is committed). The language-model lesson's largest preset is the Book
# of Genesis (King James Version, public domain), printed by the `bible` tool of the Debian
# packages bible-kjv and bible-kjv-text with the verse labels ("Ge1:1 ") stripped.
# Without the tool the generated source embeds nothing and the lesson says what to install.
set(LATENTLAB_GENESIS_TXT ${CMAKE_BINARY_DIR}/generated/genesis_kjv.txt)
set(LATENTLAB_GENESIS_CPP ${CMAKE_BINARY_DIR}/generated/corpus_genesis_kjv.cpp)
find_program(LATENTLAB_BIBLE bible NO_CMAKE_FIND_ROOT_PATH)
# Generated once; again when an earlier configure ran without the tool and it is there now.
set(genesis_missing TRUE)
if(EXISTS ${LATENTLAB_GENESIS_TXT})
  file(SIZE ${LATENTLAB_GENESIS_TXT} genesis_size)
  if(genesis_size GREATER 0)
    set(genesis_missing FALSE)
  endif()
endif()
if(NOT EXISTS ${LATENTLAB_GENESIS_CPP} OR (genesis_missing AND LATENTLAB_BIBLE))
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/generated)
  set(genesis_text "")
  if(LATENTLAB_BIBLE)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env COLUMNS=100000 ${LATENTLAB_BIBLE} -f gen1:1-50:26
                    OUTPUT_VARIABLE genesis_text RESULT_VARIABLE bible_result)
    if(NOT bible_result EQUAL 0)
      set(genesis_text "")
    endif()
    string(REGEX REPLACE "Ge[0-9]+:[0-9]+ " "" genesis_text "${genesis_text}")
  endif()
  if(genesis_text STREQUAL "")
    message(WARNING "Genesis corpus not embedded: install the Debian packages bible-kjv and bible-kjv-text "
                    "(./lab deps); the language-model lesson will say the preset is missing.")
  else()
    message(STATUS "Embedding Genesis (KJV) from bible-kjv-text")
  endif()
  file(WRITE ${LATENTLAB_GENESIS_TXT} "${genesis_text}")
  execute_process(COMMAND ${CMAKE_COMMAND} -DINPUT=${LATENTLAB_GENESIS_TXT} -DOUTPUT=${LATENTLAB_GENESIS_CPP}
                          -DSYMBOL=corpus_genesis_kjv -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFile.cmake
                  RESULT_VARIABLE embed_result)
  if(NOT embed_result EQUAL 0)
    message(FATAL_ERROR "embedding ${LATENTLAB_GENESIS_TXT} failed")
  endif()
endif()
