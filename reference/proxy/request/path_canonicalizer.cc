// canonicalizePath: a port of the Chromium path canonicalizer Envoy forked (url_canon_path.cc), so
// that dot segments, backslashes and percent-escapes come out byte for byte as Envoy forwards them.
#include <array>
#include <cstdint>
#include <limits>

#include "ctplab/proxy/request/path_normalization.h"

namespace ctplab::proxy::request {
namespace {

// Character classes of the canonicalizer's table.
enum : uint8_t {
  kPass = 0,       // copied as is, raw or escaped
  kSpecial = 1,    // needs a look: dots, '\', '%'
  kEscapeBit = 2,  // may not appear raw: written as %XX
  kEscape = kEscapeBit | kSpecial,
  kUnescape = 4,    // an escape of it is decoded (unreserved characters)
  kInvalidBit = 8,  // cannot appear at all: canonicalization fails
  kInvalid = kInvalidBit | kSpecial,
};

constexpr std::array<uint8_t, 256> makeCharTable() {
  std::array<uint8_t, 256> t{};
  for (uint8_t& flags : t) flags = kEscape;  // controls, DEL, non-ASCII, and the rest below
  t[0] = kInvalid;
  for (char c : std::string_view("!$&'()*+,/:;=@[]")) t[static_cast<uint8_t>(c)] = kPass;
  for (char c : std::string_view("-_~")) t[static_cast<uint8_t>(c)] = kUnescape;
  for (int c = '0'; c <= '9'; ++c) t[c] = kUnescape;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUnescape;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kUnescape;
  // A dot's escape is handled by dotLength, so the dot needs only the special bit.
  t[static_cast<uint8_t>('.')] = kSpecial;
  return t;
}

constexpr std::array<uint8_t, 256> kPathChar = makeCharTable();

bool isSlash(char c) { return c == '/' || c == '\\'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A valid %XX at `*i`: stores the byte and leaves `*i` on the escape's last character.
bool decodeEscaped(std::string_view s, size_t* i, unsigned char* value) {
  if (*i + 3 > s.size()) return false;
  const int hi = hexValue(s[*i + 1]);
  const int lo = hexValue(s[*i + 2]);
  if (hi < 0 || lo < 0) return false;
  *value = static_cast<unsigned char>(hi * 16 + lo);
  *i += 2;
  return true;
}

void appendEscaped(unsigned char c, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0x0f]);
}

// 1 for '.', 3 for "%2e"/"%2E", else 0.
size_t dotLength(std::string_view s, size_t i) {
  if (s[i] == '.') return 1;
  if (s[i] == '%' && i + 3 <= s.size() && s[i + 1] == '2' && (s[i + 2] == 'e' || s[i + 2] == 'E')) {
    return 3;
  }
  return 0;
}

enum class DotKind { kNotADirectory, kCurrent, kUp };

// What the dot segment starting at a slash means; `*consumed` counts input after the first dot.
DotKind classifyAfterDot(std::string_view s, size_t after_dot, size_t* consumed) {
  *consumed = 0;
  if (after_dot == s.size()) return DotKind::kCurrent;
  if (isSlash(s[after_dot])) {
    *consumed = 1;
    return DotKind::kCurrent;
  }
  const size_t second = dotLength(s, after_dot);
  if (second == 0) return DotKind::kNotADirectory;
  const size_t after_second = after_dot + second;
  if (after_second == s.size()) {
    *consumed = second;
    return DotKind::kUp;
  }
  if (isSlash(s[after_second])) {
    *consumed = second + 1;
    return DotKind::kUp;
  }
  return DotKind::kNotADirectory;
}

// `out` ends in '/'; drops the last segment, never the leading slash (".." above the root stays
// at the root).
void backUpToPreviousSlash(std::string& out) {
  size_t i = out.size() - 1;
  if (i == 0) return;
  --i;
  while (out[i] != '/' && i > 0) --i;
  out.resize(i + 1);
}

// An invalid '%' followed by a decoded character could form a new escape ("%%30" → "%0", "%%300"
// → "%00"), which a second canonicalization would decode differently. Such a '%' becomes "%25".
void checkForNestedEscapes(std::string_view in, size_t next_input, size_t last_invalid_percent,
                           std::string& out) {
  const size_t length = out.size();
  const char last_unescaped = out[length - 1];
  const bool append_next_char = last_invalid_percent == length - 2;
  if (append_next_char) {
    if (next_input == in.size() || static_cast<unsigned char>(in[next_input]) >= 0x80) return;
    out.push_back(in[next_input]);
  }
  size_t begin = last_invalid_percent;
  unsigned char ignored = 0;
  if (decodeEscaped(out, &begin, &ignored)) {
    if (!append_next_char) out.push_back(out[last_invalid_percent + 1]);
    out[last_invalid_percent + 1] = '2';
    out[last_invalid_percent + 2] = '5';
    out.push_back(last_unescaped);
  } else if (append_next_char) {
    out.resize(length);
  }
}

struct Canonicalizer {
  std::string_view in;
  std::string out;
  bool ok = true;
  // Output index of the last '%' that began no valid escape; far below any index at first.
  int64_t last_invalid_percent = std::numeric_limits<int64_t>::min() / 2;

