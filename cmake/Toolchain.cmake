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
