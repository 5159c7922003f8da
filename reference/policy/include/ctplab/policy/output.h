// Renderings of a translation: the YAML of Envoy Gateway's translator goldens (`translate`)
// and a report for people (`validate`).
#pragma once

#include <string>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::policy {

// clientTrafficPolicies and securityPolicies (with status), gateways (with listener status),
// infraIR, xdsIR.
Tree translationToTree(const TranslationResult& result);

// Per policy and ancestor: its verdict and message; per listener: the winning policy and the
// effective settings that differ from defaults.
std::string validationReport(const TranslationResult& result);

// The listener fields a policy writes, as the IR's YAML (shared by both renderings). With
// `result`, route authorization also echoes the principal kinds the IR only flags (jwt, headers,
// clientIPGeoLocations) and CEL expressions from their SecurityPolicy.
Tree listenerToTree(const ir::Listener& l, const TranslationResult* result = nullptr);

}  // namespace ctplab::policy
