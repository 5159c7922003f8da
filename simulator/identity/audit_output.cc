// The audit report for people (a summary per path, then each finding with its fix) and as JSON.
#include "ctplab/simulator/identity/xff_audit.h"
#include "ctplab/simulator/results/json_writer.h"

namespace ctplab::sim::identity {

std::string auditToText(const AuditReport& r) {
  std::string out = "gateway " + r.gateway + "\n";
  size_t requests = 0;
  for (const auto& p : r.paths) {
    requests += p.attempts;
    out += "path " + p.name + " (:" + std::to_string(p.port) + ", client " + p.client + "): ";
    if (p.detected.empty()) {
      out += "never reaches client-IP detection: " + p.outcome + "\n";
    } else {
      out +=
          p.listener + ", " + p.detection + " -> seen as " + p.detected + ", " + p.outcome + "\n";
    }
  }
  if (r.findings.empty()) {
    out +=
        "no findings: every legitimate client is seen at its own address and no forgery was "
        "believed (" +
        std::to_string(requests) + " path requests)\n";
  }
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const auto& f = r.findings[i];
    out += "\n" + std::to_string(i + 1) + ". " + f.path + ": " + f.attempt + "\n";
    out += "   sent:     " + f.sent + "\n";
    out += "   expected: " + f.expected + "\n";
    out += "   detected: " + (f.detected.empty() ? std::string("(not reached)") : f.detected) +
           " -> " + f.outcome + "\n";
    out += "   effect:   " + f.effect + "\n";
    out += "   fix:      " + (f.fix.empty() ? std::string("(none found)") : f.fix) + "\n";
  }
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  if (!r.findings.empty()) out += "\n" + std::to_string(r.findings.size()) + " finding(s)\n";
  return out;
}

std::string auditToJson(const AuditReport& r) {
  std::string out;
  results::JsonWriter w(&out);
  w.beginObject().key("gateway").string(r.gateway);
  w.key("paths").beginArray();
  for (const auto& p : r.paths) {
    w.beginObject()
        .key("name")
        .string(p.name)
        .key("port")
        .number(p.port)
        .key("listener")
        .string(p.listener)
        .key("detection")
        .string(p.detection)
        .key("client")
        .string(p.client)
        .key("detected")
        .string(p.detected)
        .key("outcome")
        .string(p.outcome)
        .key("requests")
        .number(p.attempts)
        .endObject();
  }
  w.endArray();
  w.key("findings").beginArray();
  for (const auto& f : r.findings) {
    w.beginObject()
        .key("path")
        .string(f.path)
        .key("attempt")
        .string(f.attempt)
        .key("sent")
        .string(f.sent)
        .key("expected")
        .string(f.expected)
        .key("detected")
        .string(f.detected)
        .key("outcome")
        .string(f.outcome)
        .key("effect")
        .string(f.effect)
        .key("fix")
        .string(f.fix)
        .endObject();
  }
  w.endArray();
  w.key("notes").beginArray();
  for (const auto& n : r.notes) w.string(n);
  w.endArray();
  w.endObject();
  out += "\n";
  return out;
}

}  // namespace ctplab::sim::identity
