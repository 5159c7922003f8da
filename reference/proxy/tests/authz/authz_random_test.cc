// 10,000 seeded random rules: the compiled policy must decide exactly as a linear first-match scan
// over the rules as written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctplab/common/splitmix64.h"
#include "ctplab/proxy/authz/authz_policy.h"

namespace ctplab::proxy::authz {
namespace {

// The same inputs on every run and platform.
using Rng = ::ctplab::SplitMix64;

const std::vector<IpCidr>& blocks() {
  static const std::vector<IpCidr> kBlocks = {*IpCidr::parse("10.0.0.0/12"),
                                              *IpCidr::parse("192.168.0.0/16"),
                                              *IpCidr::parse("2001:db8::/96")};
  return kBlocks;
}

IpAddress randomAddress(Rng& rng) {
  if (rng.below(10) == 0) return IpCidr::parse("0.0.0.0/0")->addressAt(rng.next());
  return blocks()[rng.below(3)].addressAt(rng.next());
}

// Long prefixes, so that an address matches few rules and the deciding rule can sit anywhere in
// the list; `broad` ones (the tail of the list, where catch-alls usually are) go down to /8 (/32).
std::string randomCidr(Rng& rng, bool broad) {
  const IpAddress a = randomAddress(rng);
  const uint32_t bits = a.family() == IpAddress::Family::kV4 ? 32 : 128;
  const uint32_t prefix = broad ? bits / 4 + rng.below(bits * 3 / 4 + 1) : bits - rng.below(13);
  return a.toString() + "/" + std::to_string(prefix);
}

constexpr const char* kMethods[] = {"GET", "POST", "PUT", "DELETE"};
constexpr const char* kPaths[] = {"/a", "/a/b", "/ab", "/b", "/"};

AuthzConfig randomConfig(Rng& rng, size_t count) {
  AuthzConfig c;
  c.default_action = rng.below(2) ? Action::kAllow : Action::kDeny;
  for (size_t i = 0; i < count; ++i) {
    AuthzRule r;
    r.name = "r" + std::to_string(i);
    r.action = rng.below(2) ? Action::kAllow : Action::kDeny;
    for (uint32_t n = 1 + rng.below(3); n > 0; --n) {
      r.client_cidrs.push_back(randomCidr(rng, i >= count * 9 / 10 && rng.below(20) == 0));
    }
    if (rng.below(7) == 0) {
      for (uint32_t n = 1 + rng.below(2); n > 0; --n) r.methods.push_back(kMethods[rng.below(4)]);
    }
    if (rng.below(10) == 0) {
      r.path = PathMatch{rng.below(2) ? PathMatch::Type::kExact : PathMatch::Type::kPrefix,
                         kPaths[rng.below(5)]};
    }
    if (rng.below(40) == 0) {
      r.unmodelled = {UnmodelledCondition::kHeaders};
      if (rng.below(4) == 0) {
        // Without clientCIDRs the rule meets every client; a narrow operation keeps it from
        // deciding every request.
        r.client_cidrs.clear();
        r.methods = {"DELETE"};
        r.path = PathMatch{PathMatch::Type::kExact, "/b"};
      }
    }
    c.rules.push_back(std::move(r));
  }
  return c;
}

// The reference the compiled policy must agree with: every rule, in order.
struct LinearScan {
  const AuthzConfig& config;
  std::vector<std::vector<IpCidr>> cidrs;

  explicit LinearScan(const AuthzConfig& c) : config(c) {
    for (const AuthzRule& r : c.rules) {
      std::vector<IpCidr> parsed;
      for (const std::string& text : r.client_cidrs) parsed.push_back(*IpCidr::parse(text));
      cidrs.push_back(std::move(parsed));
    }
  }

  Decision evaluate(const IpAddress& client, const char* method, std::string path) const {
    path = path.substr(0, path.find('?'));
    for (uint32_t i = 0; i < config.rules.size(); ++i) {
      const AuthzRule& r = config.rules[i];
      bool ip_ok = cidrs[i].empty();
      for (const IpCidr& c : cidrs[i]) ip_ok = ip_ok || c.contains(client);
      if (!ip_ok) continue;
      if (!r.methods.empty() || r.path) {
        if (method == nullptr) continue;
        bool method_ok = r.methods.empty();
        for (const std::string& m : r.methods) method_ok = method_ok || m == method;
        // Prefixes match whole segments; "/" matches every path.
        const auto& v = r.path ? r.path->value : std::string();
        bool path_ok = !r.path || (r.path->type == PathMatch::Type::kExact
                                       ? path == v
                                       : v == "/" || path == v || path.starts_with(v + "/"));
        if (!method_ok || !path_ok) continue;
      }
      Decision d;
      d.rule = i;
      d.decided_by = r.unmodelled.empty() ? DecidedBy::kRule : DecidedBy::kUnmodelledRule;
      d.allowed = r.unmodelled.empty() && r.action == Action::kAllow;
      return d;
    }
    Decision d;
    d.allowed = config.default_action == Action::kAllow;
    return d;
  }
};

void expectSame(const Decision& got, const Decision& want, const std::string& what) {
  ASSERT_EQ(got.allowed, want.allowed) << what;
  ASSERT_EQ(got.decided_by, want.decided_by) << what;
  ASSERT_EQ(got.rule, want.rule) << what;
}

TEST(AuthzRandom, TenThousandRulesAgreeWithALinearScan) {
  Rng rng(5150);
  const AuthzConfig config = randomConfig(rng, 10000);
  auto compiled = AuthzPolicy::compile(config);
  ASSERT_TRUE(compiled.ok());
  const AuthzPolicy& policy = compiled.value();
  const LinearScan scan(config);

  size_t by_default = 0, past_first_thousand = 0, by_conditional = 0;
  for (int i = 0; i < 3000; ++i) {
    IpAddress client = randomAddress(rng);
    if (i % 3 == 0) {
      // Inside one of the listed CIDRs, so that most requests meet a rule.
      const AuthzRule& r = config.rules[rng.below(10000)];
      if (!r.client_cidrs.empty()) {
        client =
            IpCidr::parse(r.client_cidrs[rng.below(static_cast<uint32_t>(r.client_cidrs.size()))])
                ->addressAt(rng.next());
      }
    }
    const char* method = kMethods[rng.below(4)];
    const std::string path = std::string(kPaths[rng.below(5)]) + (rng.below(3) ? "" : "?q=1");
    const Decision want = scan.evaluate(client, method, path);
    const std::string what = client.toString() + " " + method + " " + path;
    expectSame(policy.evaluateHttp(client, method, path), want, what);
    expectSame(policy.evaluateTcp(client), scan.evaluate(client, nullptr, ""), what + " (tcp)");
    by_default += !want.rule.has_value();
    past_first_thousand += want.rule.has_value() && *want.rule >= 1000;
    by_conditional += want.rule.has_value() && (!config.rules[*want.rule].methods.empty() ||
                                                config.rules[*want.rule].path.has_value() ||
                                                !config.rules[*want.rule].unmodelled.empty());
  }
  // The draw must reach deep into the list and exercise conditional rules, not just defaults.
  EXPECT_GT(by_default, 100u);
  EXPECT_GT(past_first_thousand, 500u);
  EXPECT_GT(by_conditional, 100u);
}

}  // namespace
}  // namespace ctplab::proxy::authz
