#!/usr/bin/python3
"""Which client-IP setting can be fooled in my network, and which one should I use?

For every topology in ``scenarios/identity`` (a CDN in front of a load balancer; a PROXY v2
network load balancer with the gateway also reachable directly; two CDNs, one of which sets
``CF-Connecting-IP``) and every ClientTrafficPolicy client-IP setting next to them
(``numTrustedHops`` 1, 2 and 3, ``trustedCIDRs`` with the load balancer's range only, the custom
header ``CF-Connecting-IP``, PROXY protocol), plus two settings this script writes per topology
(``trustedCIDRs`` listing every hop's egress range, and the custom header with ``failClosed``),
it runs ``ctplab audit-xff --json``: an honest request and forged ones (X-Forwarded-For entries,
the custom header, PROXY headers, connections around the hops) through the topology, against the
Gateway in ``gateway-base.yaml`` whose ``/admin`` route is open to the office network only.

It prints one line per topology and setting -- is the honest client seen at its own address, can
the address be forged and with what, does the forgery get into ``/admin`` -- and per topology a
recommendation: a setting with no findings, or the fix the audit computed for the closest one.
Each forgery that worked is then replayed at scale with the ``ctplab`` module (honest and forging
populations through the same hops, ``--seed``), counting the requests where the gateway believed
the forged address. ``xff-audit.md`` (the summary), ``xff-audit.json`` (every audit's output)
and the generated policies land in ``--out``.

Runtime: a few seconds (24 audits of well under a second each, a dozen small simulations).
``--quick`` audits only the shipped policy files and simulates fewer clients.

Adapting it: put your Gateway in place of ``gateway-base.yaml`` (``--gateway FILE``), describe
how clients reach it in a topology file (hops with their egress ranges, the paths clients take,
``directAccess``; format in ``docs/explain-and-audit.md``) and pass it with ``--topology``
(repeatable), and your candidate policies with ``--policy`` (repeatable).

Needs the ``ctplab`` executable (``--ctplab BIN``, else ``$CTPLAB_BIN``, else the newest
``build*/ctplab`` of this checkout, else ``ctplab`` on ``PATH``) and the Python module::

    PYTHONPATH=<build>/python /usr/bin/python3 xff_spoof_audit.py --out DIR
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
IDENTITY = REPO / "scenarios" / "identity"

# The shipped policies, in the order they are shown.
SHIPPED_POLICIES = ["ctp-hops-1.yaml", "ctp-hops-2.yaml", "ctp-hops-3.yaml",
                    "ctp-trusted-lb-only.yaml", "ctp-custom-header.yaml",
                    "ctp-proxy-protocol.yaml"]

POLICY_HEAD = """\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata:
  name: client-ip
  namespace: default
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: Gateway
    name: gw
