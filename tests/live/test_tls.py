"""Interop tests of the live proxy's HTTPS and mutual TLS: curl and `openssl s_client` against
`ctplab serve` on 127.0.0.1, checking handshakes, alerts, what the echo backend saw (XFCC) and the
listener's ssl.* counters.

Certificates come from `ctplab certs` (valid around the current time) in a per-session temporary
directory; the Gateway, its policies and an RSA server Secret are in resources/tls/. Every test
starts its own proxy, so the counters start at zero."""
import datetime
import hashlib
import re
import shutil
import socket
import subprocess

import pytest

from conftest import ctplab_binary, echo_json, read_until_close

CLIENT_TIMEOUT_S = 10
OPENSSL = shutil.which("openssl")
# Envoy Gateway serves Gateway port 443 on 10443: the stat names keep that, even with --any-port.
LISTENER = "listener.0.0.0.0_10443."
VALID_SUBJECT = "CN=client.example.com,O=ctplab"
POLICY_FILES = ("tls/gateway.yaml", "tls/ctp-mtls.yaml", "tls/ctp-tls-settings.yaml",
                "tls/rsa-server-secret.yaml")


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="session")
def openssl_bin():
    if OPENSSL is None:
        pytest.skip("openssl is not installed")
    return OPENSSL


@pytest.fixture(scope="session")
def certs(tmp_path_factory, openssl_bin):
    """`ctplab certs` output for www.example.com and *.example.com, valid now, plus pin.yaml: the
    pin listener's policy, which names client-valid's SHA-256 (it changes with every run)."""
    out = tmp_path_factory.mktemp("tls-certs")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = subprocess.run([ctplab_binary(), "certs", "--out", str(out), "--now", now,
                        "--host", "www.example.com", "--host", "*.example.com",
                        "--namespace", "default"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    (out / "pin.yaml").write_text(f"""\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata:
  name: pin
  namespace: default
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: Gateway
    name: gw
    sectionName: pin
  tls:
    clientValidation:
      caCertificateRefs:
      - group: ""
        kind: Secret
        name: client-ca
      certificateHashes:
      - {der_sha256(out / "client-valid.crt")}
""")
    return out


@pytest.fixture
def proxy(serve, certs):
    """The proxy serving resources/tls/ with this run's Secrets and pin policy."""
    return serve(*POLICY_FILES, str(certs / "secrets.yaml"), str(certs / "pin.yaml"))


def der_sha256(pem_path):
    """Lowercase hex SHA-256 of a PEM certificate's DER form, as XFCC's Hash= and pins use it."""
    der = subprocess.run([OPENSSL, "x509", "-in", str(pem_path), "-outform", "der"],
                         capture_output=True, check=True, timeout=CLIENT_TIMEOUT_S).stdout
    return hashlib.sha256(der).hexdigest()


def listener_counts(server):
    """The port's listener counters that are not zero, without the `listener.0.0.0.0_10443.`
    prefix (ssl.*, no_filter_chain_match, ...)."""
    return {name[len(LISTENER):]: v for name, v in server.stats().items()
            if name.startswith(LISTENER) and v != 0}


def ssl_only(counts):
    """The ssl.* entries of listener_counts()."""
    return {k: v for k, v in counts.items() if k.startswith("ssl.")}


def settled(server, name, value):
    """Waits until listener counter `name` reaches `value` (the proxy counts a connection the
    client may already have given up on), then returns all non-zero listener counters."""
    server.wait_stat(LISTENER + name, value)
    return listener_counts(server)


class CurlResult:
    """What one curl run gave: exit code, HTTP status (0: none), HTTP version, body, stderr."""

    def __init__(self, rc, status, version, body, stderr):
        self.rc, self.status, self.version = rc, status, version
        self.body, self.stderr = body, stderr

    def __repr__(self):
        return (f"CurlResult(rc={self.rc}, status={self.status}, version={self.version!r}, "
                f"stderr={self.stderr!r}, body={self.body[:200]!r})")


def curl_https(curl_bin, certs, port, host, path="/", client=None, args=()):
    """GET https://HOST:PORT/PATH with HOST resolved to 127.0.0.1 (so SNI and Host are HOST),
    verifying the server against the fixture root CA. `client` names a client certificate label
    of `ctplab certs` (its leaf+intermediate chain and key are sent)."""
    cmd = [curl_bin, "-sS", "--max-time", str(CLIENT_TIMEOUT_S), "-o", "-",
           "-w", "\n%{http_code} %{http_version}", "--resolve", f"{host}:{port}:127.0.0.1",
           "--cacert", str(certs / "ca.crt")]
    if client:
        cmd += ["--cert", str(certs / f"{client}-chain.crt"), "--key", str(certs / f"{client}.key")]
    r = subprocess.run([*cmd, *args, f"https://{host}:{port}{path}"], capture_output=True,
                       text=True, timeout=CLIENT_TIMEOUT_S + 5)
    body, _, tail = r.stdout.rpartition("\n")
    code, _, version = tail.partition(" ")
    return CurlResult(r.returncode, int(code or 0), version, body, r.stderr)


def s_client(openssl_bin, port, servername, *args, brief=True, request=False):
    """`openssl s_client` to 127.0.0.1:PORT with SNI `servername`. Without `request` stdin is
    closed: it shakes hands, reads what came with the handshake, and quits. With `request` it
    sends a `Connection: close` GET and reads until the proxy closes, so TLS 1.3 tickets (sent
    after the handshake) have arrived too. Returns (exit code, stdout+stderr)."""
    cmd = [openssl_bin, "s_client", "-connect", f"127.0.0.1:{port}"]
    cmd += ["-noservername"] if servername is None else ["-servername", servername]
    if brief:
        cmd.append("-brief")
    stdin = {"stdin": subprocess.DEVNULL}
    if request:
        cmd.append("-ign_eof")
        stdin = {"input": f"GET / HTTP/1.1\r\nHost: {servername}\r\nConnection: close\r\n\r\n"}
    r = subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S,
                       **stdin)
    return r.returncode, r.stdout + r.stderr


def established(rc, out):
    """Whether a -brief s_client run completed its handshake."""
    return rc == 0 and "CONNECTION ESTABLISHED" in out


def brief_field(out, name):
    """A `Name: value` line of s_client -brief output (None when absent)."""
    m = re.search(rf"^{re.escape(name)}: (.*)$", out, re.M)
    return m.group(1).strip() if m else None


# ---------------------------------------------------------------------------------------------
# 1. Mutual TLS with XFCC (e2e MTLS-1)


def test_mtls_client_certificate_sets_xfcc(proxy, curl_bin, certs):
    forged = 'Hash=0000;Subject="CN=forged.example.com"'
    r = curl_https(curl_bin, certs, proxy.port(443), "mtls.example.com", "/client-mtls",
                   client="client-valid", args=["-H", f"X-Forwarded-Client-Cert: {forged}"])
    assert (r.rc, r.status, r.version) == (0, 200, "1.1"), r
    echo = echo_json(r.body)
    assert echo["path"] == "/client-mtls"
    assert echo["ctplab"]["listener"] == "default/gw/mtls"
    assert echo["sni"] == "mtls.example.com"  # the server name the TLS inspector read
    assert echo["headers"]["X-Forwarded-Proto"] == ["https"]
    # SanitizeSet: the client's header is dropped and the proxy's own set in its place.
    expected = f'Hash={der_sha256(certs / "client-valid.crt")};Subject="{VALID_SUBJECT}"'
    assert echo["headers"]["X-Forwarded-Client-Cert"] == [expected]
    counts = settled(proxy, "ssl.handshake", 1)
    assert counts["ssl.handshake"] == 1
    assert counts["ssl.versions.TLSv1.3"] == 1
    assert "ssl.no_certificate" not in counts  # a certificate was presented
    assert not [k for k in counts if k.startswith("ssl.fail_") or k == "ssl.connection_error"]


def test_mtls_rsa_client_certificate_and_tls12(proxy, curl_bin, certs):
    """The RSA client certificate over TLS 1.2: the chain check does not depend on the key type
    or on the TLS version, and the XFCC hash is the RSA leaf's."""
    r = curl_https(curl_bin, certs, proxy.port(443), "mtls.example.com", client="client-valid-rsa",
                   args=["--tls-max", "1.2"])
    assert (r.rc, r.status) == (0, 200), r
    expected = f'Hash={der_sha256(certs / "client-valid-rsa.crt")};Subject="{VALID_SUBJECT}"'
    assert echo_json(r.body)["headers"]["X-Forwarded-Client-Cert"] == [expected]
    counts = settled(proxy, "ssl.handshake", 1)
    assert counts["ssl.versions.TLSv1.2"] == 1


# ---------------------------------------------------------------------------------------------
# 2. Client certificate failures: no HTTP at all, the matching alert and counter


TLS12 = ["--tls-max", "1.2"]
FAILURES = [
    # id, listener host, client label, curl's extra args, counter, curl's exit code, what curl's
    # message says. Under TLS 1.3 the client finishes its handshake first and reads the alert
    # instead of a response (56); under TLS 1.2 the handshake itself fails (35).
    ("no-cert", "mtls.example.com", None, [], "ssl.fail_verify_no_cert", 56,
     "alert certificate required"),
    ("no-cert-tls12", "mtls.example.com", None, TLS12, "ssl.fail_verify_no_cert", 35,
     "alert handshake failure"),
    ("expired", "mtls.example.com", "client-expired", [], "ssl.fail_verify_error", 56,
     "alert certificate expired"),
    # curl files a certificate_expired alert received in the handshake as a failed verification
    # of its own (60, without the alert's text); test_tls12_refusal_alerts shows the alert.
    ("expired-tls12", "mtls.example.com", "client-expired", TLS12, "ssl.fail_verify_error", 60,
     "SSL certificate verification failed"),
    ("wrong-ca", "mtls.example.com", "client-wrong-ca", [], "ssl.fail_verify_error", 56,
     "alert unknown ca"),
    ("wrong-ca-tls12", "mtls.example.com", "client-wrong-ca", TLS12, "ssl.fail_verify_error", 35,
     "alert unknown ca"),
    ("not-yet-valid", "mtls.example.com", "client-not-yet-valid", [], "ssl.fail_verify_error", 56,
     "alert bad certificate"),
    ("revoked", "crl.example.com", "client-revoked", [], "ssl.fail_verify_error", 56,
     "alert certificate revoked"),
    # The alerts of these two: test_san_refusal_alert, test_pin_refusal_alert.
    ("wrong-san", "san.example.com", "client-wrong-san", [], "ssl.fail_verify_san", 56, "alert"),
    ("pin-mismatch", "pin.example.com", "client-valid-rsa", [], "ssl.fail_verify_cert_hash", 56,
     "alert"),
    # VerifyIfGiven still verifies a certificate that is given.
    ("optional-wrong-ca", "optional.example.com", "client-wrong-ca", [], "ssl.fail_verify_error",
     56, "alert unknown ca"),
    # A pin makes a certificate mandatory even without RequireAndVerify's CA check.
    ("pin-no-cert", "pin.example.com", None, [], "ssl.fail_verify_no_cert", 56,
     "alert certificate required"),
]


@pytest.mark.parametrize("host,client,args,stat,rc,message",
                         [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES])
def test_client_certificate_refused(proxy, curl_bin, certs, host, client, args, stat, rc,
                                    message):
    r = curl_https(curl_bin, certs, proxy.port(443), host, client=client, args=args)
    assert (r.rc, r.status) == (rc, 0), r
    assert message in r.stderr, r
    counts = settled(proxy, stat, 1)
    assert ssl_only(counts) == {stat: 1}, counts


def client_cert_args(certs, label):
    """s_client arguments presenting client certificate `label` (leaf + intermediate)."""
    return ["-cert", str(certs / f"{label}-chain.crt"), "-key", str(certs / f"{label}.key")]


@pytest.mark.parametrize("client,alert", [
    (None, "alert handshake failure"),
    ("client-expired", "alert certificate expired"),
    ("client-not-yet-valid", "alert bad certificate"),
    ("client-wrong-ca", "alert unknown ca"),
])
def test_tls12_refusal_alerts(proxy, openssl_bin, certs, client, alert):
    """The alert a TLS 1.2 client reads when its certificate is refused in the handshake (BoringSSL
    and Envoy: SSL_alert_from_verify_result; no certificate: handshake_failure)."""
    args = client_cert_args(certs, client) if client else []
    rc, out = s_client(openssl_bin, proxy.port(443), "mtls.example.com", "-tls1_2", *args)
    assert not established(rc, out), out
    assert alert in out, out


def test_san_refusal_alert(proxy, curl_bin, certs):
    """Envoy's DefaultCertValidator::doVerifyCertChain refuses a chain that verified but matches
    no subjectAltNames matcher with alert certificate_unknown (46)."""
    r = curl_https(curl_bin, certs, proxy.port(443), "san.example.com", client="client-wrong-san")
    assert r.rc == 56 and "alert certificate unknown" in r.stderr, r


def test_pin_refusal_alert(proxy, curl_bin, certs):
    """Envoy's DefaultCertValidator::verifyCertificate refuses a certificate matching no
    certificateHashes/spkiHashes pin with alert bad_certificate_hash_value (114). OpenSSL derives
    the alert from the verification error and has no error that maps to 114, so the proxy sends
    certificate_unknown (46): the refusal is the same, the alert's name differs (a known gap)."""
    r = curl_https(curl_bin, certs, proxy.port(443), "pin.example.com", client="client-valid-rsa")
    assert r.rc == 56 and "alert certificate unknown" in r.stderr, r


@pytest.mark.parametrize("host", ["crl.example.com", "san.example.com", "pin.example.com"])
def test_valid_client_passes_crl_san_and_pin_checks(proxy, curl_bin, certs, host):
    r = curl_https(curl_bin, certs, proxy.port(443), host, client="client-valid")
    assert (r.rc, r.status) == (0, 200), r
    assert echo_json(r.body)["ctplab"]["listener"] == "default/gw/" + host.split(".")[0]
    counts = settled(proxy, "ssl.handshake", 1)
    assert not [k for k in counts if k.startswith("ssl.fail_")], counts


def test_verify_if_given_admits_a_client_without_certificate(proxy, curl_bin, certs):
    r = curl_https(curl_bin, certs, proxy.port(443), "optional.example.com",
                   args=["-H", "X-Forwarded-Client-Cert: Hash=forged"])
    assert (r.rc, r.status) == (0, 200), r
    echo = echo_json(r.body)
    assert echo["ctplab"]["listener"] == "default/gw/optional"
    # No XFCC configured here: the default mode (Sanitize) drops a client's header.
    assert "X-Forwarded-Client-Cert" not in echo["headers"]
    counts = settled(proxy, "ssl.no_certificate", 1)
    assert counts["ssl.handshake"] == 1
    assert counts["ssl.no_certificate"] == 1
    # And a valid certificate there is verified and accepted.
    r = curl_https(curl_bin, certs, proxy.port(443), "optional.example.com", client="client-valid")
    assert (r.rc, r.status) == (0, 200), r
    counts = settled(proxy, "ssl.handshake", 2)
    assert counts["ssl.no_certificate"] == 1


# ---------------------------------------------------------------------------------------------
# 3. TLS settings of the tls-settings listener (e2e MTLS-2..6): RSA server certificate, TLS 1.2
#    only, suites ECDHE-RSA-AES128-GCM-SHA256 and AES128-SHA, curves X25519 and P-256, ALPN
#    http/1.1, no resumption.

SETTINGS = "tls-settings.example.com"


def test_tls_versions(proxy, openssl_bin):
    port = proxy.port(443)
    rc, out = s_client(openssl_bin, port, SETTINGS, "-tls1_2")
    assert established(rc, out), out
    assert brief_field(out, "Protocol version") == "TLSv1.2"
    assert "CN = mtls.example.com" in brief_field(out, "Peer certificate")  # the RSA certificate
    rc, out = s_client(openssl_bin, port, SETTINGS, "-tls1_3")
    assert not established(rc, out) and "alert protocol version" in out, out
    # SECLEVEL=0 lets this client offer TLS 1.1 at all: the refusal is the server's.
    rc, out = s_client(openssl_bin, port, SETTINGS, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    assert not established(rc, out) and "alert protocol version" in out, out
    counts = settled(proxy, "ssl.connection_error", 2)
    assert ssl_only(counts) == {
        "ssl.handshake": 1, "ssl.versions.TLSv1.2": 1, "ssl.no_certificate": 1,
        "ssl.ciphers.ECDHE-RSA-AES128-GCM-SHA256": 1, "ssl.curves.X25519": 1,
        "ssl.connection_error": 2}, counts


def test_tls_ciphers(proxy, openssl_bin):
    port = proxy.port(443)
    for cipher in ("ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA"):
        rc, out = s_client(openssl_bin, port, SETTINGS, "-tls1_2", "-cipher", cipher)
        assert established(rc, out), (cipher, out)
        assert brief_field(out, "Ciphersuite") == cipher
    rc, out = s_client(openssl_bin, port, SETTINGS, "-tls1_2", "-cipher",
                       "ECDHE-RSA-AES256-GCM-SHA384")
    assert not established(rc, out) and "alert handshake failure" in out, out
    counts = settled(proxy, "ssl.connection_error", 1)
    assert counts["ssl.ciphers.ECDHE-RSA-AES128-GCM-SHA256"] == 1
    assert counts["ssl.ciphers.AES128-SHA"] == 1
    assert counts["ssl.handshake"] == 2
    assert "ssl.ciphers.ECDHE-RSA-AES256-GCM-SHA384" not in counts


def test_tls_curves(proxy, openssl_bin):
    port = proxy.port(443)
    ecdhe = ("-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
    rc, out = s_client(openssl_bin, port, SETTINGS, "-groups", "X25519", *ecdhe)
    assert established(rc, out), out
    assert brief_field(out, "Server Temp Key").startswith("X25519")
    rc, out = s_client(openssl_bin, port, SETTINGS, "-groups", "P-256", *ecdhe)
    assert established(rc, out), out
    assert brief_field(out, "Server Temp Key").startswith("ECDH, prime256v1")
    # P-521 only, and only ECDHE suites: nothing in common.
    rc, out = s_client(openssl_bin, port, SETTINGS, "-groups", "P-521", *ecdhe)
    assert not established(rc, out) and "alert handshake failure" in out, out
    # Offering the RSA key exchange too, a P-521-only client gets AES128-SHA (no curve at all).
    rc, out = s_client(openssl_bin, port, SETTINGS, "-groups", "P-521")
    assert established(rc, out), out
    assert brief_field(out, "Ciphersuite") == "AES128-SHA"
    counts = settled(proxy, "ssl.handshake", 3)
    assert counts["ssl.curves.X25519"] == 1
    assert counts["ssl.curves.P-256"] == 1
    assert counts["ssl.connection_error"] == 1
    assert not [k for k in counts if k.startswith("ssl.curves.") and "P-521" in k], counts


def test_alpn(proxy, openssl_bin):
    port = proxy.port(443)
    rc, out = s_client(openssl_bin, port, SETTINGS, "-alpn", "h2,http/1.1", brief=False)
    assert rc == 0 and "ALPN protocol: http/1.1" in out, out
    # Nothing in common: the handshake goes on without ALPN (BoringSSL's server, Envoy).
    rc, out = s_client(openssl_bin, port, SETTINGS, "-alpn", "h2", brief=False)
    assert rc == 0 and "No ALPN negotiated" in out, out
    # Without alpnProtocols the listener would offer h2 first, but HTTP/2 is not served.
    rc, out = s_client(openssl_bin, port, "www.example.com", "-alpn", "h2,http/1.1", brief=False)
    assert rc == 0 and "ALPN protocol: http/1.1" in out, out
    assert settled(proxy, "ssl.handshake", 3)["ssl.handshake"] == 3


@pytest.mark.parametrize("host,version", [(SETTINGS, "-tls1_2"), ("www.example.com", "-tls1_3")])
def test_no_session_ticket_without_resumption(proxy, openssl_bin, tmp_path, host, version):
    port = proxy.port(443)
    session = tmp_path / "session.pem"
    _, out = s_client(openssl_bin, port, host, version, "-sess_out", str(session), brief=False,
                      request=True)
    assert re.search(r"^New, TLSv1\.[23]", out, re.M), out
    assert "HTTP/1.1 200 OK" in out, out  # the proxy answered and closed: nothing more to come
    assert "TLS session ticket" not in out, out
    if session.exists():  # s_client keeps only a resumable session; offering it must not help
        _, out = s_client(openssl_bin, port, host, version, "-sess_in", str(session),
                          brief=False, request=True)
        assert re.search(r"^New, ", out, re.M) and "HTTP/1.1 200 OK" in out, out
    counts = settled(proxy, "ssl.handshake", 2 if session.exists() else 1)
    assert "ssl.session_reused" not in counts, counts


@pytest.mark.parametrize("version", ["-tls1_2", "-tls1_3"])
def test_stateless_resumption_issues_tickets(proxy, openssl_bin, tmp_path, version):
    """The control for the test above: with session.resumption.stateless the same probe gets a
    ticket and resumes with it."""
    port = proxy.port(443)
    session = tmp_path / "session.pem"
    _, out = s_client(openssl_bin, port, "resume.example.com", version, "-sess_out", str(session),
                      brief=False, request=True)
    assert "TLS session ticket lifetime hint" in out and "HTTP/1.1 200 OK" in out, out
    _, out = s_client(openssl_bin, port, "resume.example.com", version, "-sess_in", str(session),
                      brief=False, request=True)
    assert re.search(r"^Reused, TLSv1\.[23]", out, re.M), out
    assert "HTTP/1.1 200 OK" in out, out
    counts = settled(proxy, "ssl.session_reused", 1)
    assert counts["ssl.handshake"] == 2
    assert counts["ssl.session_reused"] == 1


@pytest.mark.parametrize("version", ["-tls1_2", "-tls1_3"])
def test_connection_close_sends_close_notify(proxy, openssl_bin, version):
    """After a `Connection: close` response Envoy closes the TLS session before the socket
    (SslSocket::closeSocket -> shutdownSsl: a close_notify alert); OpenSSL 3 clients report an
    EOF without it as an error ("unexpected eof while reading", exit code 1)."""
    rc, out = s_client(openssl_bin, proxy.port(443), "www.example.com", version, request=True)
    assert "HTTP/1.1 200 OK" in out, out
    assert "unexpected eof" not in out, out
    assert rc == 0, out


# ---------------------------------------------------------------------------------------------
# 4. SNI chooses the filter chain: exact name, then wildcard, then none


@pytest.mark.parametrize("name,subject", [
    ("www.example.com", "O = ctplab, CN = www.example.com"),
    ("api.example.com", "O = ctplab, CN = *.example.com"),
    ("mtls.example.com", "O = ctplab, CN = *.example.com"),  # own listener, wildcard certificate
    ("tls-settings.example.com",
     "C = US, ST = VA, L = SomeCity, O = EnvoyProxy, OU = Gateway, CN = mtls.example.com"),
])
def test_sni_selects_the_listener_certificate(proxy, openssl_bin, certs, name, subject):
    args = client_cert_args(certs, "client-valid") if name.startswith("mtls") else []
    rc, out = s_client(openssl_bin, proxy.port(443), name, *args)
    assert established(rc, out), out
    assert brief_field(out, "Peer certificate") == subject, out


def test_sni_certificate_verifies_against_the_root(proxy, openssl_bin, certs):
    """The server sends its chain (leaf + intermediate): a client trusting only the root
    verifies it, host name included."""
    for name in ("www.example.com", "api.example.com"):
        rc, out = s_client(openssl_bin, proxy.port(443), name, "-CAfile", str(certs / "ca.crt"),
                           "-verify_return_error", "-verify_hostname", name)
        assert established(rc, out), out
        assert "Verification: OK" in out, out


def test_sni_matching_no_listener_is_closed(proxy, openssl_bin):
    port = proxy.port(443)
    for name in ("other.org", "example.com", None):  # no SNI at all is no match either
        rc, out = s_client(openssl_bin, port, name)
        assert not established(rc, out), (name, out)
        # Closed without an alert: no TLS session was ever started.
        assert "unexpected eof" in out and "alert" not in out, (name, out)
    # A deeper name under the wildcard still matches it.
    rc, out = s_client(openssl_bin, port, "a.b.example.com")
    assert established(rc, out), out
    counts = settled(proxy, "no_filter_chain_match", 3)
    assert counts["no_filter_chain_match"] == 3
    # The refused connections never reached a TLS session: only the last one's counters.
    assert counts["ssl.handshake"] == 1
    assert counts["ssl.versions.TLSv1.3"] == 1
    assert "ssl.connection_error" not in counts, counts


# ---------------------------------------------------------------------------------------------
# 5. Plain text on the HTTPS port


def test_plain_http_to_the_https_port_is_closed(proxy):
    with socket.create_connection(("127.0.0.1", proxy.port(443)), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
        assert read_until_close(s, 5) == b""
    counts = settled(proxy, "no_filter_chain_match", 1)
    assert counts["no_filter_chain_match"] == 1
    assert ssl_only(counts) == {}, counts


# ---------------------------------------------------------------------------------------------
# 6. HTTP/2 is not served: curl offering h2 gets HTTP/1.1


def test_curl_http2_gets_http11(proxy, curl_bin, certs):
    r = curl_https(curl_bin, certs, proxy.port(443), "www.example.com", "/h2",
                   args=["--http2", "-v"])
    assert (r.rc, r.status, r.version) == (0, 200, "1.1"), r
    assert "ALPN: server accepted http/1.1" in r.stderr, r.stderr
    echo = echo_json(r.body)
    assert echo["proto"] == "HTTP/1.1"
    assert echo["ctplab"]["listener"] == "default/gw/www"
    assert settled(proxy, "ssl.handshake", 1)["ssl.handshake"] == 1
