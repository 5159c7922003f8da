// Decoders from YAML objects to the engine's resource structs, one per kind; errors carry
// file:line:column and the field path. Unknown ClientTrafficPolicy fields are errors.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/resources.h"
#include "ctplab/policy/units.h"
#include "ctplab/policy/yaml_reader.h"

namespace ctplab::policy {

// Decodes one object of `kind` and appends it to `out`; kinds the engine does not read are
// skipped with a warning.
void decodeObject(const std::string& kind, const YAML::Node& node, const std::string& file,
                  ResourceSet& out, Diagnostics& diags);

ObjectMeta decodeMeta(const Field& root);
void decodeClientTrafficPolicySpec(const Field& spec, ClientTrafficPolicySpec& out);
// Unknown fields of `authorization` are errors; the features the engine does not model (cors,
// jwt providers, oidc, ...) are accepted as written.
void decodeSecurityPolicySpec(const Field& spec, SecurityPolicySpec& out);

// Unknown fields of `rateLimit` are errors; the other features (timeout, retry, ...) are
// accepted as written.
void decodeBackendTrafficPolicySpec(const Field& spec, BackendTrafficPolicySpec& out);

// Policy target references shared by the policy kinds (targetRef(s) and targetSelectors).
PolicyTargetRef decodeTargetRef(const Field& f);
TargetSelectorSpec decodeTargetSelector(const Field& f);

// Standard base64 (Kubernetes Secret data); nullopt on malformed input.
std::optional<std::string> decodeBase64(std::string_view in);

}  // namespace ctplab::policy