"""


def import_or_exit(name: str):
    try:
        return __import__(name)
    except ImportError as exc:
        builds = sorted(REPO.glob("build*/python/ctplab"))
        hint = ""
        if builds:
            found = ", ".join(os.path.relpath(b.parent) for b in builds)
            hint = f"\n  built copies of the module found in: {found}"
        print(f"error: cannot import {name} ({exc}).\n"
              f"  Build ctplab with its Python module (CTPLAB_BUILD_PYTHON=ON) and set\n"
              f"  PYTHONPATH=<build>/python:{os.path.relpath(REPO / 'reports')}\n"
              f"  (the module and the ctplab_reports package); use /usr/bin/python3, which\n"
              f"  has NumPy and PyYAML.{hint}", file=sys.stderr)
        sys.exit(2)


def find_ctplab(explicit: str | None) -> str:
    """The ctplab executable: --ctplab, $CTPLAB_BIN, build*/ctplab here, or PATH."""
    if explicit:
        return explicit
    if os.environ.get("CTPLAB_BIN"):
        return os.environ["CTPLAB_BIN"]
    preferred = REPO / "build" / "ctplab"
    if preferred.is_file():
        return str(preferred)
    built = [p for p in REPO.glob("build*/ctplab") if p.is_file() and os.access(p, os.X_OK)]
    if built:
        return str(max(built, key=lambda p: p.stat().st_mtime))
    on_path = shutil.which("ctplab")
    if on_path:
        return on_path
    sys.exit("error: no ctplab executable: build it (ninja -C build ctplab), or name it with "
             "--ctplab BIN or CTPLAB_BIN")


@dataclass
class Policy:
    label: str          # shown in tables
    path: Path
    generated: bool = False


@dataclass
class Audit:
    topology: str
    topology_path: Path
    policy: Policy
    command: list[str]
    report: dict | None = None
    error: str = ""
    accepted: bool = True
    status: str = ""
    simulated: list[dict] = field(default_factory=list)

    @property
    def findings(self) -> list[dict]:
        return self.report["findings"] if self.report else []

    @property
    def forged(self) -> list[dict]:
        return [f for f in self.findings if f["attempt"].startswith("forged")]

    @property
    def baseline(self) -> list[dict]:
        return [f for f in self.findings if f["attempt"] == "baseline"]

    @property
    def bypass(self) -> list[dict]:
        return [f for f in self.forged if f["outcome"].startswith("forwarded")]

    @property
    def clean(self) -> bool:
        return self.report is not None and self.accepted and not self.findings

    def honest_text(self) -> str:
        if self.report is None:
            return "not audited"
        if not self.baseline:
            return "own address"
        parts = []
        for f in self.baseline:
            if f["detected"]:
                parts.append(f"{f['path']}: seen as {f['detected']}")
            else:
                parts.append(f"{f['path']}: {f['outcome']}")
        return "; ".join(parts)

    def forged_text(self) -> str:
        if self.report is None:
            return "-"
        if not self.forged:
            return "no"
        return "YES: " + "; ".join(f"{f['attempt'].removeprefix('forged ')} ({f['path']})"
                                   for f in self.forged)

    def short(self) -> str:
        """A table cell."""
        if self.report is None:
            return "error" if self.error else "rejected"
        if not self.findings:
            return "ok"
        bits = []
        if self.forged:
            kinds = sorted({f["attempt"].removeprefix("forged ") for f in self.forged})
            bits.append("**spoofable** (" + ", ".join(kinds) +
                        ("; /admin bypass" if self.bypass else "") + ")")
        if self.baseline:
            if any(not f["detected"] for f in self.baseline):
                bits.append("honest requests fail")
            else:
                bits.append("wrong client IP")
        return "; ".join(bits)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Audit client-IP settings against forged X-Forwarded-For, custom headers "
                    "and PROXY headers over several topologies; print a table and write a "
                    "Markdown summary.")
    ap.add_argument("--out", default="xff-audit", metavar="DIR",
                    help="output directory (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1, metavar="N",
                    help="seed of the confirming simulations (default: %(default)s; the audit "
                         "itself is deterministic)")
    ap.add_argument("--quick", action="store_true",
                    help="only the shipped policy files; smaller confirming simulations")
    ap.add_argument("--gateway", default=str(IDENTITY / "gateway-base.yaml"), metavar="FILE",
                    help="the Gateway, routes and SecurityPolicy (default: "
                         "scenarios/identity/gateway-base.yaml)")
    ap.add_argument("--topology", action="append", metavar="FILE",
                    help="a topology file (repeatable; default: scenarios/identity/topology-*)")
    ap.add_argument("--policy", action="append", metavar="FILE",
                    help="a ClientTrafficPolicy file (repeatable; default: the shipped ctp-*.yaml "
                         "and two generated settings)")
    ap.add_argument("--no-simulate", action="store_true",
                    help="skip the simulations that replay each working forgery")
    ap.add_argument("--ctplab", metavar="BIN", help="the ctplab executable")
    return ap.parse_args(argv)


def generated_policies(topology: dict, name: str, out: Path) -> list[Policy]:
    """trustedCIDRs of every hop of the topology, and the custom header with failClosed."""
    out.mkdir(parents=True, exist_ok=True)
    ranges = [h.get("egress", "10.255.0.0/24") for h in topology.get("hops") or []]
    cidrs = out / f"ctp-trusted-all-hops--{name}.yaml"
    cidrs.write_text(
        f"# trustedCIDRs listing every hop's egress range of {name}.yaml.\n" + POLICY_HEAD +
        "  clientIPDetection:\n    xForwardedFor:\n"
        f"      trustedCIDRs: [{', '.join(ranges)}]\n", encoding="utf-8")
    closed = out / "ctp-custom-header-fail-closed.yaml"
    closed.write_text(
        "# customHeader CF-Connecting-IP with failClosed: requests without it are refused.\n" +
        POLICY_HEAD + "  clientIPDetection:\n    customHeader:\n"
        "      name: CF-Connecting-IP\n      failClosed: true\n", encoding="utf-8")
    return [Policy("trustedCIDRs: every hop (generated)", cidrs, True),
            Policy("customHeader + failClosed (generated)", closed, True)]


def check_policy(ctplab, gateway: str, policy: Policy) -> tuple[bool, str]:
    """Whether the API server would accept the policy (admission rules) and its status."""
    try:
        t = ctplab.translate(gateway, str(policy.path), enforce_admission=True)
    except ctplab.PolicyError as exc:
        return False, str(exc).splitlines()[0]
    for status in t.statuses:
        if status["kind"] != "ClientTrafficPolicy":
            continue
        if status.get("rejected"):
            return False, "; ".join(status.get("admissionErrors") or ["rejected by admission"])
        for ancestor in status.get("ancestors", []):
            for c in ancestor.get("conditions", []):
                if c["type"] == "Accepted" and c["status"] != "True":
                    return False, c["message"]
    return True, "accepted"


def run_audit(binary: str, gateway: str, policy: Policy, topology: Path) -> Audit:
    cmd = [binary, "audit-xff", gateway, str(policy.path), "--topology", str(topology), "--json"]
    audit = Audit(topology.stem, topology, policy, cmd)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        audit.error = (proc.stderr or proc.stdout).strip()
        return audit
    audit.report = json.loads(proc.stdout)
    return audit


SENT_HEADER = re.compile(r"sends ([A-Za-z0-9-]+): (.+?) (?:through |directly)")
SENT_PROXY = re.compile(r"writes a PROXY (v1|v2) header claiming (\S+)")
SENT_FROM = re.compile(r"a client at (\S+)")


def forgery_population(finding: dict, topology: dict, clients: int) -> dict | None:
    """A scenario population repeating one forgery that worked, or None if it cannot say."""
    sent = finding["sent"]
    paths = {p["name"]: p for p in topology["paths"]}
    if finding["path"].startswith("direct :"):
        port = int(finding["path"].split(":")[1])
        m = SENT_FROM.search(sent)
        source = m.group(1) if m else topology.get("directFrom", "198.51.100.0/24")
        host = next((p.get("host") for p in topology["paths"] if p.get("host")), None)
        req_path = next((p.get("path") for p in topology["paths"]), "/")
        via = []
    else:
        p = paths.get(finding["path"])
        if p is None:
            return None
        port, source, host, req_path, via = (p["port"], p["clients"], p.get("host"),
                                             p.get("path", "/"), p.get("via") or [])
    pop = {"clients": clients,
           "arrival": {"process": "constant", "rate": f"{clients}/s"},
           "target": {"port": port, **({"host": host} if host else {})},
           "source": {"cidr": source},
           "behavior": {"kind": "requests", "request": {"path": req_path}}}
    if via:
        pop["via"] = via
    m = SENT_HEADER.search(sent)
    if m:
        pop["behavior"]["request"]["headers"] = {m.group(1): m.group(2)}
        return pop
    m = SENT_PROXY.search(sent)
    if m:
        pop["proxyHeader"] = {"version": m.group(1).upper(), "source": m.group(2)}
        return pop
    return None


def confirm(ctplab, audit: Audit, gateway: str, topology: dict, seed: int,
            clients: int) -> None:
    """Replay the audit's working forgeries at scale next to honest clients."""
    populations = []
    for p in topology["paths"]:
        honest = {"name": f"honest-{p['name']}", "clients": clients,
                  "arrival": {"process": "constant", "rate": f"{clients}/s"},
                  "target": {"port": p["port"], **({"host": p["host"]} if p.get("host") else {})},
                  "source": {"cidr": p["clients"]},
                  "behavior": {"kind": "requests", "request": {"path": p.get("path", "/")}}}
        if p.get("via"):
            honest["via"] = p["via"]
        populations.append(honest)
    forged = []
    for i, f in enumerate(audit.forged):
        pop = forgery_population(f, topology, clients)
        if pop is None:
            continue
        pop["name"] = f"forgery-{i + 1}"
        populations.append(pop)
        forged.append((pop["name"], f))
    if not forged:
        return
    scenario = ctplab.Scenario.from_dict({
        "name": f"confirm-{audit.topology}-{audit.policy.path.stem}",
        "duration": "5s",
        "resources": [{"file": os.path.abspath(gateway)}, {"file": str(audit.policy.path)}],
        "hops": topology.get("hops") or [],
        "populations": populations,
    })
    result = ctplab.simulate(scenario, seed=seed, records=True)
    records = result.to_dict().get("records", [])
    for name, f in forged:
        mine = [r for r in records if r["population"] == name]
        believed = sum(1 for r in mine if r.get("client_ip") == f["detected"])
        allowed = sum(1 for r in mine if 200 <= r.get("status", 0) < 300)
        audit.simulated.append({"population": name, "path": f["path"], "attempt": f["attempt"],
                                "forged": f["detected"], "requests": len(mine),
                                "believed": believed, "allowed": allowed})
    for p in topology["paths"]:
        name = f"honest-{p['name']}"
        net = ipaddress.ip_network(p["clients"], strict=False)
        mine = [r for r in records if r["population"] == name]
        own = sum(1 for r in mine if r.get("client_ip")
                  and ipaddress.ip_address(r["client_ip"]) in net)
        audit.simulated.append({"population": name, "path": p["name"], "attempt": "honest",
                                "requests": len(mine), "own_address": own})


