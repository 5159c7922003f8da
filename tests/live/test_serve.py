"""Interop tests of `ctplab serve` on 127.0.0.1: curl and raw sockets against the live proxy,
checking responses, what the echo backend saw, and the admin endpoint's counters."""
import json
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import curl, echo_json, raw_exchange, read_until_close

HOST = "Host: www.example.com"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_echo_backend_sees_forwarding_headers(serve, curl_bin):
    s = serve("gateway.yaml")
    code, status, body = curl(curl_bin, s.url("/hello?x=1"), "-H", HOST)
    assert (code, status) == (0, 200), body
    echo = echo_json(body)
    assert echo["path"] == "/hello?x=1"
    assert echo["host"] == "www.example.com"
    assert echo["method"] == "GET"
    assert echo["proto"] == "HTTP/1.1"
    assert echo["namespace"] == "default"
    assert echo["headers"]["X-Forwarded-For"] == ["127.0.0.1"]
    assert echo["headers"]["X-Forwarded-Proto"] == ["http"]
    assert UUID_RE.match(echo["headers"]["X-Request-Id"][0])
    assert echo["ctplab"]["clientAddress"] == "127.0.0.1"
    assert echo["ctplab"]["listener"] == "default/gw/http"
    # No route for this host: the proxy's own 404.
    _, status, _ = curl(curl_bin, s.url("/"), "-H", "Host: other.example.com")
    assert status == 404
    stats = s.stats()
    assert stats["http.http-10080.downstream_rq_2xx"] == 1
    assert stats["http.http-10080.downstream_rq_4xx"] == 1
    assert stats["http.http-10080.downstream_rq_total"] == 2


def test_xff_trusted_hops_decide_authorization(serve, curl_bin):
    s = serve("gateway.yaml", "ctp-trusted-hops.yaml")
    cases = [("192.168.0.5", 200), ("192.168.1.5", 403), ("10.0.0.1", 403)]
    for xff, want in cases:
        _, status, body = curl(curl_bin, s.url("/admin"), "-H", HOST, "-H",
                               f"X-Forwarded-For: {xff}")
        assert status == want, (xff, body)
        if want == 403:
            assert body == "RBAC: access denied"
    # Without X-Forwarded-For detection falls back to the peer, which no rule allows.
    _, status, _ = curl(curl_bin, s.url("/admin"), "-H", HOST)
    assert status == 403
    _, status, body = curl(curl_bin, s.url("/"), "-H", HOST, "-H", "X-Forwarded-For: 203.0.113.9")
    assert status == 200
    echo = echo_json(body)
    assert echo["ctplab"]["clientAddress"] == "203.0.113.9"
    assert echo["headers"]["X-Forwarded-For"] == ["203.0.113.9,127.0.0.1"]
    stats = s.stats()
    assert stats["http.http-10080.rbac.allowed"] == 1
    assert stats["http.http-10080.rbac.denied"] == 3


def test_custom_header_fail_closed(serve, curl_bin):
    s = serve("gateway.yaml", "ctp-custom-header.yaml")
    _, status, body = curl(curl_bin, s.url("/"), "-H", HOST)
    assert (status, body) == (403, "")
    _, status, _ = curl(curl_bin, s.url("/"), "-H", HOST, "-H", "X-Real-IP: not-an-ip")
    assert status == 403
    _, status, body = curl(curl_bin, s.url("/admin"), "-H", HOST, "-H", "X-Real-IP: 192.168.0.7")
    assert status == 200
    assert echo_json(body)["ctplab"]["clientAddress"] == "192.168.0.7"
    assert s.stats()["http.http-10080.downstream_rq_rejected_via_ip_detection"] == 2


def hold_connections(port, count):
    """Opens `count` connections one after another, each given time to be accepted in order."""
    socks = []
    for _ in range(count):
        socks.append(socket.create_connection(("127.0.0.1", port), timeout=3))
        time.sleep(0.1)
    return socks


def served(sock):
    """Whether the proxy answers a request on this connection (it closes rejected ones)."""
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
        sock.settimeout(3)
        return sock.recv(4096).startswith(b"HTTP/1.1 200 ")
    except OSError:
        return False


def test_connection_limit_admits_exactly_two(serve):
    for workers in ("1", "2"):
        s = serve("gateway.yaml", "ctp-connection-limit.yaml", extra=["--workers", workers])
        socks = hold_connections(s.port(), 4)
        try:
            results = [served(c) for c in socks]
            assert results.count(True) == 2, (workers, results)
            if workers == "1":
                assert results == [True, True, False, False]
            assert s.wait_stat("connection_limit.http-10080.limited_connections", 2) == 2
            assert s.wait_stat("connection_limit.http-10080.active_connections", 2) == 2
            _, prom = s.admin_get("/stats/prometheus")
            assert ('envoy_connection_limit_limited_connections'
                    '{envoy_connection_limit_prefix="http-10080"} 2') in prom
        finally:
            for c in socks:
                c.close()
        # Closing the admitted connections frees their slots.
        assert s.wait_stat("connection_limit.http-10080.active_connections", 0) == 0
        again = hold_connections(s.port(), 1)
        assert served(again[0])
        again[0].close()


