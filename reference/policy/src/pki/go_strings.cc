#include "pki/go_strings.h"

namespace ctplab::policy::pki {
namespace {

constexpr char32_t kRuneError = 0xFFFD;
constexpr char kHexDigits[] = "0123456789abcdef";

struct RuneAndSize {
  char32_t rune;
  size_t size;
};

// Same contract as Go utf8.DecodeRune: invalid or truncated sequences yield (U+FFFD, 1).
RuneAndSize decodeRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  const auto c0 = static_cast<unsigned char>(s[0]);
  if (c0 < 0x80) return {c0, 1};
  size_t n = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((c0 & 0xE0) == 0xC0) {
    n = 2, r = c0 & 0x1F, min = 0x80;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 3, r = c0 & 0x0F, min = 0x800;
  } else if ((c0 & 0xF8) == 0xF0) {
    n = 4, r = c0 & 0x07, min = 0x10000;
  } else {
    return {kRuneError, 1};
  }
  if (s.size() < n) return {kRuneError, 1};
  for (size_t i = 1; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) return {kRuneError, 1};
    r = (r << 6) | (c & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return {kRuneError, 1};
  return {r, n};
}

// Same contract as Go utf8.DecodeLastRune.
RuneAndSize decodeLastRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  size_t start = s.size() - 1;
  const size_t limit = s.size() >= 4 ? s.size() - 4 : 0;
  while (start > limit && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  const RuneAndSize r = decodeRune(s.substr(start));
  if (start + r.size != s.size()) return {kRuneError, 1};
  return r;
}

bool isRuneError(const RuneAndSize& r) { return r.rune == kRuneError && r.size == 1; }

// Go unicode.IsSpace.
bool isUnicodeSpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

void appendHexByte(std::string* out, unsigned b) {
  out->push_back(kHexDigits[b >> 4]);
  out->push_back(kHexDigits[b & 0xF]);
}

// Go's strconv.IsPrint for the runes past ASCII, without its tables of unassigned code points
// (those are copied): C1 controls, spaces other than U+0020, line and paragraph separators, the
// common format characters, private use and the non-characters are not printable.
bool isGoPrintableNonAscii(char32_t r) {
  if (r <= 0xA0 || r == 0xAD) return false;  // C1 controls, NBSP, soft hyphen
  if (r >= 0x600 && r <= 0x605) return false;
  if (r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x1680 || r == 0x180E) return false;
  if (r >= 0x2000 && r <= 0x200F) return false;  // spaces, zero widths, direction marks
  if (r >= 0x2028 && r <= 0x202F) return false;  // separators, embeddings, narrow NBSP
  if (r >= 0x205F && r <= 0x206F) return false;  // medium space, invisible operators
  if (r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // private use
  if ((r & 0xFFFE) == 0xFFFE) return false;      // U+FFFE, U+FFFF in every plane
  if (r == 0xE0001 || (r >= 0xE0020 && r <= 0xE007F)) return false;  // tag characters
  if (r >= 0xF0000) return false;  // supplementary private use planes
  return true;
}

// `\uXXXX` or `\UXXXXXXXX`, lower-case, as strconv writes a rune it does not print.
void appendUnicodeEscape(std::string* out, char32_t r) {
  const bool small = r < 0x10000;
  out->append(small ? "\\u" : "\\U");
  for (int shift = small ? 12 : 28; shift >= 0; shift -= 4) {
    out->push_back(kHexDigits[(r >> shift) & 0xF]);
  }
}

}  // namespace

bool utf8Valid(std::string_view s) {
  while (!s.empty()) {
    const RuneAndSize r = decodeRune(s);
    if (isRuneError(r)) return false;
    s.remove_prefix(r.size);
  }
  return true;
}

void appendRune(std::string* out, char32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

std::string_view trimSpace(std::string_view s) {
  while (!s.empty()) {
    const RuneAndSize r = decodeRune(s);
    if (!isUnicodeSpace(r.rune) || isRuneError(r)) break;
    s.remove_prefix(r.size);
  }
  while (!s.empty()) {
    const RuneAndSize r = decodeLastRune(s);
    if (!isUnicodeSpace(r.rune) || isRuneError(r)) break;
    s.remove_suffix(r.size);
  }
  return s;
}

std::string goQuote(std::string_view s) {
  std::string out = "\"";
  while (!s.empty()) {
    const RuneAndSize r = decodeRune(s);
    if (isRuneError(r)) {
      out += "\\x";
      appendHexByte(&out, static_cast<unsigned char>(s[0]));
      s.remove_prefix(1);
      continue;
    }
    const std::string_view rune_bytes = s.substr(0, r.size);
    s.remove_prefix(r.size);
    switch (r.rune) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '"':
        out += "\\\"";
        continue;
      default:
        break;
    }
    if (r.rune < 0x20 || r.rune == 0x7F) {
      out += "\\x";
      appendHexByte(&out, static_cast<unsigned>(r.rune));
    } else if (r.rune < 0x80 || isGoPrintableNonAscii(r.rune)) {
      out.append(rune_bytes);
    } else {
      appendUnicodeEscape(&out, r.rune);
    }
  }
  out += "\"";
  return out;
}

std::string goTimeQuote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x80) {
      // Every byte of a non-ASCII rune, valid or not, becomes its own escape.
      out += "\\x";
      appendHexByte(&out, b);
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += "\"";
  return out;
}

std::string hexLower(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) appendHexByte(&out, static_cast<unsigned char>(c));
  return out;
}

std::string goStringSlice(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += items[i];
  }
  out += "]";
  return out;
}

}  // namespace ctplab::policy::pki
