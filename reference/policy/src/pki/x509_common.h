// The parts of Go's crypto/x509 parser that certificates and CRLs share: names, times, algorithm
// identifiers and extension lists, each failing with the same message Go returns.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "pki/der_reader.h"
#include "pki/go_time.h"

namespace ctplab::policy::pki {

// Go isIA5String: every rune must be ASCII (invalid UTF-8 decodes to U+FFFD and fails too).
bool isIa5(std::string_view s);

// Go x509 parseName over a Name element; reports the last CN like pkix.Name.FillFromRDNSequence.
std::string parseName(std::string_view element, std::string* common_name);

// Reads the next Name element of a TBS and parses it. Go reports a missing issuer and a missing
// subject alike as "x509: malformed issuer".
std::string readName(Der* tbs, std::string* common_name);

// Go x509 parseTime (readASN1Time): UTCTime or GeneralizedTime.
std::string readAsn1Time(Der* der, GoTime* out);

// Go x509 parseAI; params_full is empty when the parameters are absent.
std::string parseAlgorithmIdentifier(std::string_view contents, Oid* algorithm,
                                     std::string_view* params_full);

// Reads the TBS signature AlgorithmIdentifier and the outer one after the TBS, which Go requires
// to be byte-identical before it parses the inner one.
std::string readSignatureAlgorithm(Der* tbs, Der* outer);

struct Extension {
  Oid id;
  bool critical = false;
  std::string_view value;
};

// Receives each parsed extension in order; a non-empty result stops the walk with that error.
using ExtensionVisitor = std::function<std::string(const Extension&)>;

// Walks the contents of a SEQUENCE OF Extension the way Go does: parse one, act on it, go on.
std::string forEachExtension(std::string_view list, const ExtensionVisitor& visit);

// The optional extensions field of a TBS, explicitly tagged `tag` ([3] for certificates, [0] for
// CRLs) around a SEQUENCE OF Extension.
std::string forEachTaggedExtension(Der* tbs, uint8_t tag, const ExtensionVisitor& visit);

// Go x509 parseAuthorityKeyIdentifier, which certificates and CRLs both apply.
std::string checkAuthorityKeyIdentifier(const Extension& e);

}  // namespace ctplab::policy::pki
