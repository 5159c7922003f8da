// Decoders for what a client does once it has arrived: its behaviour, the request it sends and
// how it retries failed connections.
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

using Kind = Behavior::Kind;

struct Form {
  const char* name;
  Kind kind;
  std::vector<std::string> keys;  // fields this kind reads besides `kind`
};

const std::array<Form, 4>& forms() {
  static const std::array<Form, 4> kForms = {{
      {"requests",
       Kind::kRequests,
       {"connections", "requestsPerConnection", "thinkTime", "requestTimeout", "request",
        "halfClose"}},
      {"hold", Kind::kHold, {"holdFor", "sendRequest", "request", "requestTimeout", "halfClose"}},
      {"slowloris", Kind::kSlowloris, {"dripBytes", "dripInterval", "completes", "request"}},
      {"vanish", Kind::kVanish, {"request", "requestTimeout", "halfClose"}},
  }};
  return kForms;
}

// RFC 9110 token characters: what a method or header name may hold.
bool isToken(const std::string& s) {
  static const std::string kExtra = "!#$%&'*+-.^_`|~";
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && kExtra.find(c) == std::string::npos) {
      return false;
    }
  }
  return true;
}

// Characters that would end or split a request line or header line.
bool hasLineBreakOrControl(const std::string& s, bool allow_space) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && !(allow_space && u == '\t')) return true;
    if (u == 0x7f || (!allow_space && u == ' ')) return true;
  }
  return false;
}

void readHeader(const Field& name_field, const Field& value_field, RequestTemplate& r) {
  auto name = name_field.str();
  if (!name) return;
  if (!isToken(*name)) {
    name_field.error("\"" + *name + "\" is not a valid header name");
    return;
  }
  std::string value = value_field.present() ? value_field.str().value_or("") : "";
  if (hasLineBreakOrControl(value, true)) {
    value_field.error("header values must not hold line breaks or control characters");
    return;
  }
  r.headers.emplace_back(*name, value);
}

void readHeaders(const Keys& keys, const Field& f, RequestTemplate& r) {
  if (!f.present()) return;
  if (f.isList()) {
    for (const auto& item : f.items()) {
      if (!keys.open(item, {"name", "value"})) continue;
      const Field name = keys.get(item, "name");
      if (!name.present()) {
        keys.missing(item, "name");
        continue;
      }
      readHeader(name, keys.get(item, "value"), r);
    }
    return;
  }
  if (!f.isMap()) {
    f.error("expected a mapping of header names to values, or a list of {name, value}");
    return;
  }
  for (const auto& [name, value] : keys.entries(f)) readHeader(name, value, r);
}

RequestTemplate decodeRequest(const Keys& keys, const Field& f) {
  RequestTemplate r;
  if (!keys.open(f, {"method", "path", "host", "headers", "bodyBytes", "chunked"})) return r;
  const Field method = keys.get(f, "method");
  if (auto m = method.str()) {
    if (isToken(*m)) {
      r.method = *m;
    } else {
      method.error("\"" + *m + "\" is not a valid HTTP method");
    }
  }
  const Field path = keys.get(f, "path");
  if (auto p = path.str()) {
    if (p->empty() || hasLineBreakOrControl(*p, false)) {
      path.error("must be non-empty without spaces or control characters");
    } else {
      if ((*p)[0] != '/' && *p != "*") path.warning("does not start with /");
      r.path = *p;
    }
  }
  const Field host = keys.get(f, "host");
  if (auto h = host.str()) {
    if (hasLineBreakOrControl(*h, false)) {
      host.error("must not hold spaces or control characters");
    } else {
      r.host = *h;
    }
  }
  readHeaders(keys, keys.get(f, "headers"), r);
  if (auto n = readCount(keys.get(f, "bodyBytes"), 0, INT64_MAX)) r.body_bytes = *n;
  if (auto b = keys.get(f, "chunked").boolean()) r.chunked = *b;
  // The client always writes Host and the body's framing header itself; a template header of the
  // same name goes out as well (which is how duplicate-header cases are written).
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool generated = lower == "host" || (lower == "transfer-encoding" && r.chunked) ||
                           (lower == "content-length" && !r.chunked && r.body_bytes > 0);
    if (generated) {
      keys.get(f, "headers").warning("sets " + name + ", which the client also sends; both go out");
    }
  }
  return r;
}

}  // namespace

