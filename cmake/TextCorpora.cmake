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

# Chinese corpora (assets/prepare_zh_corpus.py says what and how): Tang and Song poems
# from fortunes-zh, embedded in the lessons; modern prose from fortunes-zh, manpages-zh and
# debian-reference-zh-cn, segmented into words by python3-jieba, written to the asset directory
# (the word2vec lesson fetches it when chosen). Made at configure time, again when the script
# changes. The CJK font subset takes the poems' characters and those of the prose that can
# show in a word. Missing packages leave them empty and the lessons say what to install.
set(LATENTLAB_ZH_DIR ${CMAKE_BINARY_DIR}/generated/zh)
set(LATENTLAB_ZH_PROSE ${LATENTLAB_ASSET_DIR}/zh-prose.txt)
set(LATENTLAB_ZH_PROSE_CHARS ${LATENTLAB_ZH_DIR}/zh-prose-chars.txt)
set(LATENTLAB_ZH_POEM_FILES)
foreach(poems tang300 song100)
  list(APPEND LATENTLAB_ZH_POEM_FILES ${LATENTLAB_ZH_DIR}/${poems}.txt)  # (${poems}-titles.tsv: metadata, not compiled)
endforeach()
include(PythonWith)
set(zh_script ${CMAKE_SOURCE_DIR}/assets/prepare_zh_corpus.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${zh_script})
file(MD5 ${zh_script} zh_script_md5)
set(zh_stamp ${LATENTLAB_ZH_DIR}/made-by-${zh_script_md5})
if(NOT EXISTS ${zh_stamp} OR NOT EXISTS ${LATENTLAB_ZH_PROSE})
  file(MAKE_DIRECTORY ${LATENTLAB_ZH_DIR} ${LATENTLAB_ASSET_DIR})
  file(GLOB old_stamps ${LATENTLAB_ZH_DIR}/made-by-*)
  if(old_stamps)
    file(REMOVE ${old_stamps})
  endif()
  unset(zh_python)
  latentlab_python_with(jieba zh_python)
  if(NOT zh_python OR NOT EXISTS /usr/share/games/fortunes/tang300)
    message(WARNING "Chinese corpora not made: install the Debian packages fortunes-zh, manpages-zh, "
                    "debian-reference-zh-cn and python3-jieba (./lab deps). The lessons will say they are missing.")
    foreach(f ${LATENTLAB_ZH_POEM_FILES} ${LATENTLAB_ZH_PROSE} ${LATENTLAB_ZH_PROSE_CHARS})
      file(WRITE ${f} "")
    endforeach()
  else()
    # The prose is written beside and renamed, so a reader never sees half a file.
    execute_process(COMMAND ${zh_python} ${zh_script} poems ${LATENTLAB_ZH_DIR} RESULT_VARIABLE poems_result)
    execute_process(COMMAND ${zh_python} ${zh_script} prose ${LATENTLAB_ZH_DIR}/zh-prose.txt.new
                            ${LATENTLAB_ZH_PROSE_CHARS} RESULT_VARIABLE prose_result)
    if(NOT poems_result EQUAL 0 OR NOT prose_result EQUAL 0)
      message(FATAL_ERROR "assets/prepare_zh_corpus.py failed")
    endif()
    file(RENAME ${LATENTLAB_ZH_DIR}/zh-prose.txt.new ${LATENTLAB_ZH_PROSE})
    message(STATUS "Chinese corpora made (assets/prepare_zh_corpus.py)")
  endif()
  file(WRITE ${zh_stamp} "")
endif()
set(LATENTLAB_ZH_POEMS_CPP)
foreach(f ${LATENTLAB_ZH_POEM_FILES})
  get_filename_component(name ${f} NAME)
  string(REGEX REPLACE "[^a-z0-9]" "_" symbol "corpus_${name}")
  set(cpp ${CMAKE_BINARY_DIR}/generated/${symbol}.cpp)
  add_custom_command(OUTPUT ${cpp}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${f} -DOUTPUT=${cpp} -DSYMBOL=${symbol} -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFile.cmake
    DEPENDS ${f} ${CMAKE_SOURCE_DIR}/cmake/EmbedFile.cmake VERBATIM)
  list(APPEND LATENTLAB_ZH_POEMS_CPP ${cpp})
endforeach()
