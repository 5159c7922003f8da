// Test helpers: every scheduler kind, and readable names for tests parameterized over them.
// Every behaviour test runs against all kinds, because each must give exactly the same order.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "ctplab/simulator/scheduler.h"

namespace ctplab::sim {

inline const auto kAllSchedulerKinds = ::testing::Values(
    SchedulerKind::kBinaryHeap, SchedulerKind::kQuaternaryHeap, SchedulerKind::kLadderQueue);

// "4-ary-heap" → "4aryheap": gtest names allow only alphanumerics and underscores.
inline std::string schedulerParamName(const ::testing::TestParamInfo<SchedulerKind>& info) {
  std::string name(schedulerName(info.param));
  std::erase(name, '-');
  return name;
}

}  // namespace ctplab::sim
