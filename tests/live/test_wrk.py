"""wrk against `ctplab serve`: a short keep-alive load on loopback, every request answered 200, and
the proxy's own counters agree with what wrk saw."""
import re
import shutil
import subprocess

import pytest

DURATION_S = 2
CONNECTIONS = 8


def run_wrk(url):
    wrk = shutil.which("wrk")
    if wrk is None:
        pytest.skip("wrk is not installed")
    r = subprocess.run([wrk, "-t", "2", "-c", str(CONNECTIONS), "-d", f"{DURATION_S}s",
                        "-H", "Host: www.example.com", url],
                       capture_output=True, text=True, timeout=DURATION_S + 30)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("backend", ["echo", "upstream"])
def test_wrk_keepalive_load(serve, backend):
    if backend == "echo":
        target = serve("gateway.yaml", "ctp-trusted-hops.yaml", extra=["--workers", "2"])
    else:
        # The second proxy forwards to the first: the upstream pool carries wrk's requests.
        upstream = serve("gateway.yaml")
        target = serve("gateway.yaml", "ctp-trusted-hops.yaml",
                       extra=["--backend", f"127.0.0.1:{upstream.port()}"])
    out = run_wrk(target.url("/"))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    assert "Non-2xx" not in out, out
    assert "Socket errors" not in out, out
    assert done > 100, out
    stats = target.stats()
    # wrk opens one connection of its own before the load (to check the target).
    assert CONNECTIONS <= stats["http.http-10080.downstream_cx_total"] <= CONNECTIONS + 1
    served = stats["http.http-10080.downstream_rq_2xx"]
    # wrk does not count the requests in flight when it stops.
    assert done <= served <= done + CONNECTIONS, (done, served)
    if backend == "upstream":
        # Kept-alive upstream connections are reused: at most one per downstream connection.
        assert upstream.stats()["http.http-10080.downstream_cx_total"] <= CONNECTIONS + 1
