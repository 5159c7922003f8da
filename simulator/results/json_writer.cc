// JsonWriter implementation: a stack of open containers decides separators and indentation, and
// catches structural misuse before anything invalid reaches the output.
#include "ctplab/simulator/results/json_writer.h"

#include <cstdio>
#include <cstdlib>
#include <ostream>

#include "ctplab/simulator/results/json_text.h"

namespace ctplab::sim::results {
namespace {

// Large enough that an ostream sees few writes, small enough to stay in cache.
constexpr std::size_t kStreamChunk = 8192;

}  // namespace

JsonWriter::JsonWriter(std::string* out, JsonWriterOptions options)
    : JsonWriter(out, nullptr, options) {}

JsonWriter::JsonWriter(std::ostream& out, JsonWriterOptions options)
    : JsonWriter(nullptr, &out, options) {}

JsonWriter::JsonWriter(std::string* string_out, std::ostream* stream_out, JsonWriterOptions options)
    : string_out_(string_out), stream_out_(stream_out), options_(options) {
  if (stream_out_ != nullptr) buffer_.reserve(kStreamChunk);
}

JsonWriter::~JsonWriter() { flush(); }

void JsonWriter::flush() {
  if (stream_out_ == nullptr || buffer_.empty()) return;
  stream_out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void JsonWriter::misuse(const char* what) {
  if (!ok()) return;
  error_ = what;
  if (options_.abort_on_misuse) {
    std::fprintf(stderr, "JsonWriter misuse: %s\n", what);
    std::abort();
  }
}

void JsonWriter::newlineAndIndent(std::size_t depth) {
  std::string& out = sink();
  out += '\n';
  out.append(depth * 2, ' ');
}

bool JsonWriter::beforeValue() {
  if (!ok()) return false;
  if (stack_.empty()) {
    if (root_done_) {
      misuse("a second top-level value");
      return false;
    }
    return true;
  }
  Frame& top = stack_.back();
  if (top.is_object) {
    if (!top.has_key) {
      misuse("a value inside an object without a key");
      return false;
    }
    top.has_key = false;  // key() already wrote the separator and indentation.
    return true;
  }
  if (top.members > 0) sink() += ',';
  if (options_.style == JsonStyle::kPretty) newlineAndIndent(stack_.size());
  ++top.members;
  return true;
}

void JsonWriter::afterValue() {
  if (!stack_.empty()) {
    if (stream_out_ != nullptr && buffer_.size() >= kStreamChunk) flush();
    return;
  }
  root_done_ = true;
  flush();
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (!ok()) return *this;
  if (stack_.empty() || !stack_.back().is_object) {
    misuse("a key outside an object");
    return *this;
  }
  Frame& top = stack_.back();
  if (top.has_key) {
    misuse("two keys in a row");
    return *this;
  }
  std::string& out = sink();
  if (top.members > 0) out += ',';
  if (options_.style == JsonStyle::kPretty) newlineAndIndent(stack_.size());
  appendJsonString(out, name);
  out += options_.style == JsonStyle::kPretty ? ": " : ":";
  top.has_key = true;
  ++top.members;
  return *this;
}

JsonWriter& JsonWriter::begin(bool is_object) {
  if (!beforeValue()) return *this;
  if (stack_.size() >= kMaxDepth) {
    misuse("nesting deeper than kMaxDepth");
    return *this;
  }
  sink() += is_object ? '{' : '[';
  stack_.push_back(Frame{.is_object = is_object, .has_key = false, .members = 0});
  return *this;
}

JsonWriter& JsonWriter::end(bool is_object) {
  if (!ok()) return *this;
  if (stack_.empty() || stack_.back().is_object != is_object) {
    misuse(is_object ? "endObject without a matching beginObject"
                     : "endArray without a matching beginArray");
    return *this;
  }
  if (stack_.back().has_key) {
    misuse("endObject right after a key: the key has no value");
    return *this;
  }
  const bool empty = stack_.back().members == 0;
  stack_.pop_back();
  if (!empty && options_.style == JsonStyle::kPretty) newlineAndIndent(stack_.size());
  sink() += is_object ? '}' : ']';
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::beginObject() { return begin(true); }
JsonWriter& JsonWriter::endObject() { return end(true); }
JsonWriter& JsonWriter::beginArray() { return begin(false); }
JsonWriter& JsonWriter::endArray() { return end(false); }

JsonWriter& JsonWriter::string(std::string_view text) {
  if (!beforeValue()) return *this;
  appendJsonString(sink(), text);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::integer(int64_t value) {
  if (!beforeValue()) return *this;
  appendJsonInt(sink(), value);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::unsignedInteger(uint64_t value) {
  if (!beforeValue()) return *this;
  appendJsonUint(sink(), value);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  if (!beforeValue()) return *this;
  appendJsonDouble(sink(), value);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::number(double value, int decimals) {
  if (!beforeValue()) return *this;
  appendJsonFixed(sink(), value, decimals);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  if (!beforeValue()) return *this;
  sink() += value ? "true" : "false";
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::null() {
  if (!beforeValue()) return *this;
  sink() += "null";
  afterValue();
  return *this;
}

}  // namespace ctplab::sim::results
