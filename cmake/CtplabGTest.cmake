# ctplab_add_gtest(): builds a GoogleTest binary's files in batches (see CtplabUnity.cmake) and
# registers it with ctest, one ctest test per case, or with CTPLAB_TEST_SHARDS > 0 in that many
# shards. SEPARATE names test files whose file-local helpers collide with another file's.
#
# The test files themselves compile unoptimized whatever the build type: GoogleTest's macros make
# them the heaviest files to optimize (-O2 nearly doubles their compile time) while the work they
# drive runs in the libraries, which keep the build type's optimization.

# Sanitizer builds spend about a quarter of a second starting each process, which over a thousand
# cases is minutes: there a handful of GoogleTest shards per binary does the same work.
set(CTPLAB_TEST_SHARDS 0 CACHE STRING
    "Register each GoogleTest binary as this many ctest shards (0: one ctest test per case)")

function(ctplab_add_gtest target)
  cmake_parse_arguments(ARG "" "PREFIX" "SEPARATE" ${ARGN})
  ctplab_unity(${target} SEPARATE ${ARG_SEPARATE})
  # After the build type's flags on the command line, so this -O is the one that counts.
  target_compile_options(${target} PRIVATE -O0)
  if(CTPLAB_TEST_SHARDS GREATER 0)
    math(EXPR last "${CTPLAB_TEST_SHARDS} - 1")
    foreach(shard RANGE ${last})
      set(name "${ARG_PREFIX}${target}/shard${shard}")
      add_test(NAME ${name} COMMAND ${target})
      set_tests_properties(${name} PROPERTIES ENVIRONMENT
                           "GTEST_TOTAL_SHARDS=${CTPLAB_TEST_SHARDS};GTEST_SHARD_INDEX=${shard}")
    endforeach()
  else()
    gtest_discover_tests(${target} TEST_PREFIX "${ARG_PREFIX}" DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