  void dot(size_t& i, size_t dot_len) {
    if (out.empty() || out.back() != '/') {  // part of a name such as "a.b"
      out.push_back('.');
      i += dot_len - 1;
      return;
    }
    size_t consumed = 0;
    switch (classifyAfterDot(in, i + dot_len, &consumed)) {
      case DotKind::kNotADirectory:
        out.push_back('.');
        i += dot_len - 1;
        return;
      case DotKind::kCurrent:
        i += dot_len + consumed - 1;
        return;
      case DotKind::kUp:
        backUpToPreviousSlash(out);
        i += dot_len + consumed - 1;
        return;
    }
  }

  void percent(size_t& i) {
    unsigned char value = 0;
    if (!decodeEscaped(in, &i, &value)) {
      // Browsers pass a stray '%' through; so does the canonicalizer.
      last_invalid_percent = static_cast<int64_t>(out.size());
      out.push_back('%');
      return;
    }
    if (kPathChar[value] & kUnescape) {
      out.push_back(static_cast<char>(value));
      if (last_invalid_percent >= static_cast<int64_t>(out.size()) - 3) {
        checkForNestedEscapes(in, i + 1, static_cast<size_t>(last_invalid_percent), out);
      }
      return;
    }
    // Kept escaped exactly as sent: the hex digits' case is the client's.
    out.push_back('%');
    out.push_back(in[i - 1]);
    out.push_back(in[i]);
    if (kPathChar[value] & kInvalidBit) ok = false;
  }

  void run() {
    for (size_t i = 0; i < in.size(); ++i) {
      const auto c = static_cast<unsigned char>(in[i]);
      const uint8_t flags = kPathChar[c];
      if (!(flags & kSpecial)) {
        out.push_back(static_cast<char>(c));
      } else if (const size_t dot_len = dotLength(in, i); dot_len > 0) {
        dot(i, dot_len);
      } else if (c == '\\') {
        out.push_back('/');
      } else if (c == '%') {
        percent(i);
      } else if (flags & kInvalidBit) {
        appendEscaped(c, out);
        ok = false;
      } else if (flags & kEscapeBit) {
        appendEscaped(c, out);
      }
    }
  }
};

}  // namespace

std::optional<std::string> canonicalizePath(std::string_view path) {
  const size_t query = path.find('?');
  const std::string_view part = path.substr(0, query);
  Canonicalizer c{part, {}};
  c.out.reserve(path.size());
  if (part.empty() || !isSlash(part.front())) c.out.push_back('/');
  c.run();
  if (!c.ok) return std::nullopt;
  if (query != std::string_view::npos) c.out.append(path.substr(query));
  return std::move(c.out);
}

}  // namespace ctplab::proxy::request
