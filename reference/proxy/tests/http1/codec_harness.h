// A test driver for ServerCodec: feeds bytes in chosen splits, pulls events and output the way a
// connection driver would, and can answer each complete request itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/splitmix64.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/server_codec.h"

namespace ctplab::proxy::http1::testing {

// Tests must not depend on <random>'s implementation-defined distributions, and reference/
// avoids <random> altogether: the same inputs on every run and platform.
using TestRng = ::ctplab::SplitMix64;

CodecConfigPtr makeConfig(const CodecOptions& options = {});

class Harness {
 public:
  explicit Harness(const CodecOptions& options = {});

  // When set, every complete request is answered `200` with body "ok" (content-length 2).
  bool auto_respond = true;

  // Feeds `input` in pieces of `split` bytes (0 = all at once), pumping after each piece, and
  // offering refused bytes again. Returns how many bytes the codec accepted in total.
  size_t feed(std::string_view input, size_t split = 0);
  // Feeds `input` cut at the given random points.
  size_t feedRandomSplits(std::string_view input, TestRng& rng, size_t max_piece);
  // Pulls every event and all output; answers complete requests when auto_respond.
  void pump();
  void peerClose();

  // Events seen so far, with adjacent body data merged, one describe() line each.
  std::vector<std::string> lines() const;
  const std::vector<Event>& events() const { return events_; }
  std::string& output() { return output_; }
  ServerCodec& codec() { return codec_; }
  // Nonzero counters by Envoy name.
  std::map<std::string, uint64_t> stats() const;

 private:
  void record(Event event);

  CodecStats stats_;
  ServerCodec codec_;
  std::vector<Event> events_;
  std::string output_;
};

// The bytes auto_respond writes for one response (keep-alive unless `close`).
std::string okResponse(bool close = false);

}  // namespace ctplab::proxy::http1::testing
