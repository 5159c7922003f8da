"""HTTP/2 against `ctplab serve`: h2c with prior knowledge and h2 by ALPN, with curl and nghttp on
127.0.0.1 — the same request flow as HTTP/1.1 (client IP, echo backend, upstream), streams
multiplexed on one connection, refused header names, and the http2.* counters; and the TLS
handshake timeout of the HTTPS listener."""
import datetime
import json
import shutil
import socket
import ssl
import subprocess
import time

import pytest

from conftest import ctplab_binary

TIMEOUT_S = 10


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    out = tmp_path_factory.mktemp("h2-certs")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = subprocess.run([ctplab_binary(), "certs", "--out", str(out), "--now", now, "--host",
                        "www.example.com", "--namespace", "default"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture
def proxy(serve, certs):
    return serve("h2/gateway.yaml", str(certs / "secrets.yaml"))


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def curl(*args):
    r = subprocess.run([tool("curl"), "-sS", "--max-time", str(TIMEOUT_S), "-o", "-", "-w",
                        "\n%{http_code} %{http_version}", *args],
                       capture_output=True, text=True, timeout=TIMEOUT_S + 5)
    body, _, tail = r.stdout.rpartition("\n")
    code, _, version = tail.partition(" ")
    return r.returncode, int(code or 0), version, body, r.stderr


def test_h2c_prior_knowledge_runs_the_request_flow(proxy):
    rc, status, version, body, err = curl(
        "--http2-prior-knowledge", "-H", "Host: www.example.com",
        "-H", "X-Forwarded-For: 203.0.113.7", f"http://127.0.0.1:{proxy.port(80)}/h2c?x=1")
    assert (rc, status, version) == (0, 200, "2"), err
    echo = json.loads(body)
    assert echo["path"] == "/h2c?x=1"
    assert echo["host"] == "www.example.com"
    # One trusted hop: the client the load balancer saw, as over HTTP/1.1.
    assert echo["ctplab"]["clientAddress"] == "203.0.113.7"
    stats = proxy.stats()
    assert stats["http.http-10080.downstream_cx_http2_total"] == 1
    assert stats["http.http-10080.downstream_rq_http2_total"] == 1
    assert stats["http.http-10080.downstream_rq_2xx"] == 1
    assert stats["http.http-10080.downstream_cx_http1_total"] == 0


def test_http1_and_h2c_share_the_plain_port(proxy):
    rc, status, version, _, err = curl("-H", "Host: www.example.com",
                                       f"http://127.0.0.1:{proxy.port(80)}/one")
    assert (rc, status, version) == (0, 200, "1.1"), err
    rc, status, version, _, err = curl("--http2-prior-knowledge", "-H", "Host: www.example.com",
                                       f"http://127.0.0.1:{proxy.port(80)}/two")
    assert (rc, status, version) == (0, 200, "2"), err
    stats = proxy.stats()
    assert stats["http.http-10080.downstream_cx_http1_total"] == 1
    assert stats["http.http-10080.downstream_cx_http2_total"] == 1


def test_alpn_h2_over_tls(proxy, certs):
    port = proxy.port(443)
    rc, status, version, body, err = curl(
        "--http2", "--cacert", str(certs / "ca.crt"), "--resolve",
        f"www.example.com:{port}:127.0.0.1", f"https://www.example.com:{port}/tls")
    assert (rc, status, version) == (0, 200, "2"), err
    echo = json.loads(body)
    assert echo["sni"] == "www.example.com"
    assert echo["headers"]["X-Forwarded-Proto"] == ["https"]
    # A client that offers only HTTP/1.1 gets it on the same listener.
    rc, status, version, _, err = curl(
        "--http1.1", "--cacert", str(certs / "ca.crt"), "--resolve",
        f"www.example.com:{port}:127.0.0.1", f"https://www.example.com:{port}/tls")
    assert (rc, status, version) == (0, 200, "1.1"), err
    stats = proxy.stats()
    assert stats["http.https-10443.downstream_cx_http2_total"] == 1
    assert stats["http.https-10443.downstream_cx_http1_total"] == 1


def test_nghttp_multiplexes_streams_on_one_connection(proxy):
    nghttp = tool("nghttp")
    url = f"http://127.0.0.1:{proxy.port(80)}/"
    urls = [url + f"stream-{i}" for i in range(20)]
    r = subprocess.run([nghttp, "-n", "-s", "-H", ":authority: www.example.com", *urls],
                       capture_output=True, text=True, timeout=TIMEOUT_S + 10)
    assert r.returncode == 0, r.stdout + r.stderr
    stats = proxy.stats()
    # nghttp opens all 20 streams before the proxy's SETTINGS arrive; with maxConcurrentStreams 8
    # the first 8 are served on the one connection and the other 12 refused (RST_STREAM
    # REFUSED_STREAM, which tells the client they were not processed and may be retried).
    assert stats["http.http-10080.downstream_cx_http2_total"] == 1
    assert stats["http.http-10080.downstream_rq_http2_total"] == 8
    assert stats["http.http-10080.downstream_rq_2xx"] == 8
    assert stats["http.http-10080.http2.stream_refused_errors"] == 12
    assert stats["http.http-10080.http2.tx_reset"] == 12


def test_header_with_underscore_resets_the_stream(proxy):
    rc, status, _, _, err = curl("--http2-prior-knowledge", "-H", "Host: www.example.com",
                                 "-H", "x_custom: 1", f"http://127.0.0.1:{proxy.port(80)}/u")
    # RejectRequest (Envoy Gateway's default): HTTP/2 resets the stream, no response.
    assert rc != 0 and status == 0, (rc, status, err)
    assert proxy.wait_stat(
        "http.http-10080.http2.requests_rejected_with_underscores_in_headers", 1) == 1


def test_h2_clients_through_the_upstream_pool(serve, proxy):
    """h2 downstream, HTTP/1.1 upstream: a second proxy forwards to the first."""
    nghttp = tool("nghttp")
    upstream = proxy
    gateway = serve("gateway.yaml", extra=["--backend", f"127.0.0.1:{upstream.port(80)}"])
    urls = [f"http://127.0.0.1:{gateway.port(80)}/up-{i}" for i in range(6)]  # within the limit
    r = subprocess.run([nghttp, "-n", "-s", "-H", ":authority: www.example.com", *urls],
                       capture_output=True, text=True, timeout=TIMEOUT_S + 10)
    assert r.returncode == 0, r.stdout + r.stderr
    assert gateway.stats()["http.http-10080.downstream_rq_2xx"] == 6
    # Six concurrent streams need up to six upstream connections, each kept for reuse.
    assert 1 <= upstream.stats()["http.http-10080.downstream_cx_total"] <= 6
    assert upstream.stats()["http.http-10080.downstream_rq_2xx"] == 6


def test_tls_handshake_timeout_closes_a_stalled_handshake(serve, certs):
    """tcp.tlsHandshakeTimeout: a client that sends its ClientHello and never finishes the
    handshake is closed after the timeout (listener downstream_cx_transport_socket_connect_timeout);
    a client that completes it in time is served."""
    proxy = serve("h2/gateway.yaml", "h2/ctp-tls-handshake-timeout.yaml",
                  str(certs / "secrets.yaml"))
    port = proxy.port(443)
    context = ssl.create_default_context(cafile=str(certs / "ca.crt"))
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    session = context.wrap_bio(incoming, outgoing, server_hostname="www.example.com")
    try:
        session.do_handshake()
    except ssl.SSLWantReadError:
        pass
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(outgoing.read())  # the ClientHello, and nothing after it
        start = time.monotonic()
        sock.settimeout(5)
        try:
            while sock.recv(65536):
                pass  # the server's flight; the client never answers it
        except ConnectionResetError:
            pass
        waited = time.monotonic() - start
    assert 0.8 <= waited < 3.0, waited
    assert proxy.wait_stat(
        "listener.0.0.0.0_10443.downstream_cx_transport_socket_connect_timeout", 1) == 1
    rc, status, _, _, err = curl("--http2", "--cacert", str(certs / "ca.crt"), "--resolve",
                                 f"www.example.com:{port}:127.0.0.1",
                                 f"https://www.example.com:{port}/in-time")
    assert (rc, status) == (0, 200), err
