# Third-party code, all from Debian: binary -dev packages natively, and for WASM the
# header-only ones' headers plus Dear ImGui and SDL2 compiled from Debian source packages.

# Header-only libraries (Eigen, Catch2, nlohmann-json, stb). Their headers sit in
# /usr/include beside glibc's, which emcc must not see, so link just those folders.
set(LATENTLAB_SYSDEPS ${CMAKE_BINARY_DIR}/sysdeps/include)
file(MAKE_DIRECTORY ${LATENTLAB_SYSDEPS})
foreach(dir eigen3/Eigen eigen3/unsupported catch2 nlohmann stb)
  if(NOT EXISTS /usr/include/${dir})
    message(FATAL_ERROR "/usr/include/${dir} missing: install the Debian packages libeigen3-dev catch2 nlohmann-json3-dev libstb-dev")
  endif()
  get_filename_component(name ${dir} NAME)
  if(NOT EXISTS ${LATENTLAB_SYSDEPS}/${name})
    file(CREATE_LINK /usr/include/${dir} ${LATENTLAB_SYSDEPS}/${name} SYMBOLIC)
  endif()
endforeach()
add_library(sysdeps INTERFACE)
target_include_directories(sysdeps SYSTEM INTERFACE ${LATENTLAB_SYSDEPS})
target_compile_definitions(sysdeps INTERFACE EIGEN_NO_DEBUG EIGEN_MPL2_ONLY)

# Dear ImGui, compiled from the Debian source for both targets so both run the same code.
if(NOT EXISTS ${IMGUI_SOURCE_DIR}/imgui.cpp)
  message(FATAL_ERROR "IMGUI_SOURCE_DIR='${IMGUI_SOURCE_DIR}' has no imgui.cpp: run ./lab deps (apt-get source imgui)")
endif()
# One change, to imgui_draw.cpp's word wrap: ImGui 1.86 breaks lines only at spaces and ASCII
# punctuation, so a run of Chinese wrapped as one long word (cut anywhere, "。" starting a
# line). cmake/imgui-cjk-line-breaks.patch lets a line break before and after any CJK
# character, never before closing punctuation nor after opening punctuation, and never inside
# a number ("9.504"). Applied to a copy.
set(IMGUI_DRAW_PATCHED ${CMAKE_BINARY_DIR}/generated/imgui_draw.cpp)
set(IMGUI_WRAP_PATCH ${CMAKE_SOURCE_DIR}/cmake/imgui-cjk-line-breaks.patch)
if(NOT EXISTS ${IMGUI_DRAW_PATCHED} OR ${IMGUI_WRAP_PATCH} IS_NEWER_THAN ${IMGUI_DRAW_PATCHED}
   OR ${IMGUI_SOURCE_DIR}/imgui_draw.cpp IS_NEWER_THAN ${IMGUI_DRAW_PATCHED})
  find_program(PATCH_PROGRAM patch)
  if(NOT PATCH_PROGRAM)
    message(FATAL_ERROR "patch not found: install the Debian package patch")
  endif()
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/generated)
  execute_process(COMMAND ${PATCH_PROGRAM} --quiet --force -o ${IMGUI_DRAW_PATCHED}.tmp ${IMGUI_SOURCE_DIR}/imgui_draw.cpp ${IMGUI_WRAP_PATCH}
                  RESULT_VARIABLE patch_result OUTPUT_VARIABLE patch_output ERROR_VARIABLE patch_output)
  if(NOT patch_result EQUAL 0)
    message(FATAL_ERROR "${IMGUI_WRAP_PATCH} does not apply to ${IMGUI_SOURCE_DIR}/imgui_draw.cpp:\n${patch_output}")
  endif()
  file(RENAME ${IMGUI_DRAW_PATCHED}.tmp ${IMGUI_DRAW_PATCHED})
endif()
add_library(imgui STATIC
  ${IMGUI_SOURCE_DIR}/imgui.cpp ${IMGUI_DRAW_PATCHED}
  ${IMGUI_SOURCE_DIR}/imgui_tables.cpp ${IMGUI_SOURCE_DIR}/imgui_widgets.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_SOURCE_DIR})
# 32-bit indices: heat maps and image grids exceed 64k vertices and WebGL2 has no vertex offset.
target_compile_definitions(imgui PUBLIC "ImDrawIdx=unsigned int" IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
target_compile_options(imgui PRIVATE -w)

# SDL2 and OpenGL (ES3 / WebGL2 on the web).
add_library(sdl2_gl INTERFACE)
if(EMSCRIPTEN)
  if(NOT EXISTS ${SDL2_WASM_PREFIX}/lib/libSDL2.a)
    message(FATAL_ERROR "SDL2_WASM_PREFIX='${SDL2_WASM_PREFIX}' has no lib/libSDL2.a: run ./lab deps")
  endif()
  target_include_directories(sdl2_gl SYSTEM INTERFACE ${SDL2_WASM_PREFIX}/include/SDL2)
  target_link_libraries(sdl2_gl INTERFACE ${SDL2_WASM_PREFIX}/lib/libSDL2.a)
  target_compile_definitions(sdl2_gl INTERFACE IMGUI_IMPL_OPENGL_ES3)
  target_link_options(sdl2_gl INTERFACE -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2)
else()
  find_package(SDL2 REQUIRED)
  find_package(OpenGL REQUIRED)
  target_link_libraries(sdl2_gl INTERFACE SDL2::SDL2 OpenGL::GL)
endif()

add_library(imgui_backends STATIC
  ${IMGUI_SOURCE_DIR}/backends/imgui_impl_sdl.cpp ${IMGUI_SOURCE_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui_backends SYSTEM PUBLIC ${IMGUI_SOURCE_DIR}/backends)
target_link_libraries(imgui_backends PUBLIC imgui sdl2_gl)
target_compile_options(imgui_backends PRIVATE -w)

# The UI font, DejaVu Sans from Debian's fonts-dejavu-core, compiled in so the web build
# needs no file system and the desktop app needs no installed font.
set(LATENTLAB_FONT /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)
if(NOT EXISTS ${LATENTLAB_FONT})
  message(FATAL_ERROR "${LATENTLAB_FONT} missing: install the Debian package fonts-dejavu-core")
endif()
set(LATENTLAB_FONT_CPP ${CMAKE_BINARY_DIR}/generated/font_dejavu_sans.cpp)
# Generated at configure time: the file is used by a target in core/, and a custom command's
# output is only visible to targets of its own directory.
if(NOT EXISTS ${LATENTLAB_FONT_CPP} OR ${LATENTLAB_FONT} IS_NEWER_THAN ${LATENTLAB_FONT_CPP})
  message(STATUS "Embedding DejaVu Sans")
  execute_process(COMMAND ${CMAKE_COMMAND} -DINPUT=${LATENTLAB_FONT} -DOUTPUT=${LATENTLAB_FONT_CPP}
                          -DSYMBOL=font_dejavu_sans -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFile.cmake
                  RESULT_VARIABLE embed_result)
  if(NOT embed_result EQUAL 0)
    message(FATAL_ERROR "embedding ${LATENTLAB_FONT} failed")
  endif()
endif()
