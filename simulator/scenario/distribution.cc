// Reads a duration distribution: a plain duration (constant) or a mapping naming the
// distribution and the parameters it uses.
#include <array>

#include "scenario/readers.h"

namespace ctplab::sim::scenario::loader {
namespace {

using Kind = DurationDistribution::Kind;

enum Param : unsigned { kMean = 1, kMin = 2, kMax = 4, kStddev = 8 };

struct Form {
  const char* name;
  Kind kind;
  unsigned params;  // which parameters it uses (all required)
  Sign mean_sign;   // exponential and lognormal need a positive mean
};

constexpr std::array<Form, 4> kForms = {{
    {"constant", Kind::kConstant, kMean, Sign::kNonNegative},
    {"uniform", Kind::kUniform, kMin | kMax, Sign::kNonNegative},
    {"exponential", Kind::kExponential, kMean, Sign::kPositive},
    {"lognormal", Kind::kLognormal, kMean | kStddev, Sign::kPositive},
}};

struct ParamSlot {
  const char* key;
  Param bit;
  Duration DurationDistribution::*member;
};

constexpr std::array<ParamSlot, 4> kParams = {{
    {"mean", kMean, &DurationDistribution::mean},
    {"min", kMin, &DurationDistribution::min},
    {"max", kMax, &DurationDistribution::max},
    {"stddev", kStddev, &DurationDistribution::stddev},
}};

}  // namespace

std::optional<DurationDistribution> readDistribution(const Keys& keys, const Field& f) {
  if (!f.present()) return std::nullopt;
  if (f.node().IsScalar()) {
    auto d = readDuration(f, Sign::kNonNegative);
    if (!d) return std::nullopt;
    return DurationDistribution::constant(*d);
  }
  if (!keys.open(f, {"distribution", "mean", "min", "max", "stddev"})) return std::nullopt;
  const Field name_field = keys.get(f, "distribution");
  if (!name_field.present()) {
    keys.missing(f, "distribution");
    return std::nullopt;
  }
  auto name = name_field.str();
  if (!name) return std::nullopt;
  const Form* form = nullptr;
  for (const auto& candidate : kForms) {
    if (*name == candidate.name) form = &candidate;
  }
  if (form == nullptr) {
    name_field.error("unknown distribution \"" + *name +
                     "\"; expected constant, uniform, exponential or lognormal");
    return std::nullopt;
  }

  DurationDistribution out;
  out.kind = form->kind;
  bool ok = true;
  for (const auto& slot : kParams) {
    const Field p = keys.get(f, slot.key);
    const bool used = (form->params & slot.bit) != 0;
    if (!used) {
      if (p.present()) {
        p.warning(std::string("does not apply to a ") + form->name + " distribution; ignored");
      }
      continue;
    }
    if (!p.present()) {
      keys.missing(f, slot.key);
      ok = false;
      continue;
    }
    auto d = readDuration(p, slot.bit == kMean ? form->mean_sign : Sign::kNonNegative);
    if (!d) {
      ok = false;
      continue;
    }
    out.*slot.member = *d;
  }
  if (ok && form->kind == Kind::kUniform && out.max < out.min) {
    keys.get(f, "max").error("must not be less than min (" + showDuration(out.min) + ")");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ctplab::sim::scenario::loader
