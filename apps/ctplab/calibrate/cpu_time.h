// CPU clocks for calibration: the whole process, the calling thread, and a ledger of the CPU the
// measuring threads (clients, origin) spent, which the process total minus leaves to the proxy.
#pragma once

#include <atomic>
#include <cstdint>

#include "ctplab/common/time.h"

namespace ctplab::cli::calibrate {

// CPU time of every thread of the process so far, exited ones included.
Duration processCpuTime();
// CPU time of the calling thread so far.
Duration threadCpuTime();

// Thread-safe sum of CPU time reported by threads that are not the proxy's.
class CpuLedger {
 public:
  void add(Duration d) { ns_.fetch_add(d.ns(), std::memory_order_relaxed); }
  Duration total() const { return Duration::nanoseconds(ns_.load(std::memory_order_relaxed)); }

 private:
  std::atomic<int64_t> ns_{0};
};

// Reports the CPU time of the thread that owns it, since the thread started, to a ledger in
// increments, so a long-lived thread accounts for its work as it goes: report() after each unit
// of work, and once more on destruction.
class ThreadCpuReporter {
 public:
  explicit ThreadCpuReporter(CpuLedger& ledger) : ledger_(&ledger) {}
  ~ThreadCpuReporter() { report(); }
  ThreadCpuReporter(const ThreadCpuReporter&) = delete;
  ThreadCpuReporter& operator=(const ThreadCpuReporter&) = delete;

  void report() {
    const Duration now = threadCpuTime();
    ledger_->add(now - last_);
    last_ = now;
  }

 private:
  CpuLedger* ledger_;
  Duration last_;
};

}  // namespace ctplab::cli::calibrate
