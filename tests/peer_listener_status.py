#!/usr/bin/python3
"""Compares Gateway and ListenerSet listener statuses printed by `ctplab translate` with Envoy
Gateway's translator goldens (the policy comparison tool checks policies and IR, not these).

usage: peer_listener_status.py CTPLAB CASES_DIR   (exit 77 = skipped, cases not present)
"""
import glob
import os
import subprocess
import sys

import yaml


def conditions(items):
    return [(c["type"], c["status"], c["reason"], c["message"]) for c in items or []]


def statuses(doc):
    out = {}
    for gw in doc.get("gateways") or []:
        for l in (gw.get("status") or {}).get("listeners") or []:
            kinds = [k["kind"] for k in l.get("supportedKinds") or []]
            out[("Gateway", gw["metadata"]["name"], l["name"])] = (
                l.get("attachedRoutes"), conditions(l.get("conditions")), kinds)
    for ls in doc.get("listenerSets") or []:
        status = ls.get("status") or {}
        out[("ListenerSet", ls["metadata"]["name"], "")] = conditions(status.get("conditions"))
        for l in status.get("listeners") or []:
            out[("ListenerSet", ls["metadata"]["name"], l["name"])] = (
                l.get("attachedRoutes"), conditions(l.get("conditions")))
    return out


def main():
    ctplab, cases = sys.argv[1], sys.argv[2]
    if not os.path.isdir(cases):
        print(f"SKIPPED: Envoy Gateway golden cases not found at {cases}")
        return 77
    passed = failed = 0
    for case in sorted(glob.glob(os.path.join(cases, "*.in.yaml"))):
        with open(case.replace(".in.yaml", ".out.yaml")) as f:
            expected = statuses(yaml.safe_load(f))
        run = subprocess.run([ctplab, "translate", "--now", "2026-06-01T00:00:00Z", case],
                             capture_output=True, text=True, timeout=60)
        actual = statuses(yaml.safe_load(run.stdout) or {})
        diffs = [k for k in expected if expected[k] != actual.get(k)]
        if diffs:
            failed += 1
            print(f"FAIL {os.path.basename(case)}")
            for k in diffs[:5]:
                print(f"  {k}\n    expected {expected[k]}\n    actual   {actual.get(k)}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
