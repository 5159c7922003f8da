"""HTTP/3 against `ctplab serve` with Debian's `gtlsclient` (ngtcp2's example client) on 127.0.0.1:
the upstream e2e behaviour H3-1 (four HTTPS listeners on 443, HTTP/3 on the Gateway, every
hostname answered 200 by its own listener, the exact www.awesome.org listener over the wildcard),
the same request flow as HTTP/1.1 and HTTP/2 (echo backend, routing), the http3 counters, junk
datagrams, and a reload.

gtlsclient neither verifies the server certificate nor reports failure in its exit status, so the
checks read its output (`:status`) and the body it downloads (the echo backend names the listener
and SNI the connection was served under). It sends the host it connects to as SNI, or `localhost`
for a numeric address (its --sni is not applied), so the H3-1 requests run it in a private mount
namespace whose /etc/hosts maps the four hostnames to 127.0.0.1; the other checks connect by
address and reach a fifth listener, `localhost`. The certificate each listener serves is compared
byte for byte by the adapter's unit tests (http3_tests)."""
import datetime
import json
import shutil
import socket
import subprocess
import urllib.request

import pytest

from conftest import ctplab_binary

CLIENT_TIMEOUT_S = 10
HOSTS = ["foo.example.com", "bar.example.com", "*.awesome.org", "www.awesome.org", "localhost"]
# Envoy Gateway serves Gateway port 443 on 10443: every HTTPS listener of the port shares the
# HCM prefix https-10443.
HCM = "http.https-10443."
LISTENER = "listener.0.0.0.0_10443."
GATEWAY = "default/http3-gtw/"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    out = tmp_path_factory.mktemp("h3-certs")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    args = [ctplab_binary(), "certs", "--out", str(out), "--now", now, "--namespace", "default"]
    for host in HOSTS:
        args += ["--host", host]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def gtlsclient():
    path = shutil.which("gtlsclient")
    if path is None:
        pytest.skip("gtlsclient (Debian package ngtcp2-client) is not installed")
    return path


@pytest.fixture
def proxy(serve, certs):
    return serve("h3/gateway.yaml", str(certs / "secrets.yaml"))


def h3_get(gtlsclient, tmp_path, port, host, path="/h3check", connect="127.0.0.1", prefix=()):
    """One GET over HTTP/3 with :authority `host`, connecting to `connect` (SNI: see above);
    returns (status or None, echo JSON or None, client output)."""
    download = tmp_path / f"dl-{host}-{port}"
    download.mkdir(exist_ok=True)
    r = subprocess.run(
        [*prefix, gtlsclient, "--no-quic-dump", "--no-http-dump", "--exit-on-all-streams-close",
         "--timeout=5s", f"--download={download}", connect, str(port),
         f"https://{host}:{port}{path}"],
        capture_output=True, timeout=CLIENT_TIMEOUT_S + 10)
    output = (r.stdout + r.stderr).decode(errors="replace")
    status = None
    for line in output.splitlines():
        if ":status:" in line:
            status = int(line.rsplit(":", 1)[1].strip().rstrip("]"))
    saved = download / path.strip("/").split("?")[0]
    echo = json.loads(saved.read_text()) if saved.exists() and saved.stat().st_size else None
    return status, echo, output


H3_1 = {  # hostname → the listener whose chain its SNI selects
    "foo.example.com": "foo",
    "bar.example.com": "bar",
    "www.awesome.org": "awesome-www",
    "api.awesome.org": "awesome-wildcard",
}


