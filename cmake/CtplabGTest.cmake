# ctplab_add_gtest(): builds a GoogleTest binary's files in batches and registers it with ctest,
# one ctest test per case by default, or with CTPLAB_TEST_SHARDS > 0 in that many shards.

# Sanitizer builds spend about a quarter of a second starting each process, which over a thousand
# cases is minutes: there a handful of GoogleTest shards per binary does the same work.
set(CTPLAB_TEST_SHARDS 0 CACHE STRING
    "Register each GoogleTest binary as this many ctest shards (0: one ctest test per case)")

# Test files spend most of their compile parsing the same headers (GoogleTest, the module under
# test): compiled eight to a batch they build in about a third of the time. SEPARATE names files
# that define file-local helpers under names another test file of the target also uses; they are
# compiled alone.
option(CTPLAB_UNITY_TESTS "Compile each test binary's files in batches of eight (unity build)" ON)

function(ctplab_add_gtest target)
  cmake_parse_arguments(ARG "" "PREFIX" "SEPARATE" ${ARGN})
  if(CTPLAB_UNITY_TESTS)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    if(ARG_SEPARATE)
      set_source_files_properties(${ARG_SEPARATE} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endif()
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
