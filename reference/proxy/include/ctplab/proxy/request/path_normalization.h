// RFC 3986 path normalization as Envoy's connection manager applies it (spec 4.12): escaped
// slashes, percent-encoding and dot segments, merged slashes. The query is never touched.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ctplab::proxy::request {

// CTP `path.escapedSlashesAction`: what %2F, %2f, %5C and %5c in the path part lead to.
enum class EscapedSlashesAction {
  kKeepUnchanged,
  kRejectRequest,
  kUnescapeAndForward,
  kUnescapeAndRedirect,  // Envoy Gateway's default
};

struct PathNormalizationOptions {
  EscapedSlashesAction escaped_slashes = EscapedSlashesAction::kUnescapeAndRedirect;
  bool merge_slashes = true;  // false: CTP `path.disableMergeSlashes`
};

struct NormalizedPath {
  enum class Outcome {
    kContinue,  // route on `path`
    kRedirect,  // escaped slashes were decoded under kUnescapeAndRedirect: 307 to `path`
    kReject,    // 400: a fragment, escaped slashes under kRejectRequest, or no canonical form
  };
  Outcome outcome = Outcome::kContinue;
  std::string path;  // the normalized :path, query included; empty with kReject
};

// `path` must start with '/' (the caller answers other targets with 404 first).
NormalizedPath normalizePath(std::string_view path, const PathNormalizationOptions& options);

// The steps, for callers that need one of them alone. Each takes a whole :path and leaves the query
// (from the first '?') as it is.
//
// Decodes %2F/%2f to '/' and %5C/%5c to '\'; returns whether it found any.
bool unescapeSlashes(std::string& path);
// Chromium's path canonicalization as Envoy forked it: dot segments (also %2e) removed without
// climbing above the root, '\' read as '/', escapes of unreserved characters decoded, characters
// that may not appear raw escaped. nullopt when the path holds NUL raw or as %00.
std::optional<std::string> canonicalizePath(std::string_view path);
// Envoy's merge: runs of '/' collapse, keeping one leading and one trailing slash.
std::string mergeSlashes(std::string_view path);

}  // namespace ctplab::proxy::request
