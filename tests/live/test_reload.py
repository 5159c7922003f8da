"""Reloading `ctplab serve` (SIGHUP, POST /reload): new ports are bound, removed ones closed,
connections of surviving listeners keep being served, and a bad file changes nothing."""
import os
import re
import shutil
import signal
import socket
import time
import urllib.error
import urllib.request

from conftest import RESOURCES, status_line

RELOADED_PORT_RE = re.compile(r"^  (\S+) gateway port (\d+) -> ([\d.]+):(\d+) \(listener (.+)\)$")
SECOND_LISTENER = """  - name: extra
    protocol: HTTP
    port: 8080
"""



def post(server, path):
    req = urllib.request.Request(f"http://127.0.0.1:{server.admin}{path}", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_reloaded(server, number, timeout=10):
    """The ports of reload `number` as its log lines give them (gateway port -> bound port)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [l for l in server.stderr_lines if l is not None]
        for i, line in enumerate(lines):
            if line == f"reloaded: configuration {number}":
                ports = {}
                for follow in lines[i + 1:]:
                    m = RELOADED_PORT_RE.match(follow)
                    if not m:
                        break
                    ports[int(m.group(2))] = int(m.group(4))
                return ports
        time.sleep(0.05)
    raise AssertionError(f"no reload {number}: {server.stderr_lines}")


def write_gateway(path, extra_listener):
    with open(os.path.join(RESOURCES, "gateway.yaml")) as f:
        text = f.read()
    if extra_listener:
        text = text.replace("    port: 80\n", "    port: 80\n" + SECOND_LISTENER, 1)
    with open(path, "w") as f:
        f.write(text)


def test_sighup_and_admin_reload(serve, tmp_path):
    gateway = tmp_path / "gateway.yaml"
    policy = tmp_path / "policy.yaml"
    write_gateway(gateway, extra_listener=False)
    shutil.copy(os.path.join(RESOURCES, "ctp-connection-limit.yaml"), policy)
    s = serve(str(gateway), str(policy))
    kept = socket.create_connection(("127.0.0.1", s.port()), timeout=5)
    try:
        assert status_line(kept) == b"HTTP/1.1 200 OK"

        # A second port appears on SIGHUP; the connection accepted before keeps being served.
        write_gateway(gateway, extra_listener=True)
        s.proc.send_signal(signal.SIGHUP)
        ports = wait_reloaded(s, 2)
        assert ports[80] == s.port() and 8080 in ports, ports
        assert status_line(kept) == b"HTTP/1.1 200 OK"
        with socket.create_connection(("127.0.0.1", ports[8080]), timeout=5) as c:
            assert status_line(c) == b"HTTP/1.1 200 OK"

        # A file that does not parse changes nothing.
        good = gateway.read_text()
        gateway.write_text(good + "---\nkind: [unbalanced\n")
        status, body = post(s, "/reload")
        assert status == 400 and body.startswith("reload failed"), (status, body)
        with socket.create_connection(("127.0.0.1", ports[8080]), timeout=5) as c:
            assert status_line(c) == b"HTTP/1.1 200 OK"

        # The port goes away again through the admin endpoint.
        write_gateway(gateway, extra_listener=False)
        status, body = post(s, "/reload")
        assert status == 200 and "reloaded: configuration 3" in body, (status, body)
        assert "gateway port 8080" not in body
        try:
            socket.create_connection(("127.0.0.1", ports[8080]), timeout=2).close()
            raise AssertionError("port 8080 still accepts after its listener was removed")
        except ConnectionRefusedError:
            pass
        assert status_line(kept) == b"HTTP/1.1 200 OK"
        status, _ = post(s, "/ready")
        assert status == 200
    finally:
        kept.close()
