# ctplab_add_gtest(): registers a GoogleTest binary with ctest, one ctest test per case by default,
# or, with CTPLAB_TEST_SHARDS > 0, the whole binary in that many GoogleTest shards.

# Sanitizer builds spend about a quarter of a second starting each process, which over a thousand
# cases is minutes: there a handful of GoogleTest shards per binary does the same work.
set(CTPLAB_TEST_SHARDS 0 CACHE STRING
    "Register each GoogleTest binary as this many ctest shards (0: one ctest test per case)")

function(ctplab_add_gtest target)
  cmake_parse_arguments(ARG "" "PREFIX" "" ${ARGN})
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