def test_close_delay_holds_a_rejected_connection(serve):
    s = serve("gateway.yaml", "ctp-close-delay.yaml")
    first = hold_connections(s.port(), 1)[0]
    try:
        assert served(first)
        with socket.create_connection(("127.0.0.1", s.port()), timeout=5) as rejected:
            start = time.monotonic()
            rejected.sendall(b"GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
            # Nothing it sent is answered; it is closed (reset: it sent data) after closeDelay.
            assert read_until_close(rejected, 5) == b""
            waited = time.monotonic() - start
        assert 0.8 <= waited < 3.0, waited
        assert s.wait_stat("connection_limit.http-10080.limited_connections", 1) == 1
        assert s.wait_stat("connection_limit.http-10080.active_connections", 1) == 1
    finally:
        first.close()


def test_proxy_protocol_required(serve, curl_bin):
    s = serve("gateway.yaml", "ctp-proxy-protocol.yaml")
    code, status, body = curl(curl_bin, s.url("/"), "-H", HOST, "--haproxy-protocol")
    assert (code, status) == (0, 200), body
    echo = echo_json(body)
    assert echo["ctplab"]["clientAddress"] == "127.0.0.1"
    assert echo["headers"]["X-Forwarded-For"] == ["127.0.0.1"]
    # A header written by hand: its source is the client the proxy sees.
    reply = raw_exchange(s.port(), b"PROXY TCP4 203.0.113.50 127.0.0.1 5555 80\r\n"
                         b"GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 ")
    body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
    assert body["headers"]["X-Forwarded-For"] == ["203.0.113.50"]
    # Without the header the connection is reset without an answer (curl: "Recv failure").
    code, status, _ = curl(curl_bin, s.url("/"), "-H", HOST)
    assert code == 56 and status == 0
    stats = s.stats()
    assert stats["proxy_proto.versions.v1.found"] == 2
    assert stats["proxy_proto.not_found_disallowed"] == 1


def test_idle_and_request_timeouts_close_silent_connections(serve):
    s = serve("gateway.yaml", "ctp-timeouts.yaml")
    with socket.create_connection(("127.0.0.1", s.port()), timeout=5) as idle:
        start = time.monotonic()
        assert read_until_close(idle, 5) == b""
        waited = time.monotonic() - start
    assert 0.8 <= waited < 3.0, waited
    assert s.wait_stat("http.http-10080.downstream_cx_idle_timeout", 1) == 1
    # Half a request head, then silence: 408 after requestReceivedTimeout, and the close.
    with socket.create_connection(("127.0.0.1", s.port()), timeout=5) as slow:
        start = time.monotonic()
        slow.sendall(b"GET / HTTP/1.1\r\nHost: www.exa")
        reply = read_until_close(slow, 5)
        waited = time.monotonic() - start
    assert reply.startswith(b"HTTP/1.1 408 "), reply
    assert b"connection: close" in reply.lower()
    assert 0.4 <= waited < 2.5, waited
    assert s.wait_stat("http.http-10080.downstream_rq_timeout", 1) == 1


def test_sigterm_lets_the_request_in_flight_finish(serve, curl_bin):
    s = serve("gateway.yaml", extra=["--drain-time", "5s"])
    slow = subprocess.Popen([curl_bin, "-sS", "--max-time", "10", "-o", "/dev/null", "-w",
                             "%{http_code}", "-H", HOST, s.url("/?delay=1s")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)  # the request is in the backend now
        start = time.monotonic()
        rc, err = s.terminate()
        stopped_after = time.monotonic() - start
        out, _ = slow.communicate(timeout=10)
    finally:
        if slow.poll() is None:
            slow.kill()
            slow.wait()
    assert rc == 0, err
    assert out == "200"
    assert 0.4 <= stopped_after < 4.0, stopped_after
    assert "shutting down" in err


def test_drain_time_bounds_the_shutdown(serve, curl_bin):
    s = serve("gateway.yaml", extra=["--drain-time", "300ms"])
    slow = subprocess.Popen([curl_bin, "-sS", "--max-time", "10", "-o", "/dev/null", "-w",
                             "%{http_code}", "-H", HOST, s.url("/?delay=5s")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        start = time.monotonic()
        rc, err = s.terminate()
        stopped_after = time.monotonic() - start
        out, _ = slow.communicate(timeout=10)
    finally:
        if slow.poll() is None:
            slow.kill()
            slow.wait()
    assert rc == 0, err
    assert stopped_after < 2.5, stopped_after
    assert out == "000"  # cut off: no response
    assert "drain time over" in err


def test_pipelined_burst_behind_a_slow_request_pauses_reading(serve):
    s = serve("gateway.yaml", "ctp-buffer-limit.yaml")
    count = 300
    request = b"GET /p HTTP/1.1\r\nHost: www.example.com\r\n\r\n"
    slow = b"GET /p?delay=300ms HTTP/1.1\r\nHost: www.example.com\r\n\r\n"
    last = request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", s.port()), timeout=5) as c:
        # 13 KB of requests against a 1 KiB buffer while the first one waits in the backend: the
        # proxy stops reading the socket until the answer lets the codec move on.
        c.sendall(slow + request * (count - 2) + last)
        replies = read_until_close(c, 10)
    assert replies.count(b"HTTP/1.1 200 OK\r\n") == count
    stats = s.stats()
    assert stats["http.http-10080.downstream_rq_2xx"] == count
    assert stats["http.http-10080.downstream_flow_control_paused_reading_total"] >= 1
    assert stats["http.http-10080.downstream_flow_control_resumed_reading_total"] >= 1


def test_admin_endpoints(serve):
    s = serve("gateway.yaml")
    assert s.admin_get("/ready") == (200, "LIVE\n")
    _, dump = s.admin_get("/config_dump")
    assert "gateway: default/gw" in dump
    assert f"bound: 127.0.0.1:{s.port()}" in dump
    _, prom = s.admin_get("/stats/prometheus")
    assert '# TYPE envoy_http_downstream_rq_total counter' in prom
    assert 'envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix="http-10080"} 0' in prom
    _, same = s.admin_get("/stats?format=prometheus")
    assert same == prom


def test_malformed_requests_get_the_codecs_answers(serve):
    s = serve("gateway.yaml")
    reply = raw_exchange(s.port(), b"GET / HTTP/1.1\r\nHost: www.example.com\r\nbad header\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 "), reply
    reply = raw_exchange(s.port(), b"GET / HTTP/1.1\r\nHost: www.example.com\r\nx_y: 1\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 "), reply
    reply = raw_exchange(s.port(), b"GET / HTTP/1.1\r\nHost: www.example.com\r\nX-Big: " +
                         b"a" * 70000 + b"\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:100]
    reply = raw_exchange(s.port(), b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200))
    assert reply == b"" or reply.startswith(b"HTTP/1.1 400 ")
    stats = s.stats()
    assert stats["http.http-10080.downstream_cx_protocol_error"] >= 3
    assert stats["http.http-10080.http1.requests_rejected_with_underscores_in_headers"] == 1
    # The proxy is still serving.
    reply = raw_exchange(s.port(), b"GET / HTTP/1.1\r\nHost: www.example.com\r\n"
                         b"Connection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 ")


class UpstreamHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.answer(b"")

    def do_POST(self):
        self.answer(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

    def answer(self, body):
        seen = {"path": self.path, "headers": dict(self.headers.items()),
                "body": body.decode()}
        data = json.dumps(seen).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Upstream", "yes")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_forwarding_backend(serve, curl_bin):
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), UpstreamHandler)
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    try:
        port = upstream.server_address[1]
        s = serve("gateway.yaml", extra=["--backend", f"127.0.0.1:{port}"])
        _, status, body = curl(curl_bin, s.url("/up?q=1"), "-H", HOST, "-d", "payload")
        assert status == 201, body
        seen = json.loads(body)
        assert seen["path"] == "/up?q=1"
        assert seen["body"] == "payload"
        assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
        assert seen["headers"]["host"] == "www.example.com"
        # Two requests on one downstream connection reuse the upstream connection.
        code, _, out = curl(curl_bin, s.url("/a"), "-H", HOST, "-i", "--next", "-H", HOST,
                            s.url("/b"))
        assert code == 0 and out.count("HTTP/1.1 201") == 2 and "x-upstream: yes" in out.lower()
    finally:
        upstream.shutdown()
        upstream.server_close()


def test_unreachable_backend_is_503(serve, curl_bin):
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    s = serve("gateway.yaml", extra=["--backend", f"127.0.0.1:{port}"])
    _, status, body = curl(curl_bin, s.url("/"), "-H", HOST)
    assert status == 503
    assert body.startswith("upstream connect error or disconnect/reset before headers")


def test_bad_input_and_busy_ports(tmp_path):
    from conftest import ctplab_binary, resource
    binary = ctplab_binary()
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Gateway\nmetadata: [\n")
    r = subprocess.run([binary, "serve", str(bad)], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2
    assert re.search(r"bad.yaml:\d+:\d+: error", r.stderr)
    r = subprocess.run([binary, "serve"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2
    r = subprocess.run([binary, "serve", resource("gateway.yaml"), "--workers", "0"],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 2
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        offset = busy.getsockname()[1] - 80
        r = subprocess.run([binary, "serve", resource("gateway.yaml"), "--port-offset",
                            str(offset)], capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert "cannot listen on 127.0.0.1:" in r.stderr
