// The simulated client's HTTP/1.1 response parser (llhttp in response mode): turns the bytes the
// gateway sent into complete responses with status and keep-alive, however the bytes were split.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ctplab::sim::clients {

struct ParsedResponse {
  int status = 0;
  bool keep_alive = true;  // false: `connection: close` (or HTTP/1.0 without keep-alive)
  uint64_t body_bytes = 0;
  std::string alt_svc;  // the `alt-svc` fields, joined with ", "; empty when none
};

class ResponseReader {
 public:
  ResponseReader();
  ~ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  // Appends every response completed by `bytes` to `out`. False once the stream is malformed.
  bool feed(std::string_view bytes, std::vector<ParsedResponse>& out);
  // The peer closed: completes a close-delimited body. False if a response was cut short.
  bool finish(std::vector<ParsedResponse>& out);
  // Bytes of a response have arrived but it is not complete yet.
  bool midResponse() const { return in_message_; }

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
  bool in_message_ = false;
  bool failed_ = false;
};

}  // namespace ctplab::sim::clients
