// Go's JSON string escapes, found sixteen bytes at a time where SSE2 is there.
#include "json_writer.h"

#include <array>
#include <cstdint>

#include "ctplab/live/echo_backend.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ctplab::live {

namespace {

// The length of the valid UTF-8 sequence at `s[i]`, or 0 when it is not one.
size_t utf8Length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

#if !defined(__SSE2__)
// The bytes Go's encoder writes as they are: printable ASCII except `"`, `\` and, so an echoed
// value never reads as markup, `<`, `>` and `&`.
constexpr std::array<bool, 256> kJsonPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) {
    t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
  }
  return t;
}();
#endif

// Where the first byte needing an escape is, from `from` on (text.size() when none is).
size_t plainRunEnd(std::string_view text, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  // Sixteen bytes per step: a signed compare below 0x20 catches control bytes and non-ASCII
  // (0x80 and up are negative) together.
  const auto escapes = [](const char* sixteen) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sixteen));
    __m128i bad = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('&')));
    return static_cast<unsigned>(_mm_movemask_epi8(bad));
  };
  for (; i + 16 <= text.size(); i += 16) {
    if (const unsigned mask = escapes(text.data() + i)) return i + __builtin_ctz(mask);
  }
  // The last few bytes in one more step too: most strings here are shorter than sixteen.
  const size_t left = text.size() - i;
  if (left == 0) return i;
  unsigned mask;
  if (text.size() >= 16) {
    mask = escapes(text.data() + text.size() - 16) >> (16 - left);  // overlaps checked bytes
  } else {
    char padded[16] = {};
    std::memcpy(padded, text.data() + i, left);
    mask = escapes(padded) & ((1u << left) - 1);  // the zero padding would count as control
  }
  return mask != 0 ? i + __builtin_ctz(mask) : text.size();
#else
  while (i < text.size() && kJsonPlain[static_cast<unsigned char>(text[i])]) ++i;
  return i;
#endif
}

}  // namespace

void JsonWriter::quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  put('"');
  size_t i = 0;
  while (true) {
    // Copied in runs: most text needs no escape at all.
    const size_t run = plainRunEnd(text, i);
    raw(text.substr(i, run - i));
    if (run == text.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      put('\\');
      put(static_cast<char>(c));
    } else if (c == '\n') {
      raw("\\n");
    } else if (c == '\r') {
      raw("\\r");
    } else if (c == '\t') {
      raw("\\t");
    } else if (c < 0x80) {
      raw("\\u00");
      put(kHex[c >> 4]);
      put(kHex[c & 0xF]);
    } else {
      const size_t n = utf8Length(text, i);
      if (n == 0) {
        raw("\\ufffd");
        ++i;
        continue;
      }
      // U+2028 and U+2029 end lines in JavaScript: Go escapes them.
      if (n == 3 && c == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
          (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xA8) {
        raw(text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029");
      } else {
        raw(text.substr(i, n));
      }
      i += n;
      continue;
    }
    ++i;
  }
  put('"');
}

void appendJsonString(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out.resize(start + JsonWriter::worstQuoted(text));
  JsonWriter w(out.data() + start);
  w.quoted(text);
  out.resize(static_cast<size_t>(w.end() - out.data()));
}

std::string jsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

}  // namespace ctplab::live
