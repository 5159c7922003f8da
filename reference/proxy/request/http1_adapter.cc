// HTTP/1 request head ↔ RequestFields: Host becomes the authority, the target becomes the path.
#include "ctplab/proxy/request/http1_adapter.h"

#include <utility>

namespace ctplab::proxy::request {

RequestFields takeRequestFields(http1::RequestHead& head,
                                const std::optional<std::string>& http10_default_host) {
  RequestFields fields;
  fields.method = std::move(head.method);
  fields.path = std::move(head.target);
  // The head's list (and its storage) becomes the fields' list, less the Host fields.
  fields.headers = std::move(head.headers);
  head.headers.clear();
  auto kept = fields.headers.begin();
  for (auto it = fields.headers.begin(); it != fields.headers.end(); ++it) {
    if (!http1::equalsIgnoreCase(it->name, "host")) {
      if (kept != it) *kept = std::move(*it);
      ++kept;
    } else if (fields.authority) {
      *fields.authority += "," + it->value;
    } else {
      fields.authority = std::move(it->value);
    }
  }
  fields.headers.erase(kept, fields.headers.end());
  // Envoy's HTTP/1 codec applies useDefaultHost to anything below HTTP/1.1 (it treats those as
  // HTTP/1.0); the codec has usually done it already, which makes this a no-op. HTTP/2 streams
  // (version 2.0) come here too and never get the HTTP/1.0 default host.
  const bool http10 = head.version.major < 2 && head.version != http1::Version{1, 1};
  if (http10 && !fields.authority && http10_default_host) {
    fields.authority = *http10_default_host;
  }
  return fields;
}

void putRequestFields(RequestFields fields, http1::RequestHead& head) {
  head.method = std::move(fields.method);
  head.target = std::move(fields.path);
  head.headers = std::move(fields.headers);
  if (fields.authority) {
    head.headers.insert(head.headers.begin(), {"host", std::move(*fields.authority)});
  }
}

RequestVerdict processHttp1Request(const RequestPipelineConfig& config,
                                   const RequestContext& context, http1::RequestHead& head) {
  RequestFields fields = takeRequestFields(head, config.http10_default_host);
  RequestVerdict verdict = processRequest(config, context, fields);
  putRequestFields(std::move(fields), head);
  return verdict;
}

}  // namespace ctplab::proxy::request
