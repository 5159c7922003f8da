#include <cmath>
#include <cstdio>

#include "ctplab/conformance/conformance_case.h"

namespace ctplab::conformance {
namespace {

std::string number(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f", v);
  }
  return buf;
}

}  // namespace

bool NumberMatcher::matches(double value) const {
  // Observations are counts or millisecond figures printed with three decimals: compare with
  // that tolerance so 0.1 + 0.2 style noise never decides a case.
  constexpr double kEpsilon = 1e-6;
  if (equals && std::fabs(value - *equals) > kEpsilon) return false;
  if (min && value < *min - kEpsilon) return false;
  if (max && value > *max + kEpsilon) return false;
  return true;
}

std::string NumberMatcher::describe() const {
  if (equals) return number(*equals);
  if (min && max) return "in [" + number(*min) + ", " + number(*max) + "]";
  if (min) return ">= " + number(*min);
  if (max) return "<= " + number(*max);
  return "anything";
}

std::string describeNumber(double value) { return number(value); }

bool TextMatcher::matches(const std::string& value) const {
  if (equals && value != *equals) return false;
  if (contains && value.find(*contains) == std::string::npos) return false;
  return true;
}

std::string TextMatcher::describe() const {
  if (equals) return "\"" + *equals + "\"";
  if (contains) return "containing \"" + *contains + "\"";
  return "anything";
}

const char* modeName(Mode mode) {
  switch (mode) {
    case Mode::kSim:
      return "sim";
    case Mode::kLive:
      return "live";
    case Mode::kTarget:
      return "target";
  }
  return "?";
}

const std::vector<std::string>& knownFeatures() {
  static const std::vector<std::string> kFeatures = {
      "ClientIPDetectionCustomHeader",
      "ClientIPDetectionXFF",
      "ConnectionChurn",
      "ConnectionLimit",
      "Floods",
      "HTTP1",
      "HTTP3",
      "HeaderSettings",
      "HealthCheck",
      "IPAllowDeny",
      "JWTAuthorization",
      "ListenerSet",
      "MutualTLS",
      "PathSettings",
      "PolicyAttachment",
      "PolicyValidation",
      "ProxyProtocol",
      "RateLimit",
      "TCPKeepalive",
      "TLS",
      "Timeouts",
  };
  return kFeatures;
}

}  // namespace ctplab::conformance
