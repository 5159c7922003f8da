#include "pki/x509_common.h"

#include <cstdint>

#include "pki/go_strings.h"

namespace ctplab::policy::pki {
namespace {

const Oid kOidCommonName = {2, 5, 4, 3};

bool isPrintableStringByte(uint8_t b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
         (b >= '\'' && b <= ')') || (b >= '+' && b <= '/') || b == ' ' || b == ':' || b == '=' ||
         b == '?' || b == '*' || b == '&';
}

// Go x509 parseASN1String (Go 1.26: only the six string types are accepted).
std::string parseAsn1String(uint8_t tag, std::string_view value, std::string* out) {
  out->clear();
  switch (tag) {
    case kTagT61String:
      for (const char c : value) appendRune(out, static_cast<uint8_t>(c));
      return {};
    case kTagPrintableString:
      for (const char c : value) {
        if (!isPrintableStringByte(static_cast<uint8_t>(c))) return "invalid PrintableString";
      }
      *out = std::string(value);
      return {};
    case kTagUtf8String:
      if (!utf8Valid(value)) return "invalid UTF-8 string";
      *out = std::string(value);
      return {};
    case kTagBmpString: {
      if (value.size() % 2 != 0) return "invalid BMPString";
      if (value.size() >= 2 && value[value.size() - 1] == 0 && value[value.size() - 2] == 0) {
        value.remove_suffix(2);
      }
      for (size_t i = 0; i < value.size(); i += 2) {
        const char32_t point = static_cast<char32_t>(static_cast<uint8_t>(value[i]) << 8 |
                                                     static_cast<uint8_t>(value[i + 1]));
        if (point == 0xFFFE || point == 0xFFFF || (point >= 0xFDD0 && point <= 0xFDEF) ||
            (point >= 0xD800 && point <= 0xDFFF)) {
          out->clear();
          return "invalid BMPString";
        }
        appendRune(out, point);
      }
      return {};
    }
    case kTagIa5String:
      if (!isIa5(value)) return "invalid IA5String";
      *out = std::string(value);
      return {};
    case kTagNumericString:
      for (const char c : value) {
        if (!((c >= '0' && c <= '9') || c == ' ')) return "invalid NumericString";
      }
      *out = std::string(value);
      return {};
    default:
      return "unsupported string type: " + std::to_string(tag);
  }
}

// Go x509 parseExtension.
std::string parseExtension(std::string_view contents, Extension* ext) {
  Der der(contents);
  if (!der.readOid(&ext->id)) return "x509: malformed extension OID field";
  if (der.peekTag(kTagBoolean) && !der.readBool(&ext->critical)) {
    return "x509: malformed extension critical field";
  }
  if (!der.read(&ext->value, kTagOctetString)) return "x509: malformed extension value field";
  return {};
}

}  // namespace

bool isIa5(std::string_view s) {
  for (const char c : s) {
    if (static_cast<uint8_t>(c) >= 0x80) return false;
  }
  return true;
}

std::string parseName(std::string_view element, std::string* common_name) {
  Der raw(element);
  std::string_view seq;
  if (!raw.read(&seq, kTagSequence)) return "x509: invalid RDNSequence";
  Der rdns(seq);
  while (!rdns.empty()) {
    std::string_view set;
    if (!rdns.read(&set, kTagSet)) return "x509: invalid RDNSequence";
    Der atavs(set);
    while (!atavs.empty()) {
      std::string_view atav_bytes;
      if (!atavs.read(&atav_bytes, kTagSequence)) {
        return "x509: invalid RDNSequence: invalid attribute";
      }
      Der atav(atav_bytes);
      Oid type;
      if (!atav.readOid(&type)) return "x509: invalid RDNSequence: invalid attribute type";
      std::string_view raw_value;
      uint8_t value_tag = 0;
      if (!atav.readAny(&raw_value, &value_tag)) {
        return "x509: invalid RDNSequence: invalid attribute value";
      }
      std::string value;
      const std::string err = parseAsn1String(value_tag, raw_value, &value);
      if (!err.empty()) return "x509: invalid RDNSequence: invalid attribute value: " + err;
      if (type == kOidCommonName) *common_name = value;
    }
  }
  return {};
}

std::string readName(Der* tbs, std::string* common_name) {
  std::string_view name;
  if (!tbs->readElement(&name, kTagSequence)) return "x509: malformed issuer";
  return parseName(name, common_name);
}

std::string readAsn1Time(Der* der, GoTime* out) {
  std::string_view text;
  if (der->peekTag(kTagUtcTime)) {
    if (!der->read(&text, kTagUtcTime) || !parseUtcTimeText(text, out)) {
      return "x509: malformed UTCTime";
    }
    return {};
  }
  if (der->peekTag(kTagGeneralizedTime)) {
    if (!der->read(&text, kTagGeneralizedTime) || !parseGeneralizedTimeText(text, out)) {
      return "x509: malformed GeneralizedTime";
    }
    return {};
  }
  return "x509: unsupported time format";
}

std::string parseAlgorithmIdentifier(std::string_view contents, Oid* algorithm,
                                     std::string_view* params_full) {
  Der der(contents);
  if (!der.readOid(algorithm)) return "x509: malformed OID";
  *params_full = {};
  if (der.empty()) return {};
  uint8_t tag = 0;
  if (!der.readAnyElement(params_full, &tag)) return "x509: malformed parameters";
  return {};
}

std::string readSignatureAlgorithm(Der* tbs, Der* outer) {
  std::string_view sig_ai_element;
  Der sig_ai_contents;
  if (!tbs->readElementWithContents(&sig_ai_element, &sig_ai_contents, kTagSequence)) {
    return "x509: malformed signature algorithm identifier";
  }
  const std::string_view sig_ai = sig_ai_contents.data();
  std::string_view outer_sig_ai;
  if (!outer->read(&outer_sig_ai, kTagSequence)) return "x509: malformed algorithm identifier";
  if (outer_sig_ai != sig_ai) {
    return "x509: inner and outer signature algorithm identifiers don't match";
  }
  Oid sig_algorithm;
  std::string_view sig_params;
  return parseAlgorithmIdentifier(sig_ai, &sig_algorithm, &sig_params);
}

std::string forEachExtension(std::string_view list, const ExtensionVisitor& visit) {
  Der extensions(list);
  while (!extensions.empty()) {
    std::string_view one;
    if (!extensions.read(&one, kTagSequence)) return "x509: malformed extension";
    Extension ext;
    if (std::string err = parseExtension(one, &ext); !err.empty()) return err;
    if (std::string err = visit(ext); !err.empty()) return err;
  }
  return {};
}

std::string forEachTaggedExtension(Der* tbs, uint8_t tag, const ExtensionVisitor& visit) {
  std::string_view wrapper_bytes;
  bool present = false;
  if (!tbs->readOptional(&wrapper_bytes, &present, tag)) return "x509: malformed extensions";
  if (!present) return {};
  Der wrapper(wrapper_bytes);
  std::string_view list;
  if (!wrapper.read(&list, kTagSequence)) return "x509: malformed extensions";
  return forEachExtension(list, visit);
}

std::string checkAuthorityKeyIdentifier(const Extension& e) {
  if (e.critical) return "x509: authority key identifier incorrectly marked critical";
  Der val(e.value);
  std::string_view akid_bytes;
  if (!val.read(&akid_bytes, kTagSequence)) return "x509: invalid authority key identifier";
  Der akid(akid_bytes);
  if (akid.peekTag(contextTag(0))) {
    std::string_view id;
    if (!akid.read(&id, contextTag(0))) return "x509: invalid authority key identifier";
  }
  return {};
}

}  // namespace ctplab::policy::pki
