// A certificate read once into the plain fields that XFCC and the post-handshake client-certificate
// checks need, so neither touches OpenSSL per request and both see the text Envoy would see.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/result.h"

namespace ctplab::proxy::tls {

struct OtherNameSan {
  std::string oid;    // dotted decimal, whatever name OpenSSL knows it by
  std::string value;  // rendered as Envoy renders it (see PeerCertificate::other_name_sans)
  bool operator==(const OtherNameSan&) const = default;
};

struct PeerCertificate {
  std::string der;  // as i2d_X509 re-encodes it, which is what Envoy's digests cover
  // PEM_write_bio_X509's text: 64-column base64 between BEGIN/END lines, each line ending in \n.
  std::string pem;
  std::string sha256_hex;  // lower-case hex SHA-256 of `der`: XFCC's Hash= and the hash pins
  // Base64 (with padding) of the SHA-256 of the DER SubjectPublicKeyInfo: the SPKI pin.
  std::string spki_sha256_base64;
  // X509_NAME_print_ex with XN_FLAG_RFC2253, as Envoy prints it: RDNs in reverse encoding order
  // (`CN=…,C=US`), `,+"\<>;` and edge spaces/# escaped, bytes over 0x7f as \XX.
  std::string subject;
  // Subject alternative names in certificate order, per type. Values are the raw bytes of the
  // name (no IDNA or percent decoding); an IP is text, IPv6 in glibc inet_ntop's form (RFC 5952
  // compression, ::ffff:a.b.c.d for mapped addresses); an IP of neither 4 nor 16 bytes is "".
  std::vector<std::string> dns_sans, uri_sans, email_sans, ip_sans;
  // An otherName's value by its ASN.1 type: strings, times, BIT/OCTET STRING, SET and SEQUENCE
  // as their content bytes, BMP/Universal strings as UTF-8, INTEGER/ENUMERATED in decimal,
  // BOOLEAN as true/false, OBJECT as a dotted OID, anything else (NULL included) as "".
  std::vector<OtherNameSan> other_name_sans;

  // Errors: not exactly one DER certificate (garbage, truncated, trailing bytes), or OpenSSL
  // failing to re-encode it. The thread's OpenSSL error queue is left as it was found, so a
  // caller inside a handshake does not see this parse's errors.
  static Result<PeerCertificate> fromDer(std::string_view der);
  static Result<PeerCertificate> fromX509(const X509& cert);
};

// Every CERTIFICATE block of a PEM bundle, in order (other PEM blocks and text between blocks are
// skipped, as OpenSSL's reader does). Errors: no certificate at all, or a block that does not
// decode.
Result<std::vector<PeerCertificate>> parsePemChain(std::string_view pem);

}  // namespace ctplab::proxy::tls
