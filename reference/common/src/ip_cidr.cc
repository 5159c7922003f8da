#include "ctplab/common/ip_cidr.h"

#include <charconv>

namespace ctplab {
namespace {

int familyBits(IpAddress::Family family) { return family == IpAddress::Family::kV4 ? 32 : 128; }

// Rebuilds an address of `family` from 16 network-order bytes through its text form, because
// IpAddress deliberately has no byte constructor (every address enters through the parser).
IpAddress fromBytes(IpAddress::Family family, const std::array<uint8_t, 16>& bytes) {
  std::string text;
  if (family == IpAddress::Family::kV4) {
    for (int i = 0; i < 4; ++i) {
      if (i) text += '.';
      text += std::to_string(bytes[i]);
    }
  } else {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i += 2) {
      if (i) text += ':';
      unsigned v = (bytes[i] << 8) | bytes[i + 1];
      text += kHex[(v >> 12) & 15];
      text += kHex[(v >> 8) & 15];
      text += kHex[(v >> 4) & 15];
      text += kHex[v & 15];
    }
  }
  return *IpAddress::parse(text);
}

}  // namespace

std::optional<IpCidr> IpCidr::parse(std::string_view text) {
  size_t slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int bits = familyBits(address->family());
  int prefix = bits;
  if (slash != std::string_view::npos) {
    std::string_view len = text.substr(slash + 1);
    if (len.empty() || len.size() > 3 || (len.size() > 1 && len[0] == '0')) return std::nullopt;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
    if (ec != std::errc() || end != len.data() + len.size() || prefix < 0 || prefix > bits) {
      return std::nullopt;
    }
  }
  std::array<uint8_t, 16> bytes = address->bytes();
  for (int bit = prefix; bit < bits; ++bit) bytes[bit / 8] &= ~(0x80 >> (bit % 8));
  IpCidr cidr;
  cidr.network_ = fromBytes(address->family(), bytes);
  cidr.prefix_ = prefix;
  return cidr;
}

bool IpCidr::contains(const IpAddress& address) const {
  if (address.family() != family()) return false;
  const auto& a = address.bytes();
  const auto& n = network_.bytes();
  for (int bit = 0; bit < prefix_; ++bit) {
    const uint8_t mask = 0x80 >> (bit % 8);
    if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) return false;
  }
  return true;
}

uint64_t IpCidr::size() const {
  const int host_bits = familyBits(family()) - prefix_;
  return host_bits >= 64 ? UINT64_MAX : (uint64_t{1} << host_bits);
}

IpAddress IpCidr::addressAt(uint64_t index) const {
  const uint64_t span = size();
  if (span != UINT64_MAX) index %= span;
  std::array<uint8_t, 16> bytes = network_.bytes();
  // Add the index to the low bytes of the address, carrying upwards.
  int last = family() == IpAddress::Family::kV4 ? 3 : 15;
  unsigned carry = 0;
  for (int i = last; i >= 0 && (index != 0 || carry != 0); --i) {
    unsigned sum = bytes[i] + static_cast<unsigned>(index & 0xff) + carry;
    bytes[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
    index >>= 8;
  }
  return fromBytes(family(), bytes);
}

std::string IpCidr::toString() const { return network_.toString() + "/" + std::to_string(prefix_); }

}  // namespace ctplab
