"""Fixtures for the live interop tests: start `ctplab serve` on ephemeral 127.0.0.1 ports, read
its startup lines, talk to it with curl and raw sockets, and always stop it by its PID."""
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "resources")
REPO = os.path.dirname(os.path.dirname(HERE))
STARTUP_TIMEOUT_S = 10
LISTEN_RE = re.compile(r"^listening (\S+) gateway port (\d+) -> ([\d.]+):(\d+) \(listener (.+)\)$")


def ctplab_binary():
    path = os.environ.get("CTPLAB_BIN", os.path.join(REPO, "build", "ctplab"))
    if not os.access(path, os.X_OK):
        pytest.skip(f"no ctplab binary at {path} (set CTPLAB_BIN)")
    return path


def resource(name):
    return os.path.join(RESOURCES, name)


class Server:
    """One `ctplab serve` process; the fixture stops it when the test ends. Threads drain its
    stdout and stderr, so a chatty process never blocks on a full pipe."""

    def __init__(self, files, extra):
        cmd = [ctplab_binary(), "serve", *[resource(f) for f in files], "--any-port",
               "--admin", "127.0.0.1:0", *extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.ports = {}  # gateway port -> bound port
        self.admin = None
        self.stdout_lines = queue.Queue()
        self.stderr_lines = []
        self.readers = [
            threading.Thread(target=self._drain, args=(self.proc.stdout, self.stdout_lines.put),
                             daemon=True),
            threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr_lines.append),
                             daemon=True)]
        for t in self.readers:
            t.start()
        self._read_startup()

    @staticmethod
    def _drain(stream, sink):
        for line in stream:
            sink(line.rstrip("\n"))
        sink(None)

    def _read_startup(self):
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.stdout_lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            m = LISTEN_RE.match(line)
            if m:
                self.ports[int(m.group(2))] = int(m.group(4))
            elif line.startswith("admin listening on "):
                self.admin = int(line.rsplit(":", 1)[1])
            elif line.startswith("backend: "):
                return
        self.kill()
        raise AssertionError("ctplab serve did not start: stdout=%r stderr=%r" %
                             (seen, self.stderr_lines))

    def url(self, path="/", gateway_port=80):
        return f"http://127.0.0.1:{self.ports[gateway_port]}{path}"

    def port(self, gateway_port=80):
        return self.ports[gateway_port]

    def admin_get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.admin}{path}", timeout=5) as r:
            return r.status, r.read().decode()

    def stats(self):
        _, text = self.admin_get("/stats")
        out = {}
        for line in text.splitlines():
            name, _, value = line.rpartition(": ")
            out[name] = int(value)
        return out

    def wait_stat(self, name, value, timeout=3.0):
        """Stats are read after the proxy acted; a close the client saw may still be counting."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.stats().get(name)
            if got == value or time.monotonic() > deadline:
                return got
            time.sleep(0.05)

    def terminate(self, timeout=15):
        """SIGTERM, then the exit code and what the process wrote to stderr."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=timeout)
        for t in self.readers:
            t.join(timeout=5)
        return self.proc.returncode, "\n".join(l for l in self.stderr_lines if l is not None)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for t in self.readers:
            t.join(timeout=5)


@pytest.fixture
def serve():
    servers = []

    def start(*files, extra=()):
        s = Server(files, list(extra))
        servers.append(s)
        return s

    yield start
    # Every server still running must drain and exit 0 on SIGTERM: a crash, or a sanitizer
    # report at exit, fails the test that started it.
    failures = []
    for s in servers:
        if s.proc.poll() is None:
            try:
                rc, err = s.terminate()
                if rc != 0:
                    failures.append(f"exit {rc}: {err}")
            except subprocess.TimeoutExpired:
                failures.append("did not stop within 15s of SIGTERM")
        s.kill()
    assert not failures, failures


@pytest.fixture(scope="session")
def curl_bin():
    path = shutil.which("curl")
    if path is None:
        pytest.skip("curl is not installed")
    return path


def curl(curl_bin, url, *args, timeout=5):
    """Runs curl; returns (exit code, HTTP status or 0, body)."""
    r = subprocess.run([curl_bin, "-sS", "--max-time", str(timeout), "-o", "-", "-w",
                        "\n%{http_code}", *args, url], capture_output=True, text=True,
                       timeout=timeout + 5)
    body, _, code = r.stdout.rpartition("\n")
    return r.returncode, int(code or 0), body


def echo_json(body):
    return json.loads(body)


def raw_exchange(port, data, timeout=3.0, read_all=True):
    """Sends bytes on a fresh connection and returns what came back before EOF (or the timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        if data:
            s.sendall(data)
        return read_until_close(s, timeout) if read_all else s.recv(65536)


def status_line(sock, request=b"GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"):
    """Sends one request on an open connection and returns the response's status line."""
    sock.sendall(request)
    sock.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0]


def read_until_close(s, timeout):
    s.settimeout(timeout)
    chunks = []
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    except (ConnectionResetError, socket.timeout):
        pass
    return b"".join(chunks)
