# ctplab_unity(): compiles a target's files in batches of eight (a unity build), except the files
# named after SEPARATE, which cannot share a batch: they define file-local names another file of
# the target also defines, or a class visible outside them holds their file-local types.

# Most of a file's compile is parsing the same headers (the standard library, Asio, OpenSSL,
# GoogleTest, the module's own): batched, the libraries build from scratch in under half the time
# (the whole build in 60 %, the test files having been batched first). A change to one file
# recompiles its batch; -DCTPLAB_UNITY_BUILD=OFF compiles every file on its own. Files with their
# own compile options (the simulator's -ffp-contract=off) are never batched.
option(CTPLAB_UNITY_BUILD "Compile each target's files in batches of eight (unity build)" ON)

function(ctplab_unity target)
  cmake_parse_arguments(ARG "" "" "SEPARATE" ${ARGN})
  if(NOT CTPLAB_UNITY_BUILD)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  if(ARG_SEPARATE)
    set_source_files_properties(${ARG_SEPARATE} TARGET_DIRECTORY ${target}
                                PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endif()
endfunction()
