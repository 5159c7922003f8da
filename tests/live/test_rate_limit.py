"""Rate limits and JWT authentication against `ctplab serve` with curl on 127.0.0.1: the local
per-IP limit keyed on the XFF-detected client (upstream e2e RL-8), the global limit counted in a
real Redis (started and stopped here) with fail-open when Redis goes away, and a SecurityPolicy
JWT provider with claim authorization (401 / 403 / 200 and claim headers)."""
import json
import shutil
import socket
import subprocess
import time

import pytest

from conftest import ctplab_binary, curl

TIMEOUT_S = 5


def get(curl_bin, server, path, *headers):
    """(status, {lower-case header: value}, body) of one GET."""
    args = ["-D", "-"]
    for h in headers:
        args += ["-H", h]
    rc, code, out = curl(curl_bin, server.url(path), *args, timeout=TIMEOUT_S)
    assert rc == 0, out
    # text mode turned CR LF into LF
    head, _, body = out.partition("\n\n")
    fields = {}
    for line in head.split("\n")[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return code, fields, body


def test_local_limit_keys_on_the_detected_client(serve, curl_bin):
    server = serve("ratelimit/gateway.yaml")
    for client in ("192.168.1.1", "192.168.1.2"):
        for remaining in (2, 1, 0):
            code, fields, _ = get(curl_bin, server, "/local", f"X-Forwarded-For: {client}")
            assert code == 200
            assert fields["x-ratelimit-limit"] == "3"
            assert fields["x-ratelimit-remaining"] == str(remaining)
        code, fields, body = get(curl_bin, server, "/local", f"X-Forwarded-For: {client}")
        assert code == 429
        assert body == "local_rate_limited"
        assert fields["x-ratelimit-remaining"] == "0"
    # A route without a policy is never limited and carries no rate-limit headers.
    code, fields, _ = get(curl_bin, server, "/open", "X-Forwarded-For: 192.168.1.1")
    assert code == 200 and "x-ratelimit-limit" not in fields
    stats = server.stats()
    assert stats["http_local_rate_limiter.http_local_rate_limit.ok"] == 6
    assert stats["http_local_rate_limiter.http_local_rate_limit.enforced"] == 2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server (Debian package redis-server) is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        assert proc.poll() is None, "redis-server exited"
        assert time.monotonic() < deadline, "redis-server did not answer PING"
        time.sleep(0.05)
    yield proc, port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_global_limit_is_shared_by_workers_through_redis(serve, curl_bin, redis_server):
    redis, port = redis_server
    # Two workers: each has its own Redis connection, the counter is the same.
    server = serve("ratelimit/gateway.yaml",
                   extra=["--workers", "2", "--rate-limit-redis", f"127.0.0.1:{port}",
                          "--rate-limit-timeout", "2s"])
    # Fixed one-minute windows on the Unix clock: start well inside one, so all five requests
    # count against the same window.
    if 60 - time.time() % 60 < 5:
        time.sleep(60 - time.time() % 60 + 0.1)
    codes = []
    for _ in range(5):
        code, fields, _ = get(curl_bin, server, "/global", "X-Forwarded-For: 10.9.8.7")
        codes.append(code)
        if code == 429:
            assert fields["x-envoy-ratelimited"] == "true"
    assert codes == [200, 200, 200, 429, 429]
    code, _, _ = get(curl_bin, server, "/global", "X-Forwarded-For: 10.9.8.6")
    assert code == 200
    stats = server.stats()
    assert stats["ratelimit.ok"] == 4 and stats["ratelimit.over_limit"] == 2
    assert stats.get("ratelimit.error", 0) == 0
    # Redis gone: every check fails and the filter lets the requests through (Envoy's default).
    redis.terminate()
    redis.wait(timeout=10)
    for _ in range(3):
        code, _, _ = get(curl_bin, server, "/global", "X-Forwarded-For: 10.9.8.7")
        assert code == 200
    stats = server.stats()
    assert stats["ratelimit.failure_mode_allowed"] == 3
    assert stats["ratelimit.error"] == 3


def test_global_limit_without_a_store_fails_open(serve, curl_bin):
    server = serve("ratelimit/gateway.yaml")
    for _ in range(5):
        code, _, _ = get(curl_bin, server, "/global", "X-Forwarded-For: 10.9.8.7")
        assert code == 200
    assert server.stats()["ratelimit.failure_mode_allowed"] == 5


JWT_GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {{name: eg}}
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: jwt, namespace: default}}
spec:
  gatewayClassName: eg
  listeners:
  - {{name: http, protocol: HTTP, port: 80}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: api, namespace: default}}