Behavior decodeBehavior(const Keys& keys, const Field& f) {
  Behavior b;
  if (!keys.open(f, {"kind", "connections", "requestsPerConnection", "thinkTime", "requestTimeout",
                     "request", "holdFor", "sendRequest", "dripBytes", "dripInterval", "completes",
                     "halfClose"})) {
    return b;
  }
  const Form* form = &forms()[0];  // left out: requests
  const Field kind = keys.get(f, "kind");
  if (auto name = kind.str()) {
    form = nullptr;
    for (const auto& candidate : forms()) {
      if (*name == candidate.name) form = &candidate;
    }
    if (form == nullptr) {
      kind.error("unknown behavior kind \"" + *name +
                 "\"; expected requests, hold, slowloris or vanish");
      return b;
    }
  }
  b.kind = form->kind;
  for (const char* key :
       {"connections", "requestsPerConnection", "thinkTime", "requestTimeout", "request", "holdFor",
        "sendRequest", "dripBytes", "dripInterval", "completes", "halfClose"}) {
    const Field p = keys.get(f, key);
    bool used = false;
    for (const auto& k : form->keys) used = used || k == key;
    if (p.present() && !used) {
      p.warning(std::string("does not apply to kind ") + form->name + "; ignored");
    }
  }

  if (auto n = readCount(keys.get(f, "connections"), 1, UINT32_MAX)) {
    b.connections = static_cast<uint32_t>(*n);
  }
  if (auto n = readCount(keys.get(f, "requestsPerConnection"), 1, UINT32_MAX)) {
    b.requests_per_connection = static_cast<uint32_t>(*n);
  }
  if (auto d = readDistribution(keys, keys.get(f, "thinkTime"))) b.think_time = *d;
  if (auto d = readDuration(keys.get(f, "requestTimeout"), Sign::kPositive)) {
    b.request_timeout = *d;
  }
  const Field request = keys.get(f, "request");
  b.request = decodeRequest(keys, request);
  if (auto d = readDuration(keys.get(f, "holdFor"), Sign::kPositive)) b.hold_for = *d;
  if (auto v = keys.get(f, "sendRequest").boolean()) b.hold_sends_request = *v;
  if (auto n = readCount(keys.get(f, "dripBytes"), 1, UINT32_MAX)) {
    b.drip_bytes = static_cast<uint32_t>(*n);
  }
  if (auto d = readDuration(keys.get(f, "dripInterval"), Sign::kPositive)) b.drip_interval = *d;
  if (auto v = keys.get(f, "completes").boolean()) b.drip_completes = *v;
  if (auto v = keys.get(f, "halfClose").boolean()) b.half_close = *v;

  if (b.kind == Kind::kHold && !b.hold_sends_request && request.present()) {
    request.warning("is never sent: sendRequest is false");
  }
  return b;
}

RetryPolicy decodeRetry(const Keys& keys, const Field& f) {
  RetryPolicy r;
  if (!keys.open(f, {"maxAttempts", "backoff", "maxBackoff", "jitter"})) return r;
  if (auto n = readCount(keys.get(f, "maxAttempts"), 1, UINT32_MAX)) {
    r.max_attempts = static_cast<uint32_t>(*n);
  }
  if (auto d = readDuration(keys.get(f, "backoff"), Sign::kNonNegative)) r.backoff_base = *d;
  const Field backoff = keys.get(f, "backoff");
  const Field max = keys.get(f, "maxBackoff");
  if (auto d = readDuration(max, Sign::kNonNegative)) r.backoff_max = *d;
  if (r.backoff_max < r.backoff_base) {
    (max.present() ? max : backoff)
        .error("maxBackoff (" + showDuration(r.backoff_max) + ") is less than backoff (" +
               showDuration(r.backoff_base) + ")");
  }
  if (auto v = keys.get(f, "jitter").boolean()) r.jitter = *v;
  if (r.max_attempts == 1) {
    for (const Field& unused : {backoff, max, keys.get(f, "jitter")}) {
      if (unused.present()) unused.warning("has no effect: maxAttempts is 1 (no retries)");
    }
  }
  return r;
}

}  // namespace ctplab::sim::scenario::loader
