// Decoder for a population's arrival process: when its clients show up.
#include <array>
#include <string>
#include <vector>

#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

using Kind = ArrivalProcess::Kind;

struct Form {
  const char* name;
  Kind kind;
  std::vector<std::string> keys;  // parameters this process reads besides `process`
};

const std::array<Form, 5>& forms() {
  static const std::array<Form, 5> kForms = {{
      {"poisson", Kind::kPoisson, {"rate", "start"}},
      {"constant", Kind::kConstant, {"rate", "start"}},
      {"burst", Kind::kBurst, {"at", "start"}},
      {"ramp", Kind::kRamp, {"from", "to", "over", "start"}},
      {"trace", Kind::kTrace, {"times"}},
  }};
  return kForms;
}

TimePoint offset(Duration d) { return TimePoint() + d; }

std::optional<double> requiredRate(const Keys& keys, const Field& f, const char* key) {
  const Field rate = keys.get(f, key);
  if (!rate.present()) {
    keys.missing(f, key);
    return std::nullopt;
  }
  return readRate(rate);
}

void readTrace(const Keys& keys, const Field& f, ArrivalProcess& a,
               std::optional<uint64_t>& clients) {
  const Field times = keys.get(f, "times");
  if (!times.present()) {
    keys.missing(f, "times");
    return;
  }
  bool ok = times.isList();
  for (const auto& item : times.items()) {
    auto d = readDuration(item, Sign::kNonNegative);
    if (!d) {
      ok = false;
      continue;
    }
    if (!a.trace.empty() && *d < a.trace.back()) {
      item.error("arrival times must be ascending: " + showDuration(*d) + " comes after " +
                 showDuration(a.trace.back()));
      ok = false;
    }
    a.trace.push_back(*d);
  }
  if (!ok) return;
  if (a.trace.empty()) {
    times.error("must list at least one arrival time");
    return;
  }
  if (!clients) {
    clients = a.trace.size();
  } else if (*clients != a.trace.size()) {
    times.error("lists " + std::to_string(a.trace.size()) + " arrival times but clients is " +
                std::to_string(*clients) + "; give one time per client or leave clients out");
  }
}

}  // namespace

ArrivalProcess decodeArrival(const Keys& keys, const Field& f, std::optional<uint64_t>& clients) {
  ArrivalProcess a;  // left out: every client arrives at once, at the start
  if (!keys.open(f, {"process", "rate", "start", "at", "from", "to", "over", "times"})) return a;
  const Field process = keys.get(f, "process");
  if (!process.present()) {
    keys.missing(f, "process");
    return a;
  }
  auto name = process.str();
  if (!name) return a;
  const Form* form = nullptr;
  for (const auto& candidate : forms()) {
    if (*name == candidate.name) form = &candidate;
  }
  if (form == nullptr) {
    process.error("unknown arrival process \"" + *name +
                  "\"; expected poisson, constant, burst, ramp or trace");
    return a;
  }
  a.kind = form->kind;
  for (const char* key : {"rate", "start", "at", "from", "to", "over", "times"}) {
    const Field p = keys.get(f, key);
    bool used = false;
    for (const auto& k : form->keys) used = used || k == key;
    if (p.present() && !used) {
      p.warning(std::string("does not apply to process ") + form->name + "; ignored");
    }
  }

  switch (form->kind) {
    case Kind::kPoisson:
    case Kind::kConstant: {
      if (auto r = requiredRate(keys, f, "rate")) {
        if (*r > 0) {
          a.rate_per_s = *r;
        } else {
          keys.get(f, "rate").error("must be greater than zero");
        }
      }
      break;
    }
    case Kind::kBurst: {
      // `at` reads naturally for a burst, `start` is what every other process says: take either.
      const Field at = keys.get(f, "at");
      if (at.present() && keys.get(f, "start").present()) {
        at.error("give at or start, not both (they mean the same for a burst)");
      } else if (auto d =
                     readDuration(at.present() ? at : keys.get(f, "start"), Sign::kNonNegative)) {
        a.start = offset(*d);
      }
      break;
    }
    case Kind::kRamp: {
      auto from = requiredRate(keys, f, "from");
      auto to = requiredRate(keys, f, "to");
      if (from && to) {
        if (*from == 0 && *to == 0) {
          keys.get(f, "to").error("from and to are both zero; no client would ever arrive");
        }
        a.ramp_from_per_s = *from;
        a.ramp_to_per_s = *to;
      }
      const Field over = keys.get(f, "over");
      if (!over.present()) {
        keys.missing(f, "over");
      } else if (auto d = readDuration(over, Sign::kPositive)) {
        a.ramp_over = *d;
      }
      break;
    }
    case Kind::kTrace:
      readTrace(keys, f, a, clients);
      break;
  }
  if (form->kind != Kind::kBurst && form->kind != Kind::kTrace) {
    if (auto d = readDuration(keys.get(f, "start"), Sign::kNonNegative)) a.start = offset(*d);
  }
  return a;
}

}  // namespace ctplab::sim::scenario::loader
