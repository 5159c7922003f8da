// Invariant checks for the simulator core: a broken invariant stops the run with a message.
// They stay on in release builds because a silently corrupted event order breaks determinism.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace ctplab::sim::internal {

[[noreturn]] inline void checkFailed(const char* file, int line, const char* condition,
                                     const char* message) {
  std::fprintf(stderr, "%s:%d: simulator invariant failed: %s (%s)\n", file, line, condition,
               message);
  std::abort();
}

}  // namespace ctplab::sim::internal

// Cold path only: the branch hint keeps checks off the hot loop's critical path.
#define CTPLAB_SIM_CHECK(condition, message)                                           \
  do {                                                                                 \
    if (!(condition)) [[unlikely]] {                                                   \
      ::ctplab::sim::internal::checkFailed(__FILE__, __LINE__, #condition, (message)); \
    }                                                                                  \
  } while (false)
