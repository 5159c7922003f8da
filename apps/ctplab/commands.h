// The ctplab subcommands; each takes its own arguments and returns the process exit code.
// Exit codes: 0 all accepted, 1 something invalid, 2 unreadable input or usage error.
#pragma once

#include <string>
#include <vector>

namespace ctplab::cli {

int runTranslate(const std::vector<std::string>& args);
int runValidate(const std::vector<std::string>& args);
int runSimulate(const std::vector<std::string>& args);
int runConformance(const std::vector<std::string>& args);
// Exit 0 when the trace was produced, whatever the request's outcome.
int runExplain(const std::vector<std::string>& args);
// Exit 0 without findings, 1 with findings.
int runAuditXff(const std::vector<std::string>& args);
// Serves until a signal; exit 0 after the drain, 1 when it cannot start, 2 on bad input.
int runServe(const std::vector<std::string>& args);
// Writes the deterministic certificate fixture set; exit 0 when written, 2 on bad input.
int runCerts(const std::vector<std::string>& args);

// Measures the live proxy's CPU costs and writes a cost model; exit 0 when measured, 1 when the
// measurement failed, 2 on bad input.
int runCalibrate(const std::vector<std::string>& args);

// `ctplab jwt keygen|sign`: signing keys with their JWKS, and signed tokens.
int runJwt(const std::vector<std::string>& args);

// `ctplab report`: runs the Python sweep-and-report package.
int runReport(const std::vector<std::string>& args);

}  // namespace ctplab::cli
