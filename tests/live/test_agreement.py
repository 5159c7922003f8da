"""The simulator's data plane and the live proxy must agree: for each request, `ctplab explain`
(the decision the simulator makes, in virtual time) and `ctplab serve` (the same data plane on
real sockets) give the same status, the same detected client address and the same forwarded
X-Forwarded-For."""
import json
import subprocess

import pytest

from conftest import ctplab_binary, raw_exchange, resource

HOST = "www.example.com"

# (policy file, path, headers, PROXY header claim or None)
CASES = [
    ("ctp-trusted-hops.yaml", "/admin", [("X-Forwarded-For", "192.168.0.5")], None),
    ("ctp-trusted-hops.yaml", "/admin", [("X-Forwarded-For", "192.168.1.5")], None),
    ("ctp-trusted-hops.yaml", "/admin", [("X-Forwarded-For", "10.9.9.9, 192.168.3.4")], None),
    ("ctp-trusted-hops.yaml", "/admin", [], None),
    ("ctp-trusted-hops.yaml", "/other?q=1", [("X-Forwarded-For", "203.0.113.9")], None),
    ("ctp-custom-header.yaml", "/admin", [("X-Real-IP", "192.168.7.7")], None),
    ("ctp-custom-header.yaml", "/admin", [("X-Real-IP", "192.168.1.1")], None),
    ("ctp-custom-header.yaml", "/admin", [], None),
    ("ctp-custom-header.yaml", "/", [("X-Real-IP", "not-an-ip")], None),
    ("ctp-proxy-protocol.yaml", "/admin", [], "192.168.4.4"),
    ("ctp-proxy-protocol.yaml", "/admin", [("X-Forwarded-For", "192.168.0.1")], "198.51.100.7"),
    ("ctp-proxy-protocol.yaml", "/", [], "2001:db8::7"),
]


def explain(policy, path, headers, claim):
    cmd = [ctplab_binary(), "explain", resource("gateway.yaml"), resource(policy), "--port", "80",
           "--source", "127.0.0.1", "--host", HOST, "--path", path, "--json"]
    for name, value in headers:
        cmd += ["--header", f"{name}: {value}"]
    if claim:
        cmd += ["--proxy-header", f"v1:{claim}"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def live(server, path, headers, claim):
    """One request on a fresh connection; returns (status, body, echo JSON or None)."""
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    head += "".join(f"{n}: {v}\r\n" for n, v in headers)
    head += "Connection: close\r\n\r\n"
    data = head.encode()
    if claim:
        family = "TCP6" if ":" in claim else "TCP4"
        dest = "::1" if ":" in claim else "127.0.0.1"
        data = f"PROXY {family} {claim} {dest} 40000 80\r\n".encode() + data
    reply = raw_exchange(server.port(80), data)
    status_line, _, rest = reply.partition(b"\r\n")
    status = int(status_line.split()[1])
    body = rest.partition(b"\r\n\r\n")[2].decode()
    echo = json.loads(body) if status == 200 else None
    return status, body, echo


@pytest.mark.parametrize("policy", sorted({c[0] for c in CASES}))
def test_simulator_and_live_proxy_agree(serve, policy):
    server = serve("gateway.yaml", policy)
    for _, path, headers, claim in [c for c in CASES if c[0] == policy]:
        predicted = explain(policy, path, headers, claim)
        status, body, echo = live(server, path, headers, claim)
        what = (policy, path, headers, claim)
        assert status == predicted["outcome"]["status"], (what, body, predicted["outcome"])
        if echo is None:
            assert body == predicted["outcome"]["body"], what
            continue
        assert echo["ctplab"]["clientAddress"] == predicted["client_ip"], what
        forwarded = {h["name"].lower(): h["value"] for h in predicted["forwarded_headers"]}
        xff = forwarded.get("x-forwarded-for")
        assert echo["headers"].get("X-Forwarded-For") == ([xff] if xff is not None else None), what
