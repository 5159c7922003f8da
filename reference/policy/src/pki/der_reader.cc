#include "pki/der_reader.h"

#include <utility>

namespace ctplab::policy::pki {
namespace {

// cryptobyte checkASN1Integer: non-empty and minimally encoded.
bool checkAsn1Integer(std::string_view b) {
  if (b.empty()) return false;
  if (b.size() == 1) return true;
  const auto b0 = static_cast<uint8_t>(b[0]);
  const auto b1 = static_cast<uint8_t>(b[1]);
  return !((b0 == 0 && (b1 & 0x80) == 0) || (b0 == 0xFF && (b1 & 0x80) == 0x80));
}

bool asn1Signed(std::string_view n, int64_t* out) {
  if (n.size() > 8) return false;
  uint64_t v = 0;
  for (const char c : n) v = (v << 8) | static_cast<uint8_t>(c);
  const unsigned shift = 64 - static_cast<unsigned>(n.size()) * 8;
  if (shift < 64) {
    v <<= shift;
    *out = static_cast<int64_t>(v) >> shift;
  } else {
    *out = 0;
  }
  return true;
}

BigInt bigIntFromContents(std::string_view b) {
  BigInt out;
  if ((static_cast<uint8_t>(b[0]) & 0x80) != 0) {
    out.sign = -1;
    return out;
  }
  size_t i = 0;
  while (i < b.size() && b[i] == 0) ++i;
  out.magnitude = std::string(b.substr(i));
  out.sign = out.magnitude.empty() ? 0 : 1;
  return out;
}

}  // namespace

std::string oidToString(const Oid& oid) {
  std::string out;
  for (size_t i = 0; i < oid.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += std::to_string(oid[i]);
  }
  return out;
}

bool validOidDer(std::string_view der) {
  if (der.empty() || (static_cast<uint8_t>(der.back()) & 0x80) != 0) return false;
  size_t start = 0;
  for (size_t i = 0; i < der.size(); ++i) {
    const auto v = static_cast<uint8_t>(der[i]);
    if (i == start && v == 0x80) return false;
    if ((v & 0x80) == 0) start = i + 1;
  }
  return true;
}

std::string BitString::rightAlign() const {
  const int64_t shift = 8 - (bit_length % 8);
  if (shift == 8 || bytes.empty()) return std::string(bytes);
  std::string a(bytes.size(), '\0');
  const auto at = [this](size_t i) {
    return static_cast<unsigned>(static_cast<uint8_t>(bytes[i]));
  };
  a[0] = static_cast<char>(at(0) >> shift);
  for (size_t i = 1; i < bytes.size(); ++i) {
    a[i] = static_cast<char>(((at(i - 1) << (8 - shift)) | (at(i) >> shift)) & 0xFF);
  }
  return a;
}

bool Der::read(std::string_view* out, uint8_t tag) {
  uint8_t t = 0;
  return readAny(out, &t) && t == tag;
}

bool Der::readElement(std::string_view* out, uint8_t tag) {
  uint8_t t = 0;
  return readAnyElement(out, &t) && t == tag;
}

bool Der::readElementWithContents(std::string_view* element, Der* contents, uint8_t tag) {
  if (!readElement(element, tag)) return false;
  Der outer(*element);
  std::string_view inner;
  if (!outer.read(&inner, tag)) return false;
  *contents = Der(inner);
  return true;
}

bool Der::skipOptional(uint8_t tag) {
  if (!peekTag(tag)) return true;
  std::string_view unused;
  return read(&unused, tag);
}

bool Der::readOptional(std::string_view* out, bool* present, uint8_t tag) {
  *present = peekTag(tag);
  return !*present || read(out, tag);
}

bool Der::readInt64WithTag(int64_t* out, uint8_t tag) {
  std::string_view b;
  return read(&b, tag) && checkAsn1Integer(b) && asn1Signed(b, out);
}

bool Der::readUint64(uint64_t* out) {
  std::string_view b;
  if (!read(&b, kTagInteger) || !checkAsn1Integer(b)) return false;
  if (b.size() > 9 || (b.size() == 9 && b[0] != 0)) return false;
  if ((static_cast<uint8_t>(b[0]) & 0x80) != 0) return false;
  uint64_t v = 0;
  for (const char c : b) v = (v << 8) | static_cast<uint8_t>(c);
  *out = v;
  return true;
}

bool Der::readBigInt(BigInt* out) {
  std::string_view b;
  if (!read(&b, kTagInteger) || !checkAsn1Integer(b)) return false;
  *out = bigIntFromContents(b);
  return true;
}

bool Der::readBool(bool* out) {
  std::string_view b;
  if (!read(&b, kTagBoolean) || b.size() != 1) return false;
  const auto v = static_cast<uint8_t>(b[0]);
  if (v == 0) {
    *out = false;
  } else if (v == 0xFF) {
    *out = true;
  } else {
    return false;
  }
  return true;
}

bool Der::readBitString(BitString* out) {
  std::string_view b;
  if (!read(&b, kTagBitString) || b.empty()) return false;
  const auto padding = static_cast<uint8_t>(b[0]);
  b.remove_prefix(1);
  if (padding > 7 || (b.empty() && padding != 0) ||
      (!b.empty() && (static_cast<uint8_t>(b.back()) & ((1u << padding) - 1)) != 0)) {
    return false;
  }
  out->bytes = b;
  out->bit_length = static_cast<int64_t>(b.size()) * 8 - padding;
  return true;
}

bool Der::readOid(Oid* out) {
  std::string_view b;
  if (!read(&b, kTagOid) || b.empty()) return false;
  Der contents(b);
  int64_t v = 0;
  if (!contents.readBase128(&v)) return false;
  Oid oid;
  if (v < 80) {
    oid.push_back(v / 40);
    oid.push_back(v % 40);
  } else {
    oid.push_back(2);
    oid.push_back(v - 80);
  }
  while (!contents.empty()) {
    if (!contents.readBase128(&v)) return false;
    oid.push_back(v);
  }
  *out = std::move(oid);
  return true;
}

bool Der::readImpl(std::string_view* out, uint8_t* out_tag, bool skip_header) {
  if (s_.size() < 2) return false;
  const auto tag = static_cast<uint8_t>(s_[0]);
  const auto len_byte = static_cast<uint8_t>(s_[1]);
  if ((tag & 0x1F) == 0x1F) return false;
  *out_tag = tag;
  uint64_t length = 0;
  uint64_t header_len = 0;
  if ((len_byte & 0x80) == 0) {
    length = len_byte + 2u;
    header_len = 2;
  } else {
    const unsigned len_len = len_byte & 0x7F;
    if (len_len == 0 || len_len > 4 || s_.size() < 2 + len_len) return false;
    uint32_t len32 = 0;
    for (unsigned i = 0; i < len_len; ++i) len32 = (len32 << 8) | static_cast<uint8_t>(s_[2 + i]);
    if (len32 < 128) return false;
    if ((len32 >> ((len_len - 1) * 8)) == 0) return false;
    header_len = 2 + len_len;
    length = header_len + len32;
    if (static_cast<uint32_t>(header_len + len32) < len32) return false;  // uint32 overflow.
  }
  if (length > s_.size()) return false;
  const std::string_view element = s_.substr(0, length);
  s_.remove_prefix(length);
  *out = skip_header ? element.substr(header_len) : element;
  return true;
}

// cryptobyte readBase128Int: at most 5 bytes, no 0x80 lead byte, result below 2^31.
bool Der::readBase128(int64_t* out) {
  int64_t ret = 0;
  for (int i = 0; !s_.empty(); ++i) {
    if (i == 5) return false;
    if (ret >= (int64_t{1} << (31 - 7))) return false;
    ret <<= 7;
    const auto b = static_cast<uint8_t>(s_[0]);
    s_.remove_prefix(1);
    if (i == 0 && b == 0x80) return false;
    ret |= b & 0x7F;
    if ((b & 0x80) == 0) {
      *out = ret;
      return true;
    }
  }
  return false;
}

}  // namespace ctplab::policy::pki
