// HTTP/1 request head ↔ RequestFields: Host becomes the authority, the target becomes the path.
#include "ctplab/proxy/request/http1_adapter.h"

#include <utility>

namespace ctplab::proxy::request {

RequestFields takeRequestFields(http1::RequestHead& head,
                                const std::optional<std::string>& http10_default_host) {
  RequestFields fields;
  fields.method = std::move(head.method);
  fields.path = std::move(head.target);
  for (http1::Header& h : head.headers) {
    if (!http1::equalsIgnoreCase(h.name, "host")) {
      fields.headers.push_back(std::move(h));
    } else if (fields.authority) {
      *fields.authority += "," + h.value;
    } else {
      fields.authority = std::move(h.value);
    }
  }
  head.headers.clear();
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
  head.headers.clear();
  head.headers.reserve(fields.headers.size() + 1);
  if (fields.authority) head.headers.push_back({"host", std::move(*fields.authority)});
  for (http1::Header& h : fields.headers) head.headers.push_back(std::move(h));
}

RequestVerdict processHttp1Request(const RequestPipelineConfig& config,
                                   const RequestContext& context, http1::RequestHead& head) {
  RequestFields fields = takeRequestFields(head, config.http10_default_host);
  RequestVerdict verdict = processRequest(config, context, fields);
  putRequestFields(std::move(fields), head);
  return verdict;
}

}  // namespace ctplab::proxy::request