spec:
  parentRefs: [{{name: jwt}}]
  rules:
  - matches: [{{path: {{type: PathPrefix, value: /}}}}]
    backendRefs: [{{name: echo, port: 8080}}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {{name: jwt-admins, namespace: default}}
spec:
  targetRefs:
  - {{group: gateway.networking.k8s.io, kind: HTTPRoute, name: api}}
  jwt:
    providers:
    - name: example
      issuer: https://issuer.example
      claimToHeaders: [{{header: x-user, claim: sub}}]
      localJWKS:
        type: Inline
        inline: '{jwks}'
  authorization:
    defaultAction: Deny
    rules:
    - action: Allow
      principal:
        jwt:
          provider: example
          claims: [{{name: role, values: [admin]}}]
"""


@pytest.fixture
def jwt_setup(tmp_path):
    key = tmp_path / "key.pem"
    r = subprocess.run([ctplab_binary(), "jwt", "keygen", "--alg", "ES256", "--kid", "k1",
                        "--key-out", str(key)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    gateway = tmp_path / "jwt.yaml"
    gateway.write_text(JWT_GATEWAY.format(jwks=r.stdout.strip()))

    def token(claims, expires_in=600):
        args = [ctplab_binary(), "jwt", "sign", "--key", str(key), "--alg", "ES256", "--kid", "k1",
                "--claims", json.dumps(claims)]
        if expires_in is not None:
            args += ["--expires-in", str(expires_in)]
        out = subprocess.run(args, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    return str(gateway), token


def test_jwt_claims_decide_and_reach_the_backend(serve, curl_bin, jwt_setup):
    gateway, token = jwt_setup
    server = serve(gateway)
    issuer = {"iss": "https://issuer.example", "sub": "alice"}
    code, fields, body = get(curl_bin, server, "/")
    assert code == 401 and body == "Jwt is missing"
    assert fields["www-authenticate"].startswith('Bearer realm="http://')
    admin = token({**issuer, "role": "admin"})
    code, _, body = get(curl_bin, server, "/", f"Authorization: Bearer {admin}")
    assert code == 200, body
    assert json.loads(body)["headers"]["X-User"] == ["alice"]
    # A client cannot forge the claim header: the filter replaces it.
    code, _, body = get(curl_bin, server, "/", f"Authorization: Bearer {admin}", "X-User: root")
    assert code == 200 and json.loads(body)["headers"]["X-User"] == ["alice"]
    code, _, body = get(curl_bin, server, "/",
                        f"Authorization: Bearer {token({**issuer, 'role': 'user'})}")
    assert code == 403 and body == "RBAC: access denied"
    code, fields, body = get(curl_bin, server, "/",
                             f"Authorization: Bearer {token({**issuer, 'role': 'admin'}, -120)}")
    assert code == 401 and body == "Jwt is expired"
    assert 'error="invalid_token"' in fields["www-authenticate"]
    code, _, body = get(curl_bin, server, "/", f"Authorization: Bearer {admin[:-4]}AAAA")
    assert code == 401 and body == "Jwt verification fails"
    stats = server.stats()
    assert stats["http.http-10080.jwt_authn.allowed"] == 3
    assert stats["http.http-10080.jwt_authn.denied"] == 3
