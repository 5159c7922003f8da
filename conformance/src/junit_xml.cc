#include "ctplab/conformance/reports.h"

namespace ctplab::conformance {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        // XML 1.0 forbids most control characters even escaped: replace them.
        out += ch < 0x20 ? '?' : static_cast<char>(ch);
    }
  }
  return out;
}

}  // namespace

std::string junitXml(const SuiteResult& suite) {
  std::string body;
  for (const auto& r : suite.cases) {
    const auto& c = *r.test;
    const std::string classname =
        "conformance." + (c.features.empty() ? std::string("General") : c.features.front());
    body += "    <testcase classname=\"" + escape(classname) + "\" name=\"" + escape(c.name) +
            "\" file=\"" + escape(c.file) + "\" time=\"0\"";
    if (r.outcome == Outcome::kPassed) {
      body += "/>\n";
      continue;
    }
    body += ">\n";
    if (r.outcome == Outcome::kSkipped) {
      body += "      <skipped message=\"" + escape(r.reason) + "\"/>\n";
    } else {
      std::string text = r.reason;
      for (const auto& f : r.failures) {
        text += (text.empty() ? "" : "\n") + f.location.file + ":" +
                std::to_string(f.location.line) + ": " + f.what + ": expected " + f.expected +
                ", observed " + f.observed;
      }
      if (!r.trace.empty()) text += "\n" + r.trace;
      const std::string message = r.failures.empty() ? r.reason.substr(0, r.reason.find('\n'))
                                                     : r.failures.front().what + ": expected " +
                                                           r.failures.front().expected;
      body += "      <failure message=\"" + escape(message) + "\">" + escape(text) + "</failure>\n";
    }
    body += "    </testcase>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
         "  <testsuite name=\"ctplab-conformance-" +
         std::string(modeName(suite.mode)) + "\" tests=\"" + std::to_string(suite.cases.size()) +
         "\" failures=\"" + std::to_string(suite.failed()) + "\" skipped=\"" +
         std::to_string(suite.skipped()) + "\" errors=\"0\">\n" + body +
         "  </testsuite>\n</testsuites>\n";
}

}  // namespace ctplab::conformance
