// JsonWriter: streams one JSON document, pretty (2-space indent) or compact, to a string or an
// ostream, in exactly the order it is called; it never sorts, buffers values or consults a locale.
#pragma once

#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ctplab::sim::results {

enum class JsonStyle { kPretty, kCompact };

struct JsonWriterOptions {
  JsonStyle style = JsonStyle::kPretty;
  // Misuse is a programming error. Debug builds stop at it, where the stack still points at the
  // culprit; release builds (and tests of the error path) record it and carry on.
#ifdef NDEBUG
  bool abort_on_misuse = false;
#else
  bool abort_on_misuse = true;
#endif
};

// Usage: w.beginObject().key("p99_ms").number(12.5, 3).key("ok").boolean(true).endObject();
//
// Pretty output puts each member and element on its own line, `"key": value`, and prints empty
// containers as {} and []; compact output has no whitespace at all. Neither adds a final newline.
// Numbers and strings are formatted as in json_text.h.
//
// Misuse: a value inside an object without a key, a key outside an object or twice in a row,
// an end that does not match its begin or leaves a key without a value, a second top-level value,
// or nesting deeper than kMaxDepth. The first one sets a sticky error (ok() turns false, error()
// says what happened) and every later call is ignored, so the output stops where the mistake was.
class JsonWriter {
 public:
  static constexpr std::size_t kMaxDepth = 256;

  // Appends to *out, which must outlive the writer.
  explicit JsonWriter(std::string* out, JsonWriterOptions options = {});
  // Writes to `out` through a small buffer, flushed when the document is complete, on flush() and
  // on destruction.
  explicit JsonWriter(std::ostream& out, JsonWriterOptions options = {});
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  // Any integer type except bool and char, without the int/long/long long ambiguity.
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) JsonWriter& number(T value) {
    if constexpr (std::is_signed_v<T>) {
      return integer(static_cast<int64_t>(value));
    } else {
      return unsignedInteger(static_cast<uint64_t>(value));
    }
  }
  // Shortest round-trip form; NaN and infinities are written as null.
  JsonWriter& number(double value);
  // Fixed notation with `decimals` digits after the point (0..20); NaN and infinities as null.
  JsonWriter& number(double value, int decimals);
  JsonWriter& boolean(bool value);
  JsonWriter& null();

  void flush();

  bool ok() const { return error_.empty(); }
  // Empty while ok(); otherwise the first misuse.
  const std::string& error() const { return error_; }
  // One whole top-level value has been written and nothing went wrong.
  bool complete() const { return ok() && root_done_ && stack_.empty(); }

 private:
  struct Frame {
    bool is_object;
    bool has_key;  // Objects: a key was written and its value has not started.
    std::size_t members;
  };

  JsonWriter(std::string* string_out, std::ostream* stream_out, JsonWriterOptions options);
  JsonWriter& integer(int64_t value);
  JsonWriter& unsignedInteger(uint64_t value);
  // Writes separators and indentation due before a value; false (after flagging) on misuse.
  bool beforeValue();
  void afterValue();
  JsonWriter& begin(bool is_object);
  JsonWriter& end(bool is_object);
  void newlineAndIndent(std::size_t depth);
  void misuse(const char* what);
  std::string& sink() { return string_out_ != nullptr ? *string_out_ : buffer_; }

  std::string* string_out_;
  std::ostream* stream_out_;
  std::string buffer_;
  JsonWriterOptions options_;
  std::vector<Frame> stack_;
  bool root_done_ = false;
  std::string error_;
};

}  // namespace ctplab::sim::results
