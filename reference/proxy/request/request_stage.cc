// processRequest: the connection manager's per-request checks and rewrites, as a pure function.
#include "ctplab/proxy/request/request_stage.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "ctplab/proxy/request/host_normalization.h"
#include "ctplab/proxy/request/path_normalization.h"

namespace ctplab::proxy::request {
namespace {

constexpr std::string_view kRequestId = "x-request-id";

bool hasGrpcContentType(const http1::HeaderList& headers) {
  const http1::Header* type = http1::findHeader(headers, "content-type");
  if (type == nullptr) return false;
  // application/grpc-web is not gRPC; application/grpc+proto and ;charset=… are.
  constexpr std::string_view kGrpc = "application/grpc";
  const std::string_view v = type->value;
  if (v.substr(0, kGrpc.size()) != kGrpc) return false;
  return v.size() == kGrpc.size() || v[kGrpc.size()] == '+' || v[kGrpc.size()] == ';';
}

void applyRequestId(RequestIdMode mode, const RequestContext& context, http1::HeaderList& headers) {
  bool keep_client_value = false;
  switch (mode) {
    case RequestIdMode::kGenerate:
      break;
    case RequestIdMode::kPreserveOrGenerate:
      keep_client_value = true;
      break;
    case RequestIdMode::kPreserve:
    case RequestIdMode::kDisable:
      // Envoy Gateway turns generate_request_id off for both: the header is not looked at.
      return;
  }
  auto is_id = [](const http1::Header& h) {
    return h.name.size() == kRequestId.size() && http1::equalsIgnoreCase(h.name, kRequestId);
  };
  auto first = std::find_if(headers.begin(), headers.end(), is_id);
  if (first == headers.end()) {
    headers.push_back({std::string(kRequestId), formatUuidV4(context.request_id_bits)});
    return;
  }
  // A non-edge request's ID was set by a trusted hop.
  if (!context.edge_request || keep_client_value) return;
  first->value = formatUuidV4(context.request_id_bits);
  // Envoy holds x-request-id as a single field, so no second client copy survives the overwrite.
  headers.erase(std::remove_if(std::next(first), headers.end(), is_id), headers.end());
}

LocalReply localReply(const RequestFields& request, int status, std::string details,
                      std::optional<RequestStat> stat = std::nullopt) {
  LocalReply r;
  r.status = status;
  r.details = std::move(details);
  r.stat = stat;
  r.grpc = hasGrpcContentType(request.headers);
  return r;
}

// Spec 4.12 on :path; nullopt means go on with the (now normalized) path.
std::optional<LocalReply> checkPath(const RequestPipelineConfig& config, RequestFields& request) {
  if (request.path.empty()) {
    // CONNECT carries no path; every other request needs one.
    if (request.method == "CONNECT") return std::nullopt;
    return localReply(request, 404, "missing_path_rejected");
  }
  if (request.path.front() != '/') {
    return localReply(request, 404, "absolute_path_rejected",
                      RequestStat::downstream_rq_non_relative_path);
  }
  NormalizedPath normalized = normalizePath(request.path, config.path);
  switch (normalized.outcome) {
    case NormalizedPath::Outcome::kContinue:
      request.path = std::move(normalized.path);
      return std::nullopt;
    case NormalizedPath::Outcome::kReject:
      return localReply(request, 400, "path_normalization_failed",
                        RequestStat::downstream_rq_failed_path_normalization);
    case NormalizedPath::Outcome::kRedirect:
      break;
  }
  request.path = std::move(normalized.path);
  // gRPC clients do not follow redirects, so they get the failure instead.
  if (hasGrpcContentType(request.headers)) {
    return localReply(request, 400, "path_normalization_failed",
                      RequestStat::downstream_rq_failed_path_normalization);
  }
  LocalReply redirect = localReply(request, 307, "path_normalization_failed",
                                   RequestStat::downstream_rq_redirected_with_normalized_path);
  redirect.headers.push_back({"location", request.path});
  return redirect;
}

}  // namespace

RequestVerdict processRequest(const RequestPipelineConfig& config, const RequestContext& context,
                              RequestFields& request) {
  config.early_request_headers.apply(request.headers);
  applyRequestId(config.request_id, context, request.headers);

  if (config.require_authority && !request.authority) {
    return localReply(request, 400, "missing_host_header");
  }
  if (std::optional<LocalReply> reply = checkPath(config, request)) return std::move(*reply);
  if (config.strip_trailing_host_dot && request.authority) {
    stripTrailingHostDot(*request.authority);
  }

  if (config.health_check_path && request.path == *config.health_check_path) {
    LocalReply reply = context.draining ? localReply(request, 503, "health_check_failed")
                                        : localReply(request, 200, "health_check_ok");
    reply.health_check = true;
    return reply;
  }
  return Forward{request.path.substr(0, request.path.find('?'))};
}

}  // namespace ctplab::proxy::request