def recommend(audits: list[Audit]) -> tuple[str, list[str]]:
    """A setting with no findings, or the audit's fix for the closest one."""
    clean = [a for a in audits if a.clean]
    if clean:
        first = clean[0]
        others = [a.policy.label for a in clean[1:]]
        text = f"use {first.policy.label}: honest clients seen at their own address, no forgery " \
               f"believed"
        if others:
            text += f" (also clean: {', '.join(others)})"
        return text, []
    usable = [a for a in audits if a.report is not None and a.accepted]
    if not usable:
        return "no setting could be audited", []
    # Closest: honest clients seen right first (a setting that breaks them cannot be deployed),
    # then the fewest forgeries that get past authorization, then the fewest forgeries.
    closest = min(usable, key=lambda a: (len(a.baseline), len(a.bypass), len(a.forged)))
    fixes = list(dict.fromkeys(f["fix"] for f in closest.findings if f.get("fix")))
    return (f"no tried setting is clean; closest: {closest.policy.label} "
            f"({len(closest.findings)} finding(s)); the audit's fix:", fixes)


def table(rows: list[list[str]], head: list[str]) -> list[str]:
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return [line(head), line(["-" * w for w in widths])] + [line(r) for r in rows]


def md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    yaml = import_or_exit("yaml")
    ctplab = import_or_exit("ctplab")
    binary = find_ctplab(args.ctplab)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gateway = os.path.abspath(args.gateway)
    topologies = [Path(t).resolve() for t in args.topology] if args.topology else \
        sorted(IDENTITY.glob("topology-*.yaml"))
    clients = 10 if args.quick else 50

    audits: dict[str, list[Audit]] = {}
    topo_docs: dict[str, dict] = {}
    for topo_path in topologies:
        with open(topo_path, encoding="utf-8") as fh:
            topo = yaml.safe_load(fh)
        topo_docs[topo_path.stem] = topo
        if args.policy:
            policies = [Policy(Path(p).name, Path(p).resolve()) for p in args.policy]
        else:
            policies = [Policy(name, IDENTITY / name) for name in SHIPPED_POLICIES]
            if not args.quick:
                policies += generated_policies(topo, topo_path.stem, out / "policies")
        row = []
        for policy in policies:
            accepted, status = check_policy(ctplab, gateway, policy)
            audit = run_audit(binary, gateway, policy, topo_path)
            audit.accepted, audit.status = accepted, status
            if audit.error:
                print(f"error: {' '.join(audit.command)}:\n{audit.error}", file=sys.stderr)
            elif audit.forged and not args.no_simulate:
                confirm(ctplab, audit, gateway, topo, args.seed, clients)
            row.append(audit)
        audits[topo_path.stem] = row

    # The console table.
    rows = []
    for topo, row in audits.items():
        for a in row:
            admission = "" if a.accepted else f" [rejected by admission: {a.status}]"
            rows.append([topo.removeprefix("topology-"), a.policy.label + admission,
                         a.honest_text(), a.forged_text(),
                         "YES" if a.bypass else ("-" if a.report is None else "no")])
    print("\n".join(table(rows, ["topology", "policy", "honest client", "spoofable (forgery)",
                                 "/admin bypass"])))
    print()
    recommendations = {}
    for topo, row in audits.items():
        text, fixes = recommend(row)
        recommendations[topo] = (text, fixes)
        print(f"Recommendation for {topo}: {text}")
        for fix in fixes:
            print(f"    - {fix}")
    simulated = [(topo, a) for topo, row in audits.items() for a in row if a.simulated]
    if simulated:
        print()
        print(f"Forgeries replayed in simulation (seed {args.seed}, {clients} clients per "
              "population):")
        for topo, a in simulated:
            for s in a.simulated:
                if s["attempt"] == "honest":
                    continue
                print(f"  {topo} / {a.policy.label}: {s['attempt']} on {s['path']}: gateway saw "
                      f"{s['forged']} in {s['believed']} of {s['requests']} requests, "
                      f"{s['allowed']} allowed")

    # The Markdown summary.
    md = ["# X-Forwarded-For spoofing audit", "",
          f"Gateway: `{os.path.relpath(gateway)}`. Every ClientTrafficPolicy "
          "client-IP setting below was audited with `ctplab audit-xff` over every topology: an "
          "honest request through the hops, forged `X-Forwarded-For` entries, forged custom "
          "headers, forged PROXY headers, and (where the topology allows direct access) the "
          "same forgeries sent around the hops.", "",
          "- **ok**: every honest client is seen at its own address and no forgery is believed.",
          "- **spoofable**: a forgery changed the address the gateway detects (named in "
          "parentheses); *`/admin` bypass*: it also turned the allow list's 403 into a 200.",
          "- **wrong client IP**: honest clients are seen as a hop's address (one rate-limit "
          "bucket for all, useless IP rules and logs); **honest requests fail**: closed or "
          "answered 400/403 before the application.", ""]
    labels = list(dict.fromkeys(a.policy.label for row in audits.values() for a in row))
    md.append("| topology | " + " | ".join(md_escape(label) for label in labels) + " |")
    md.append("| --- |" + " --- |" * len(labels))
    for topo, row in audits.items():
        cells = {a.policy.label: a.short() for a in row}
        md.append(f"| {topo} | " + " | ".join(md_escape(cells.get(label, "")) for label in labels)
                  + " |")
    md += ["", "## Recommendations", ""]
    for topo, (text, fixes) in recommendations.items():
        md.append(f"- **{topo}**: {md_escape(text)}")
        md.extend(f"  - {md_escape(fix)}" for fix in fixes)
    md += ["", "## Findings", ""]
    for topo, row in audits.items():
        desc = " ".join(str(topo_docs[topo].get("description", "")).split())
        md += [f"### {topo}", "", desc, ""] if desc else [f"### {topo}", ""]
        for a in row:
            cmd = " ".join(["ctplab", "audit-xff", os.path.relpath(gateway),
                            os.path.relpath(a.policy.path), "--topology",
                            os.path.relpath(a.topology_path)])
            md.append(f"#### {md_escape(a.policy.label)}: {md_escape(a.short())}")
            md.append("")
            md.append(f"`{cmd}`")
            md.append("")
            if not a.accepted:
                md.append(f"Rejected by admission: {md_escape(a.status)}")
                md.append("")
            if a.error:
                md += ["```", a.error, "```", ""]
                continue
            for f in a.findings:
                md.append(f"- {f['path']}, {f['attempt']}: {md_escape(f['sent'])}; detected "
                          f"{f['detected'] or '(nothing)'} -> {f['outcome']}. "
                          f"{md_escape(f['effect'])}. Fix: {md_escape(f['fix'])}")
            for s in a.simulated:
                if s["attempt"] == "honest":
                    md.append(f"- simulated honest clients on {s['path']}: {s['own_address']} of "
                              f"{s['requests']} requests seen at the client's own address")
                else:
                    md.append(f"- simulated {s['attempt']} on {s['path']}: the gateway saw "
                              f"{s['forged']} in {s['believed']} of {s['requests']} requests; "
                              f"{s['allowed']} allowed")
            if not a.findings:
                md.append("- no findings")
            md.append("")
    (out / "xff-audit.md").write_text("\n".join(md), encoding="utf-8")
    (out / "xff-audit.json").write_text(json.dumps(
        {topo: [{"policy": a.policy.label, "accepted": a.accepted, "status": a.status,
                 "audit": a.report, "error": a.error, "simulated": a.simulated} for a in row]
         for topo, row in audits.items()}, indent=1) + "\n", encoding="utf-8")
    print()
    print(f"wrote {out / 'xff-audit.md'} and {out / 'xff-audit.json'}"
          " (commands in it are relative to the current directory)")
    return 1 if any(a.error for row in audits.values() for a in row) else 0


if __name__ == "__main__":
    sys.exit(main())
