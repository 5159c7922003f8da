// JSON text as Go's encoding/json writes it (the echo backend's body): quoted strings with Go's
// escapes, written into room made once for the worst case.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace ctplab::live {

// Writes into memory the caller has made room in for the worst case, so no write checks or grows
// anything; end() is where the text written so far ends.
class JsonWriter {
 public:
  explicit JsonWriter(char* room) : p_(room) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  char* end() const { return p_; }
  // The most bytes quoted(text) writes: every byte escaped as six, plus the quotes.
  static size_t worstQuoted(std::string_view text) { return 2 + 6 * text.size(); }

  void raw(std::string_view text) {
    if (text.empty()) return;  // an empty view may have no data pointer, which memcpy must not get
    std::memcpy(p_, text.data(), text.size());
    p_ += text.size();
  }
  // `text` as a JSON string: control characters, `"`, `\`, `<`, `>`, `&`, U+2028 and U+2029
  // escaped, and each byte that is not part of valid UTF-8 written as U+FFFD, as Go does.
  void quoted(std::string_view text);

 private:
  void put(char c) { *p_++ = c; }

  char* p_;
};

}  // namespace ctplab::live
