#include "cpu_time.h"

#include <time.h>

namespace ctplab::cli::calibrate {
namespace {

Duration read(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return Duration();
  return Duration::seconds(ts.tv_sec) + Duration::nanoseconds(ts.tv_nsec);
}

}  // namespace

Duration processCpuTime() { return read(CLOCK_PROCESS_CPUTIME_ID); }
Duration threadCpuTime() { return read(CLOCK_THREAD_CPUTIME_ID); }

}  // namespace ctplab::cli::calibrate
