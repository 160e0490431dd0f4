# Compiler flags shared by every target, native and WASM.

# No fused multiply-add contraction: keeps float results the same on both targets.
add_compile_options(-ffp-contract=off -Wall -Wextra -Wno-unused-parameter)

if(EMSCRIPTEN)
  # Saturating float-to-int conversions: one instruction where clang otherwise guards each
  # conversion with a range check and a branch (word2vec's table lookups use them).
  add_compile_options(-O3 -msimd128 -mnontrapping-fptoint)
  add_link_options(-O3 -msimd128 -sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=1048576)
  if(LATENTLAB_THREADS)
    add_compile_options(-pthread)
    add_link_options(-pthread -sPTHREAD_POOL_SIZE=8 -Wno-pthreads-mem-growth)
  endif()
else()
  add_compile_options(-O3)
  find_package(Threads REQUIRED)
  link_libraries(Threads::Threads)
endif()

if(LATENTLAB_THREADS)
  add_compile_definitions(LATENTLAB_THREADS=1)
else()
  add_compile_definitions(LATENTLAB_THREADS=0)
endif()

# Sanitizer builds of the native unit tests (./lab sanitize, build/asan and build/tsan):
# "address" is AddressSanitizer + UndefinedBehaviorSanitizer, any UB report fatal; "thread" is
# ThreadSanitizer. -O1 -g for usable stacks; these options come after the -O3 above, so they win.
set(LATENTLAB_SANITIZE "" CACHE STRING "Native sanitizer build: address (ASan + UBSan) or thread (TSan)")
if(LATENTLAB_SANITIZE)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "LATENTLAB_SANITIZE is for native builds")
  endif()
  if(LATENTLAB_SANITIZE STREQUAL "address")
    add_compile_options(-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
  elseif(LATENTLAB_SANITIZE STREQUAL "thread")
    add_compile_options(-O1 -g -fno-omit-frame-pointer -fsanitize=thread)
    add_link_options(-fsanitize=thread)
  else()
    message(FATAL_ERROR "LATENTLAB_SANITIZE must be address or thread, not '${LATENTLAB_SANITIZE}'")
  endif()
endif()
