// `ctplab jwt`: makes signing keys with the JWKS a SecurityPolicy's localJWKS needs, and signs
// tokens with them, so scenarios and live checks can carry real, verifiable JWTs.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "ctplab/proxy/jwt/jwt_signer.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

constexpr const char* kJwtUsage =
    "usage: ctplab jwt keygen --alg ALG [--kid KID] --key-out KEY.pem [--jwks-out JWKS.json]\n"
    "       ctplab jwt sign --key KEY.pem --alg ALG [--kid KID] --claims JSON|@FILE\n"
    "                       [--expires-in SECONDS]\n"
    "  ALG              RS256, RS384, RS512, PS256, ES256 or ES384\n"
    "  keygen           writes a new private key (PEM) and its public JWKS ({\"keys\":[...]};\n"
    "                   printed when --jwks-out is absent)\n"
    "  sign             prints a compact JWS of the claims; --expires-in sets exp that many\n"
    "                   seconds from now (and iat to now)\n"
    "exit 0: done, 1: key or signing failure, 2: usage error or unreadable input\n";

int usage(const std::string& message) {
  std::cerr << "ctplab jwt: " << message << "\n" << kJwtUsage;
  return 2;
}

struct JwtArgs {
  std::string alg, kid, key, key_out, jwks_out, claims;
  std::optional<int64_t> expires_in;
};

bool readText(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

bool writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

int keygen(const JwtArgs& a) {
  if (a.key_out.empty()) return usage("keygen needs --key-out");
  auto key = proxy::jwt::SigningKey::generate(a.alg, a.kid);
  if (!key) {
    std::cerr << "ctplab jwt: " << key.error().message << "\n";
    return 1;
  }
  const std::string jwks = proxy::jwt::jwksJson({&key.value()});
  if (!writeText(a.key_out, key.value().privateKeyPem())) {
    return usage("cannot write " + a.key_out);
  }
  if (a.jwks_out.empty()) {
    std::cout << jwks << "\n";
  } else if (!writeText(a.jwks_out, jwks + "\n")) {
    return usage("cannot write " + a.jwks_out);
  }
  return 0;
}

int sign(const JwtArgs& a) {
  if (a.key.empty()) return usage("sign needs --key");
  if (a.claims.empty()) return usage("sign needs --claims");
  std::string pem;
  if (!readText(a.key, pem)) return usage("cannot read " + a.key);
  std::string claims_text = a.claims;
  if (claims_text[0] == '@' && !readText(claims_text.substr(1), claims_text)) {
    return usage("cannot read " + a.claims.substr(1));
  }
  nlohmann::json claims = nlohmann::json::parse(claims_text, nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) {
    return usage("--claims: not a JSON object");
  }
  if (a.expires_in) {
    const int64_t now = wallClockNow().unixSeconds();
    claims["iat"] = now;
    claims["exp"] = now + *a.expires_in;
  }
  auto key = proxy::jwt::SigningKey::fromPrivateKeyPem(pem, a.alg, a.kid);
  if (!key) {
    std::cerr << "ctplab jwt: " << a.key << ": " << key.error().message << "\n";
    return 1;
  }
  std::cout << key.value().sign(claims) << "\n";
  return 0;
}

}  // namespace

int runJwt(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kJwtUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string action = args[0];
  JwtArgs a;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (i + 1 >= args.size()) return usage(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--alg") {
      a.alg = value;
    } else if (flag == "--kid") {
      a.kid = value;
    } else if (flag == "--key") {
      a.key = value;
    } else if (flag == "--key-out") {
      a.key_out = value;
    } else if (flag == "--jwks-out") {
      a.jwks_out = value;
    } else if (flag == "--claims") {
      a.claims = value;
    } else if (flag == "--expires-in") {
      try {
        size_t used = 0;
        a.expires_in = std::stoll(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      } catch (const std::exception&) {
        return usage("--expires-in: not a number of seconds: " + value);
      }
    } else {
      return usage("unknown option " + flag);
    }
  }
  if (a.alg.empty()) return usage("--alg is required");
  if (action == "keygen") return keygen(a);
  if (action == "sign") return sign(a);
  return usage("unknown action \"" + action + "\" (keygen or sign)");
}

}  // namespace ctplab::cli