@pytest.fixture(scope="module")
def named_hosts(tmp_path_factory):
    """A command prefix that runs a client where the H3-1 hostnames resolve to 127.0.0.1."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    hosts = tmp_path_factory.mktemp("h3-hosts") / "hosts"
    hosts.write_text("".join(f"127.0.0.1 {h}\n" for h in H3_1))
    prefix = [unshare, "-rm", "sh", "-c", f'mount --bind "{hosts}" /etc/hosts && exec "$@"', "sh"]
    probe = subprocess.run(prefix + ["getent", "hosts", "foo.example.com"], capture_output=True,
                           text=True, timeout=10)
    if probe.returncode != 0 or "127.0.0.1" not in probe.stdout:
        pytest.skip("cannot give the client a private /etc/hosts (unshare -rm refused: "
                    f"{probe.stderr.strip()})")
    return prefix


def test_h3_1_hostnames_answered_200_over_http3(proxy, gtlsclient, named_hosts, tmp_path):
    port = proxy.port(443)
    for host, listener in H3_1.items():
        status, echo, output = h3_get(gtlsclient, tmp_path, port, host, connect=host,
                                      prefix=named_hosts)
        assert status == 200, output
        assert echo is not None, output
        assert echo["proto"] == "HTTP/3.0"
        assert echo["host"] == f"{host}:{port}"
        # The SNI chose the chain: the exact www.awesome.org listener over *.awesome.org.
        assert echo["sni"] == host
        assert echo["ctplab"]["listener"] == GATEWAY + listener
        assert echo["ctplab"]["peerAddress"] == "127.0.0.1"
    stats = proxy.stats()
    assert stats[HCM + "downstream_cx_http3_total"] == len(H3_1)
    assert stats[HCM + "downstream_rq_http3_total"] == len(H3_1)
    assert stats[HCM + "downstream_rq_2xx"] == len(H3_1)
    assert stats[LISTENER + "http3.handshake_failed"] == 0
    assert proxy.wait_stat(HCM + "downstream_cx_http3_active", 0) == 0


def test_numeric_address_reaches_the_localhost_listener(proxy, gtlsclient, tmp_path):
    port = proxy.port(443)
    # On the `localhost` chain only its own virtual host answers; the others' names are 404 there,
    # as over HTTP/1.1 and HTTP/2 (each HTTPS chain routes its own listener's hostnames).
    status, _, output = h3_get(gtlsclient, tmp_path, port, "foo.example.com")
    assert status == 404, output
    status, echo, output = h3_get(gtlsclient, tmp_path, port, "localhost")
    assert status == 200, output
    assert echo["sni"] == "localhost"
    assert echo["ctplab"]["listener"] == GATEWAY + "local"


def test_tcp_responses_advertise_http3(proxy):
    """Spec 4.10: routes on an HTTP/3 port append alt-svc with the Gateway port."""
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    port = proxy.port(443)
    r = subprocess.run([curl, "-sSk", "-D", "-", "-o", "/dev/null", "--max-time",
                        str(CLIENT_TIMEOUT_S), "--resolve", f"foo.example.com:{port}:127.0.0.1",
                        f"https://foo.example.com:{port}/"],
                       capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S + 5)
    assert r.returncode == 0, r.stderr
    assert 'alt-svc: h3=":443"; ma=86400' in r.stdout.lower(), r.stdout


def test_tcp_https_picks_the_exact_listener(proxy):
    """H3-1's chain choice over TCP, for comparison: QUIC uses the same hostname ranking."""
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    port = proxy.port(443)
    for host, listener in (("www.awesome.org", "awesome-www"),
                           ("api.awesome.org", "awesome-wildcard")):
        r = subprocess.run([curl, "-sSk", "--max-time", str(CLIENT_TIMEOUT_S), "--resolve",
                            f"{host}:{port}:127.0.0.1", f"https://{host}:{port}/tcp"],
                           capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S + 5)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["ctplab"]["listener"] == GATEWAY + listener


def test_junk_datagrams_are_counted_and_harmless(proxy, gtlsclient, tmp_path):
    port = proxy.port(443)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for junk in (b"", b"hello", b"\x00" * 40, b"\xc0" + b"\xff" * 1300):
            s.sendto(junk, ("127.0.0.1", port))
    dropped = LISTENER + "http3.downstream_rx_datagram_dropped"
    assert proxy.wait_stat(dropped, 4) >= 3
    status, _, output = h3_get(gtlsclient, tmp_path, port, "localhost")
    assert status == 200, output


