// Test driver implementation; see codec_harness.h.
#include "http1/codec_harness.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace ctplab::proxy::http1::testing {

CodecConfigPtr makeConfig(const CodecOptions& options) {
  auto config = CodecConfig::create(options);
  if (!config.ok()) std::abort();  // a test bug, not a codec behaviour
  return config.value();
}

Harness::Harness(const CodecOptions& options) : codec_(makeConfig(options), stats_) {}

size_t Harness::feed(std::string_view input, size_t split) {
  size_t accepted = 0;
  // Bounded: each pass either accepts bytes or pumps; a codec waiting on a response it will not
  // get (auto_respond off) stops the loop.
  for (size_t guard = 0; accepted < input.size() && guard < 4 * input.size() + 16; ++guard) {
    const size_t piece =
        split == 0 ? input.size() - accepted : std::min(split, input.size() - accepted);
    const size_t used = codec_.feed(input.substr(accepted, piece));
    accepted += used;
    const size_t before = events_.size();
    pump();
    if (used == 0 && events_.size() == before) break;
  }
  return accepted;
}

size_t Harness::feedRandomSplits(std::string_view input, TestRng& rng, size_t max_piece) {
  size_t accepted = 0;
  for (size_t guard = 0; accepted < input.size() && guard < 4 * input.size() + 16; ++guard) {
    const size_t piece = std::min(1 + rng.below(max_piece), input.size() - accepted);
    const size_t used = codec_.feed(input.substr(accepted, piece));
    accepted += used;
    const size_t before = events_.size();
    pump();
    if (used == 0 && events_.size() == before) break;
  }
  return accepted;
}

void Harness::pump() {
  // Bounded by the input: every pass pulls an event that consumed bytes.
  while (auto event = codec_.nextEvent()) {
    const bool complete = std::holds_alternative<RequestComplete>(*event);
    record(std::move(*event));
    if (complete && auto_respond) {
      ResponseHead head;
      head.headers = {{"Content-Length", "2"}};
      codec_.encodeHeaders(head, false);
      codec_.encodeData("ok", true);
    }
  }
  output_ += codec_.pendingOutput();
  codec_.consumeOutput(codec_.pendingOutput().size());
}

void Harness::peerClose() {
  codec_.onPeerClosed();
  pump();
}

void Harness::record(Event event) {
  if (auto* body = std::get_if<BodyData>(&event); body != nullptr && !events_.empty()) {
    if (auto* last = std::get_if<BodyData>(&events_.back());
        last != nullptr && last->request_id == body->request_id) {
      last->data += body->data;
      return;
    }
  }
  events_.push_back(std::move(event));
}

std::vector<std::string> Harness::lines() const {
  std::vector<std::string> out;
  for (const Event& e : events_) out.push_back(describe(e));
  return out;
}

std::map<std::string, uint64_t> Harness::stats() const {
  std::map<std::string, uint64_t> out;
  stats_.forEach([&](std::string_view name, uint64_t value) {
    if (value != 0) out.emplace(std::string(name), value);
  });
  return out;
}

std::string okResponse(bool close) {
  return std::string("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n") +
         (close ? "connection: close\r\n" : "") + "\r\nok";
}

}  // namespace ctplab::proxy::http1::testing
