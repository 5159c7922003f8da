// ASN.1 DER reading with golang.org/x/crypto/cryptobyte semantics, so that exactly the inputs
// Go rejects are rejected here: low tag numbers only, definite minimal lengths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ctplab::policy::pki {

inline constexpr uint8_t kTagBoolean = 0x01;
inline constexpr uint8_t kTagInteger = 0x02;
inline constexpr uint8_t kTagBitString = 0x03;
inline constexpr uint8_t kTagOctetString = 0x04;
inline constexpr uint8_t kTagOid = 0x06;
inline constexpr uint8_t kTagEnum = 0x0A;
inline constexpr uint8_t kTagUtf8String = 12;
inline constexpr uint8_t kTagNumericString = 18;
inline constexpr uint8_t kTagPrintableString = 19;
inline constexpr uint8_t kTagT61String = 20;
inline constexpr uint8_t kTagIa5String = 22;
inline constexpr uint8_t kTagUtcTime = 23;
inline constexpr uint8_t kTagGeneralizedTime = 24;
inline constexpr uint8_t kTagBmpString = 30;
inline constexpr uint8_t kTagSequence = 0x30;
inline constexpr uint8_t kTagSet = 0x31;

constexpr uint8_t contextTag(uint8_t n) { return static_cast<uint8_t>(0x80 | n); }
constexpr uint8_t contextConstructed(uint8_t n) { return static_cast<uint8_t>(0xA0 | n); }

// Arcs are limited to what cryptobyte's ReadASN1ObjectIdentifier accepts (below 2^31).
using Oid = std::vector<int64_t>;

// Dotted decimal, as Go's asn1.ObjectIdentifier.String prints it.
std::string oidToString(const Oid& oid);

// Go x509 newOIDFromDER: arbitrary-size arcs, minimal encoding, no truncated final arc.
bool validOidDer(std::string_view der);

struct BitString {
  std::string_view bytes;
  int64_t bit_length = 0;

  // Go asn1.BitString.RightAlign.
  std::string rightAlign() const;
};

// An INTEGER's sign and magnitude; enough for the sign checks and key comparisons Go performs.
struct BigInt {
  int sign = 0;           // -1, 0 or +1.
  std::string magnitude;  // Big-endian, no leading zero bytes (only for sign >= 0).
};

// A cursor over DER bytes. Every read returns false on malformed input; a read whose tag does not
// match still consumes the element, as Go's ReadASN1 does, which changes what later reads see.
class Der {
 public:
  Der() = default;
  explicit Der(std::string_view s) : s_(s) {}

  bool empty() const { return s_.empty(); }
  std::string_view data() const { return s_; }
  bool peekTag(uint8_t tag) const { return !s_.empty() && static_cast<uint8_t>(s_[0]) == tag; }

  // The *Element readers keep the tag and length header; the others return the contents only.
  bool readAnyElement(std::string_view* out, uint8_t* tag) { return readImpl(out, tag, false); }
  bool readAny(std::string_view* out, uint8_t* tag) { return readImpl(out, tag, true); }
  bool read(std::string_view* out, uint8_t tag);
  bool readElement(std::string_view* out, uint8_t tag);

  // Go's habit of reading an element and then re-reading its contents (certificates and CRLs
  // keep the raw element): both must carry `tag`.
  bool readElementWithContents(std::string_view* element, Der* contents, uint8_t tag);

  bool skipOptional(uint8_t tag);
  bool readOptional(std::string_view* out, bool* present, uint8_t tag);

  bool readInt64(int64_t* out) { return readInt64WithTag(out, kTagInteger); }
  bool readInt64WithTag(int64_t* out, uint8_t tag);
  bool readUint64(uint64_t* out);
  bool readBigInt(BigInt* out);
  bool readEnum(int64_t* out) { return readInt64WithTag(out, kTagEnum); }
  bool readBool(bool* out);
  bool readBitString(BitString* out);
  bool readOid(Oid* out);

 private:
  bool readImpl(std::string_view* out, uint8_t* out_tag, bool skip_header);
  bool readBase128(int64_t* out);

  std::string_view s_;
};

}  // namespace ctplab::policy::pki