def test_workers_share_the_udp_port(serve, certs, gtlsclient, tmp_path):
    """With --workers 2 each worker reads the port through a socket of its own (SO_REUSEPORT) and
    its connection IDs start with its index; a datagram the kernel hands to the other worker's
    socket is passed to the worker its connection ID names. Clients that move to a new local
    port after the handshake (gtlsclient --nat-rebinding) keep their connection wherever the
    kernel now puts their datagrams: without the hand-over, about half would get stateless
    resets instead of answers."""
    proxy = serve("h3/gateway.yaml", str(certs / "secrets.yaml"), extra=["--workers", "2"])
    port = proxy.port(443)
    clients = []
    for i in range(16):
        download = tmp_path / f"moved-{i}"
        download.mkdir()
        clients.append(subprocess.Popen(
            [gtlsclient, "--no-quic-dump", "--no-http-dump", "--exit-on-all-streams-close",
             "--timeout=5s", "--change-local-addr=50ms", "--nat-rebinding",
             "--delay-stream=200ms", f"--download={download}", "127.0.0.1", str(port),
             f"https://localhost:{port}/moved"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
    outputs = [c.communicate(timeout=CLIENT_TIMEOUT_S + 10)[0].decode(errors="replace")
               for c in clients]
    answered = sum(":status: 200" in out for out in outputs)
    assert answered == len(clients), outputs
    stats = proxy.stats()
    # Each client's new port lands on the other worker's socket with a chance of 1/2: that none
    # of the 16 did has a chance of 2^-16.
    assert stats[LISTENER + "http3.downstream_rx_datagram_forwarded"] > 0
    assert stats[LISTENER + "http3.stateless_reset_sent"] == 0
    assert stats[HCM + "downstream_rq_2xx"] == len(clients)

    # A short header for an unknown connection of worker 0 or 1 is answered (a stateless reset)
    # by that worker once, whichever socket it arrived on; a tag no worker has, where it arrived.
    senders = []
    try:
        for tag in (0, 1, 7):
            for _ in range(8):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                s.bind(("127.0.0.1", 0))
                # A 1-RTT packet: form bit clear, fixed bit set, an 18-byte DCID starting with
                # the tag, then bytes no connection can decrypt.
                s.sendto(bytes([0x40, tag]) + bytes(range(17)) + b"\x5a" * 41, ("127.0.0.1", port))
                senders.append(s)
        for s in senders:
            reset, _ = s.recvfrom(2048)
            assert len(reset) < 60 and reset[0] & 0xC0 == 0x40, reset  # smaller, a short header
        assert proxy.wait_stat(LISTENER + "http3.stateless_reset_sent", 24) == 24
    finally:
        for s in senders:
            s.close()
    assert any("(2 workers)" in line for line in proxy.stderr_lines if line), proxy.stderr_lines


def test_returning_clients_resume_with_0rtt(serve, certs, gtlsclient, tmp_path):
    """Envoy's QUIC listeners issue session tickets and take early data by default
    (QuicDownstreamTransport enable_resumption, enable_early_data); so does ours, with one ticket
    key for all workers of the port. gtlsclient keeps the ticket and the transport parameters
    between runs: the second and third runs resume and send their request in 0-RTT, which
    reaches the backend with `early-data: 1` (RFC 8470, as Envoy adds it). A reload makes a new
    key: a stale ticket then costs a full handshake, not the request."""
    proxy = serve("h3/gateway.yaml", str(certs / "secrets.yaml"), extra=["--workers", "2"])
    port = proxy.port(443)
    session, params = tmp_path / "session", tmp_path / "transport-params"

    def run(path):
        """(answered 200, sent in 0-RTT, the backend saw `early-data: 1`, client output)"""
        download = tmp_path / f"dl{path.replace('/', '-')}"
        download.mkdir()
        r = subprocess.run(
            [gtlsclient, "--no-http-dump", "--exit-on-all-streams-close", "--timeout=5s",
             f"--session-file={session}", f"--tp-file={params}", f"--download={download}",
             "127.0.0.1", str(port), f"https://localhost:{port}{path}"],
            capture_output=True, timeout=CLIENT_TIMEOUT_S + 10)
        out = (r.stdout + r.stderr).decode(errors="replace")
        saved = download / path.strip("/")
        echo = json.loads(saved.read_text()) if saved.exists() else {}
        marked = echo.get("headers", {}).get("Early-Data") == ["1"]
        return ":status: 200" in out, "0RTT STREAM" in out, marked, out

    answered, early, marked, out = run("/first")
    assert answered and not early and not marked, out
    assert session.exists() and session.stat().st_size > 0, "no session ticket was issued"
    for path in ("/second", "/third"):
        answered, early, marked, out = run(path)
        assert answered and early and marked, out
    stats = proxy.stats()
    assert stats[LISTENER + "http3.downstream_cx_resumed"] == 2
    assert stats[LISTENER + "http3.downstream_cx_zero_rtt"] == 2
    assert stats[HCM + "downstream_rq_2xx"] == 3

    code, text = admin_post(proxy, "/reload")
    assert code == 200, text
    answered, early, marked, out = run("/stale-ticket")
    assert answered and early and not marked, out  # sent in 0-RTT, refused, sent again in 1-RTT
    answered, early, marked, out = run("/fresh-ticket")
    assert answered and early and marked, out
    stats = proxy.stats()
    assert stats[LISTENER + "http3.downstream_cx_resumed"] == 3
    assert stats[LISTENER + "http3.downstream_cx_zero_rtt"] == 3
    assert stats[LISTENER + "http3.handshake_failed"] == 0
    assert stats[HCM + "downstream_rq_2xx"] == 5


def test_reload_keeps_the_udp_port(proxy, gtlsclient, tmp_path):
    port = proxy.port(443)
    status, _, output = h3_get(gtlsclient, tmp_path, port, "localhost")
    assert status == 200, output
    code, text = admin_post(proxy, "/reload")
    assert code == 200, text
    status, echo, output = h3_get(gtlsclient, tmp_path, port, "localhost")
    assert status == 200, output
    assert echo["ctplab"]["listener"] == GATEWAY + "local"


def test_quic_chain_has_its_own_connection_limit(serve, certs, gtlsclient, tmp_path):
    """Spec 3.3: the QUIC chain counts against a limit of its own. With `connectionLimit: 1`, a
    QUIC connection kept open (the client waits for its idle timeout) leaves no room for a second
    one, which is closed unanswered; a TCP connection still gets in on the TCP chain's counter.
    The simulator models the same (scenarios/http3/quic-vs-tcp-flood.yaml)."""
    proxy = serve("h3/connection-limit.yaml", str(certs / "secrets.yaml"))
    port = proxy.port(443)
    download = tmp_path / "held"
    download.mkdir()
    # No --exit-on-all-streams-close: after its answer the client keeps the connection idle.
    holder = subprocess.Popen(
        [gtlsclient, "--no-quic-dump", "--no-http-dump", "--timeout=4s",
         f"--download={download}", "127.0.0.1", str(port), f"https://localhost:{port}/held"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert proxy.wait_stat(HCM + "downstream_rq_2xx", 1, timeout=5) == 1
        status, _, output = h3_get(gtlsclient, tmp_path, port, "localhost", path="/second")
        assert status is None, output
        stats = proxy.stats()
        assert stats["connection_limit.https-10443.limited_connections"] == 1
        assert stats[HCM + "downstream_rq_2xx"] == 1
        curl = shutil.which("curl")
        if curl is not None:
            r = subprocess.run([curl, "-sSk", "-o", "/dev/null", "-w", "%{http_code}",
                                "--max-time", str(CLIENT_TIMEOUT_S),
                                f"https://localhost:{port}/tcp"],
                               capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S + 5)
            assert r.stdout == "200", r.stderr
    finally:
        holder.wait(timeout=CLIENT_TIMEOUT_S + 10)
    # Once the held connection idled out, QUIC is admitted again.
    assert proxy.wait_stat(HCM + "downstream_cx_http3_active", 0, timeout=10) == 0
    status, _, output = h3_get(gtlsclient, tmp_path, port, "localhost", path="/third")
    assert status == 200, output


def admin_post(proxy, path):
    req = urllib.request.Request(f"http://127.0.0.1:{proxy.admin}{path}", method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read().decode()


def test_quic_connections_end_after_max_requests_and_max_duration(serve, certs, gtlsclient,
                                                                  tmp_path):
    """Spec 4.2 on HTTP/3: `maxRequestsPerConnection: 2` sends GOAWAY once the second request
    arrives and `maxConnectionDuration: 1s` once the connection is a second old; either way the
    gateway closes the connection after answering what it accepted (a local close). The clients
    would keep their connections idle for 4 s."""
    proxy = serve("h3/connection-lifetime.yaml", str(certs / "secrets.yaml"))
    port = proxy.port(443)
    download = tmp_path / "lifetime"
    download.mkdir()

    def hold(path, *extra):
        return subprocess.Popen(
            [gtlsclient, "--no-quic-dump", "--no-http-dump", "--timeout=4s", *extra,
             f"--download={download}", "127.0.0.1", str(port), f"https://localhost:{port}{path}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    many = hold("/many", "-n", "2")
    try:
        assert proxy.wait_stat(HCM + "downstream_rq_2xx", 2, timeout=5) == 2
        assert proxy.wait_stat(HCM + "downstream_cx_max_requests_reached", 1, timeout=5) == 1
        # Closed by the gateway well before the client's 4 s idle timeout.
        assert proxy.wait_stat(HCM + "downstream_cx_destroy_local", 1, timeout=2) == 1
    finally:
        many.kill()
        many.wait()
    held = hold("/held")
    try:
        assert proxy.wait_stat(HCM + "downstream_cx_max_duration_reached", 1, timeout=3) == 1
        assert proxy.wait_stat(HCM + "downstream_cx_destroy_local", 2, timeout=2) == 2
        assert proxy.stats()[HCM + "downstream_cx_max_requests_reached"] == 1
    finally:
        held.kill()
        held.wait()


def test_quic_streams_end_at_max_stream_duration(serve, certs, gtlsclient, tmp_path):
    """Spec 4.2 on HTTP/3: with `maxStreamDuration: 1s` a request the backend answers after 3 s
    gets the gateway's own 504 `downstream duration timeout` a second after it began, counted as
    on TCP; a quick request on the same listener is untouched."""
    proxy = serve("h3/stream-timers.yaml", str(certs / "secrets.yaml"))
    port = proxy.port(443)
    status, echo, output = h3_get(gtlsclient, tmp_path, port, "localhost", path="/quick")
    assert status == 200, output
    assert echo is not None and echo["path"] == "/quick"
    download = tmp_path / "slow"
    download.mkdir()
    r = subprocess.run(
        [gtlsclient, "--no-quic-dump", "--no-http-dump", "--exit-on-all-streams-close",
         "--timeout=5s", f"--download={download}", "127.0.0.1", str(port),
         f"https://localhost:{port}/slow?delay=3s"],
        capture_output=True, timeout=CLIENT_TIMEOUT_S + 10)
    output = (r.stdout + r.stderr).decode(errors="replace")
    assert ":status: 504" in output, output
    assert (download / "slow?delay=3s").read_text() == "downstream duration timeout"
    assert proxy.wait_stat(HCM + "downstream_rq_max_duration_reached", 1, timeout=3) == 1
    stats = proxy.stats()
    assert stats[HCM + "downstream_rq_5xx"] == 1
    assert stats[HCM + "downstream_rq_2xx"] == 1
