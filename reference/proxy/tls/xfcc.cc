// Building and applying the x-forwarded-client-cert header.
#include "ctplab/proxy/tls/xfcc.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "client_ip/header_fields.h"

namespace ctplab::proxy::tls {
namespace {

std::optional<XfccMode> modeFrom(std::string_view mode) {
  if (mode == "Sanitize") return XfccMode::kSanitize;
  if (mode == "ForwardOnly") return XfccMode::kForwardOnly;
  if (mode == "AppendForward") return XfccMode::kAppendForward;
  if (mode == "SanitizeSet") return XfccMode::kSanitizeSet;
  if (mode == "AlwaysForwardOnly") return XfccMode::kAlwaysForwardOnly;
  return std::nullopt;
}

bool setDetail(std::string_view name, XfccDetails& details) {
  if (name == "Cert") {
    details.cert = true;
  } else if (name == "Chain") {
    details.chain = true;
  } else if (name == "Subject") {
    details.subject = true;
  } else if (name == "URI") {
    details.uri = true;
  } else if (name == "DNS") {
    details.dns = true;
  } else {
    return false;
  }
  return true;
}

// Lengths first, inline: every request's fields are checked.
bool isXfcc(const http1::Header& h) {
  return h.name.size() == std::size(kXfccHeader) - 1 &&
         http1::equalsIgnoreCase(h.name, kXfccHeader);
}

}  // namespace

std::optional<XfccConfig> xfccConfigFrom(std::string_view mode,
                                         const std::vector<std::string>& details) {
  auto parsed = xfccConfigFromIr(policy::ir::HeaderSettings::Xfcc{std::string(mode), details});
  if (!parsed) return std::nullopt;
  return parsed.value();
}

Result<XfccConfig> xfccConfigFromIr(const std::optional<policy::ir::HeaderSettings::Xfcc>& xfcc) {
  XfccConfig config;
  if (!xfcc) return config;
  auto mode = modeFrom(xfcc->mode);
  if (!mode) return Error{"xForwardedClientCert: unknown mode \"" + xfcc->mode + "\""};
  config.mode = *mode;
  for (const std::string& detail : xfcc->cert_details_to_add) {
    if (!setDetail(detail, config.details)) {
      return Error{"xForwardedClientCert: unknown certDetailsToAdd entry \"" + detail + "\""};
    }
  }
  return config;
}

std::string urlEncodePem(std::string_view pem) {
  std::string out;
  out.reserve(pem.size() + pem.size() / 8);
  for (char c : pem) {
    switch (c) {
      case '\n':
        out += "%0A";
        break;
      case ' ':
        out += "%20";
        break;
      case '+':
        out += "%2B";
        break;
      case '/':
        out += "%2F";
        break;
      case '=':
        out += "%3D";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xfccElement(const std::vector<PeerCertificate>& client_chain,
                        const std::vector<std::string>& local_uri_sans,
                        const XfccDetails& details) {
  if (client_chain.empty()) return {};
  const PeerCertificate& leaf = client_chain.front();
  std::vector<std::string> pairs;
  for (const std::string& uri : local_uri_sans) pairs.push_back("By=" + uri);
  if (!leaf.sha256_hex.empty()) pairs.push_back("Hash=" + leaf.sha256_hex);
  // Envoy drops Cert and Chain when the encoding came out empty, but always writes Subject.
  if (details.cert && !leaf.pem.empty()) pairs.push_back("Cert=\"" + urlEncodePem(leaf.pem) + "\"");
  if (details.chain) {
    std::string chain;
    for (const PeerCertificate& cert : client_chain) chain += urlEncodePem(cert.pem);
    if (!chain.empty()) pairs.push_back("Chain=\"" + chain + "\"");
  }
  if (details.subject) pairs.push_back("Subject=\"" + leaf.subject + "\"");
  if (details.uri) {
    for (const std::string& uri : leaf.uri_sans) pairs.push_back("URI=" + uri);
    if (leaf.uri_sans.empty()) pairs.push_back("URI=");
  }
  if (details.dns) {
    for (const std::string& dns : leaf.dns_sans) pairs.push_back("DNS=" + dns);
  }
  std::string element;
  for (const std::string& pair : pairs) {
    if (!element.empty()) element += ';';
    element += pair;
  }
  return element;
}

XfccAction applyXfcc(const XfccConfig& config, http1::HeaderList& headers,
                     const std::vector<PeerCertificate>& client_chain,
                     const std::vector<std::string>& local_uri_sans) {
  // Envoy's header map already folded repeated fields while decoding, whatever the mode.
  const std::optional<std::string> received = client_ip::combinedValue(headers, kXfccHeader);
  const bool mutual_tls = !client_chain.empty();
  const bool forward = config.mode == XfccMode::kAlwaysForwardOnly ||
                       (mutual_tls && config.mode == XfccMode::kForwardOnly);
  if (forward) {
    if (received) client_ip::setSingleField(headers, kXfccHeader, *received);
    return XfccAction::kForwarded;
  }
  if (config.mode == XfccMode::kSanitize || !mutual_tls) {
    headers.erase(std::remove_if(headers.begin(), headers.end(), isXfcc), headers.end());
    return XfccAction::kSanitized;
  }
  std::string element = xfccElement(client_chain, local_uri_sans, config.details);
  if (config.mode == XfccMode::kAppendForward) {
    std::string value = received.value_or("");
    if (!element.empty()) {
      if (!value.empty()) value += ',';
      value += element;
    }
    client_ip::setSingleField(headers, kXfccHeader, std::move(value));
    return XfccAction::kAppended;
  }
  client_ip::setSingleField(headers, kXfccHeader, std::move(element));
  return XfccAction::kSet;
}

}  // namespace ctplab::proxy::tls
