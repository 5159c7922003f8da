#!/usr/bin/python3
"""Mutual TLS at scale in the simulator: 1,000,000 clients drawn from 100 client certificates
against an HTTPS listener that verifies them, side by side with the same run where the listener
asks for no certificate.

The handshake model runs one real OpenSSL handshake per (listener, population, validity epoch),
so the mTLS run must verify each of the 100 certificates exactly once (the simulator reports
`TLS handshakes computed`) and cost at most twice the wall time of the run without mTLS.

Usage: benchmarks/mtls_bench.py [--ctplab build/ctplab] [--quick]
Prints a Markdown table and exits 1 when a goal is missed. --quick runs a tenth of the clients.
"""
import argparse
import os
import re
import sys
import tempfile

from simulator_bench import run as simulate

HERE = os.path.dirname(os.path.abspath(__file__))
CERTIFICATES = 100

GATEWAY = """  - inline: |
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: eg}
      spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: edge, namespace: partners}
      spec:
        gatewayClassName: eg
        listeners:
        - name: api
          protocol: HTTPS
          port: 443
          hostname: api.example.com
          tls:
            mode: Terminate
            certificateRefs: [{name: server-api.example.com}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: api, namespace: partners}
      spec:
        parentRefs: [{name: edge}]
        rules:
        - backendRefs: [{name: api, port: 8080}]
"""

MTLS_POLICY = """  - inline: |
      apiVersion: gateway.envoyproxy.io/v1alpha1
      kind: ClientTrafficPolicy
      metadata: {name: partners-mtls, namespace: partners}
      spec:
        targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge}]
        tls:
          clientValidation:
            caCertificateRefs: [{kind: Secret, name: client-ca}]
"""


def scenario(mtls, clients_per_certificate):
    lines = [
        f"name: mtls-{'on' if mtls else 'off'}",
        "seed: 1",
        "duration: 40s",
        "network: {latency: 10ms, jitter: 2ms}",
        "certificates:",
        "  seed: 2",
        "  hosts: [api.example.com]",
        "  namespace: partners",
        "  clients:",
    ]
    lines += [f"    - {{name: partner-{i}, validFor: 8760h}}" for i in range(CERTIFICATES)]
    lines.append("resources:")
    text = "\n".join(lines) + "\n" + GATEWAY + (MTLS_POLICY if mtls else "")
    text += "populations:\n"
    rate = clients_per_certificate / 30
    for i in range(CERTIFICATES):
        text += f"  - name: partner-{i}\n"
        text += f"    clients: {clients_per_certificate}\n"
        text += f"    arrival: {{process: poisson, rate: {rate:.3f}/s}}\n"
        text += "    target: {port: 443}\n"
        if mtls:
            text += f"    tls: {{certificate: partner-{i}}}\n"
    return text


def count(pattern, text):
    return sum(int(m) for m in re.findall(pattern, text))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ctplab", default=os.path.join(HERE, "..", "build", "ctplab"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    ctplab = os.path.abspath(args.ctplab)
    per_certificate = 1000 if args.quick else 10000

    scratch = tempfile.gettempdir()
    wall_off, _, _, _ = simulate(ctplab, scenario(False, per_certificate), scratch)
    wall_on, _, _, out_on = simulate(ctplab, scenario(True, per_certificate), scratch)
    clients = count(r"population partner-\d+: (\d+) clients", out_on)
    handshakes = count(r"ssl\.handshake (\d+)", out_on)
    computed = int(re.search(r"TLS handshakes computed \(distinct certificate verdicts\) (\d+)",
                             out_on).group(1))
    ratio = wall_on / wall_off
    print("| measurement | value | goal |")
    print("| --- | --- | --- |")
    print(f"| mTLS clients | {clients:,} | {CERTIFICATES * per_certificate:,} |")
    print(f"| distinct client certificates | {CERTIFICATES} | |")
    print(f"| successful mTLS handshakes | {handshakes:,} | every client |")
    print(f"| real certificate verifications | {computed} | {CERTIFICATES} (one per certificate) |")
    print(f"| wall time without mTLS | {wall_off:.1f} s | |")
    print(f"| wall time with mTLS | {wall_on:.1f} s | <= 2x without |")
    print(f"| ratio | {ratio:.2f}x | <= 2.00x |")
    ok = computed == CERTIFICATES and handshakes == clients == CERTIFICATES * per_certificate
    ok = ok and ratio <= 2.0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
