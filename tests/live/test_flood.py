"""A connection flood against `connectionLimit: 100`: 5,000 held connections. The admitted clients
keep being served, the proxy's memory stays bounded, and every descriptor is returned after."""
import os
import resource
import socket
import time

import pytest

from conftest import status_line

FLOOD = 5000
LIMIT = 100


def descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")



@pytest.fixture
def enough_descriptors():
    # The test holds both the legitimate and the flood sockets, the proxy (a child) as many.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 2 * (FLOOD + LIMIT) + 512
    if hard != resource.RLIM_INFINITY and hard < need:
        pytest.skip(f"needs {need} file descriptors; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_flood_of_held_connections(serve, enough_descriptors):
    s = serve("gateway.yaml", "ctp-flood-limit.yaml", extra=["--workers", "2"])
    pid = s.proc.pid
    # Each worker's event loop opens its descriptors (epoll, eventfd, timerfd) on first use:
    # one connection per worker first, so the baseline holds them.
    for _ in range(4):
        with socket.create_connection(("127.0.0.1", s.port()), timeout=5) as c:
            assert status_line(c) == b"HTTP/1.1 200 OK"
    assert s.wait_stat("connection_limit.http-10080.active_connections", 0) == 0
    time.sleep(1.5)  # closed connections linger up to a second for the peer's FIN
    fds_before = descriptors(pid)
    rss_before = rss_kib(pid)

    legit = []
    flood = []
    try:
        for _ in range(LIMIT):
            c = socket.create_connection(("127.0.0.1", s.port()), timeout=5)
            legit.append(c)
            assert status_line(c) == b"HTTP/1.1 200 OK"
        assert s.wait_stat("connection_limit.http-10080.active_connections", LIMIT) == LIMIT

        for _ in range(FLOOD):
            f = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            f.setblocking(False)
            f.connect_ex(("127.0.0.1", s.port()))
            flood.append(f)
        assert s.wait_stat("connection_limit.http-10080.limited_connections", FLOOD,
                           timeout=30) == FLOOD
        # Every attacker is held (closeDelay): the proxy has a socket for each.
        assert descriptors(pid) >= fds_before + LIMIT + FLOOD

        # The admitted clients are still served while the flood is held.
        for c in legit:
            assert status_line(c) == b"HTTP/1.1 200 OK"
        grown_kib = rss_kib(pid) - rss_before
        # About 1 KiB of proxy state per held connection, plus the kernel's socket buffers
        # (outside RSS): far below what would signal per-connection buffering.
        assert grown_kib < 64 * 1024, grown_kib
    finally:
        for f in flood:
            f.close()
        for c in legit:
            c.close()

    assert s.wait_stat("connection_limit.http-10080.active_connections", 0, timeout=30) == 0
    deadline = time.monotonic() + 15
    while descriptors(pid) > fds_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert descriptors(pid) <= fds_before, (descriptors(pid), fds_before)
    # A new client is served once the flood is gone.
    with socket.create_connection(("127.0.0.1", s.port()), timeout=5) as c:
        assert status_line(c) == b"HTTP/1.1 200 OK"
