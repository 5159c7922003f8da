#include "pki/go_pem.h"

#include <array>
#include <cstdint>
#include <utility>

#include "pki/go_strings.h"

namespace ctplab::policy::pki {
namespace {

// encoding/base64 (StdEncoding: padded, not strict)

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3F]);
    out.push_back(kBase64Alphabet[(v >> 6) & 0x3F]);
    out.push_back(kBase64Alphabet[v & 0x3F]);
  }
  const size_t remaining = in.size() - i;
  if (remaining > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (remaining == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3F]);
    out.push_back(remaining == 2 ? kBase64Alphabet[(v >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

// encoding/pem internals

struct Line {
  std::string_view line;
  std::string_view rest;
  int64_t consumed;
};

// Go pem.getLine: one LF or CRLF terminated line with trailing spaces/tabs trimmed.
Line getLine(std::string_view data) {
  size_t i = data.find('\n');
  size_t j = 0;
  if (i == std::string_view::npos) {
    i = data.size();
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] == '\r') --i;
  }
  std::string_view line = data.substr(0, i);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return {line, data.substr(j), static_cast<int64_t>(j)};
}

std::string removeSpacesAndTabs(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (const char c : data) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

constexpr std::string_view kPemStart = "\n-----BEGIN ";
constexpr std::string_view kPemEnd = "\n-----END ";
constexpr std::string_view kPemEndOfLine = "-----";

bool isNewline(char c) { return c == '\n' || c == '\r'; }

}  // namespace

// Decodes quantum by quantum exactly as Go's decodeQuantum does, so the same inputs fail: CR/LF
// are skipped anywhere, a partial final quantum needs '=' padding, and nothing but CR/LF may
// follow the padding. Non-zero trailing bits are accepted (StdEncoding is not Strict).
bool goBase64Decode(std::string_view src, std::string* out) {
  out->clear();
  size_t si = 0;
  while (si < src.size()) {
    std::array<unsigned, 4> dbuf{};
    int dlen = 4;
    bool finished = false;
    for (int j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return true;
        return false;  // j == 1, or padding required but missing.
      }
      const auto in = static_cast<unsigned char>(src[si]);
      ++si;
      const int v = base64Value(in);
      if (v >= 0) {
        dbuf[j] = static_cast<unsigned>(v);
        continue;
      }
      if (isNewline(static_cast<char>(in))) {
        --j;
        continue;
      }
      if (in != '=') return false;
      if (j < 2) return false;
      if (j == 2) {
        while (si < src.size() && isNewline(src[si])) ++si;
        if (si == src.size()) return false;
        if (src[si] != '=') return false;
        ++si;
      }
      while (si < src.size() && isNewline(src[si])) ++si;
      if (si < src.size()) return false;  // Trailing garbage after padding.
      dlen = j;
      finished = true;
      break;
    }
    const unsigned val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
    const std::array<char, 3> bytes = {static_cast<char>((val >> 16) & 0xFF),
                                       static_cast<char>((val >> 8) & 0xFF),
                                       static_cast<char>(val & 0xFF)};
    out->append(bytes.data(), static_cast<size_t>(dlen - 1));
    if (finished) return true;
  }
  return true;
}

PemDecodeResult decodePem(std::string_view data) {
  std::string_view rest = data;
  int64_t end_trailer_index = 0;
  const auto no_block = [&]() { return PemDecodeResult{std::nullopt, data}; };
  for (;;) {
    if (end_trailer_index < 0 || end_trailer_index > static_cast<int64_t>(rest.size())) {
      return no_block();
    }
    rest.remove_prefix(static_cast<size_t>(end_trailer_index));

    // Pair the first END line with the last BEGIN line before it, which keeps the scan linear.
    const size_t end_pos = rest.find(kPemEnd);
    if (end_pos == std::string_view::npos) return no_block();
    int64_t end_index = static_cast<int64_t>(end_pos);
    end_trailer_index = end_index + static_cast<int64_t>(kPemEnd.size());
    const size_t begin = rest.substr(0, end_pos).rfind(kPemStart.substr(1));
    if (begin == std::string_view::npos || (begin > 0 && rest[begin - 1] != '\n')) continue;
    const auto advance = static_cast<int64_t>(begin + kPemStart.size() - 1);
    rest.remove_prefix(static_cast<size_t>(advance));
    end_index -= advance;
    end_trailer_index -= advance;

    const Line type_line = getLine(rest);
    rest = type_line.rest;
    end_index -= type_line.consumed;
    end_trailer_index -= type_line.consumed;
    if (!type_line.line.ends_with(kPemEndOfLine)) continue;
    const std::string_view type =
        type_line.line.substr(0, type_line.line.size() - kPemEndOfLine.size());

    PemBlock block;
    block.type = std::string(type);
    for (;;) {
      if (rest.empty()) return no_block();
      const Line header = getLine(rest);
      const size_t colon = header.line.find(':');
      if (colon == std::string_view::npos) break;
      block.headers[std::string(trimSpace(header.line.substr(0, colon)))] =
          std::string(trimSpace(header.line.substr(colon + 1)));
      rest = header.rest;
      end_index -= header.consumed;
      end_trailer_index -= header.consumed;
    }
    if (!block.headers.empty() && end_index < 0) continue;

    std::string_view end_trailer = rest.substr(static_cast<size_t>(end_trailer_index));
    const size_t end_trailer_len = type.size() + kPemEndOfLine.size();
    if (end_trailer.size() < end_trailer_len) continue;
    const std::string_view rest_of_end_line = end_trailer.substr(end_trailer_len);
    end_trailer = end_trailer.substr(0, end_trailer_len);
    if (!end_trailer.starts_with(type) || !end_trailer.ends_with(kPemEndOfLine)) continue;
    if (!getLine(rest_of_end_line).line.empty()) continue;

    if (end_index > 0) {
      const std::string base64 =
          removeSpacesAndTabs(rest.substr(0, static_cast<size_t>(end_index)));
      if (!goBase64Decode(base64, &block.bytes)) continue;
    }
    const Line after_end = getLine(
        rest.substr(static_cast<size_t>(end_index + static_cast<int64_t>(kPemEnd.size()) - 1)));
    return PemDecodeResult{std::move(block), after_end.rest};
  }
}

std::optional<std::string> encodePemBlock(const PemBlock& block) {
  for (const auto& [key, value] : block.headers) {
    if (key.find(':') != std::string::npos) return std::nullopt;
  }
  std::string out = "-----BEGIN " + block.type + "-----\n";
  if (!block.headers.empty()) {
    const auto proc_type = block.headers.find("Proc-Type");
    if (proc_type != block.headers.end()) out += "Proc-Type: " + proc_type->second + "\n";
    for (const auto& [key, value] : block.headers) {
      if (key != "Proc-Type") out += key + ": " + value + "\n";
    }
    out.push_back('\n');
  }
  const std::string encoded = base64Encode(block.bytes);
  for (size_t i = 0; i < encoded.size(); i += 64) {
    out.append(encoded, i, 64);
    out.push_back('\n');
  }
  out += "-----END " + block.type + "-----\n";
  return out;
}

}  // namespace ctplab::policy::pki
