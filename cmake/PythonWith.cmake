# latentlab_python_with(MODULE VAR): sets VAR to a python3 that imports MODULE (Debian's
# /usr/bin/python3 first, where apt installs python3-<module>; then the one on PATH), or
# leaves it unset.
function(latentlab_python_with module var)
  find_program(LATENTLAB_PATH_PYTHON python3 NO_CMAKE_FIND_ROOT_PATH)
  foreach(python /usr/bin/python3 ${LATENTLAB_PATH_PYTHON})
    execute_process(COMMAND ${python} -c "import ${module}" RESULT_VARIABLE missing OUTPUT_QUIET ERROR_QUIET)
    if(NOT missing)
      set(${var} ${python} PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()
