"""The conformance suite outside simulation: `--mode live` runs every live-capable case against
ctplab's proxy on loopback with real clients, and `--mode target` drives a gateway started
separately (here `ctplab serve`, standing in for a foreign implementation) configured with the
case's resources. Both modes must also be able to fail."""
import os
import re
import subprocess

import pytest

from conftest import REPO, ctplab_binary

CASES = os.path.join(REPO, "conformance", "cases")
SUMMARY_RE = re.compile(r"conformance \((\w+)\): (\d+) passed, (\d+) failed, (\d+) skipped")


def conformance(*args, timeout=240):
    r = subprocess.run([ctplab_binary(), "conformance", *args], capture_output=True, text=True,
                       cwd=REPO, timeout=timeout)
    m = SUMMARY_RE.search(r.stdout)
    counts = tuple(int(g) for g in m.groups()[1:]) if m else None
    return r.returncode, counts, r.stdout, r.stderr


def case(name):
    return os.path.join(CASES, name)


def live_case_files():
    files = []
    for f in sorted(os.listdir(CASES)):
        if not f.endswith(".yaml"):
            continue
        with open(os.path.join(CASES, f)) as text:
            for line in text:
                if line.startswith("modes:") and "live" in line:
                    files.append(f)
    return files


def printed_resources(tmp_path, case_file):
    r = subprocess.run([ctplab_binary(), "conformance", "--print-resources", case(case_file)],
                       capture_output=True, text=True, cwd=REPO, timeout=30)
    assert r.returncode == 0, r.stderr
    path = tmp_path / (case_file + ".resources.yaml")
    path.write_text(r.stdout)
    return str(path)


def test_every_live_case_passes_against_the_live_proxy(tmp_path):
    expected = len(live_case_files())
    assert expected >= 20
    junit = tmp_path / "live.xml"
    rc, counts, out, err = conformance("--mode", "live", "--junit", str(junit))
    assert rc == 0, out + err
    passed, failed, skipped = counts
    assert (passed, failed) == (expected, 0), out
    assert 'failures="0"' in junit.read_text()


def test_live_mode_fails_when_the_proxy_does_not_do_what_the_case_says(tmp_path):
    # The case says DropHeader serves the request; a claim of 400 must be caught on the wire.
    text = open(case("headers-with-underscores-dropped.yaml")).read()
    text = text.replace("name: HeadersWithUnderscoresDropped", "name: WrongClaim")
    text = text.replace("file: resources/", f"file: {CASES}/resources/")
    text = text.replace("      requests.by_status.200: 1\n    plain:",
                        "      requests.by_status.400: 1\n    plain:")
    wrong = tmp_path / "wrong-claim.yaml"
    wrong.write_text(text)
    rc, counts, out, _ = conformance(str(wrong), "--mode", "live")
    assert rc == 1, out
    assert counts == (0, 1, 0)
    assert "population underscore: requests.by_status.400" in out
    assert "requests.by_status.200=1" in out  # the observed outcomes in the trace


@pytest.mark.parametrize("case_file", [
    "headers-with-underscores-dropped.yaml",
    "connection-limit-closes-connections-over-limit.yaml",
    "escaped-slashes-rejected.yaml",
])
def test_target_mode_against_a_separately_started_gateway(serve, tmp_path, case_file):
    server = serve(printed_resources(tmp_path, case_file))
    rc, counts, out, err = conformance(
        case(case_file), "--mode", "target", "--target", f"127.0.0.1:{server.port(80)}",
        "--target-admin", f"127.0.0.1:{server.admin}", "--verbose")
    assert rc == 0, out + err
    assert counts == (1, 0, 0), out
    # A foreign gateway's policy status lives in its cluster: listed, not judged.
    assert "not observable here: ClientTrafficPolicy" in out


def test_target_mode_reads_the_stats_of_the_run_only(serve, tmp_path):
    # Two runs against one long-lived gateway: exact stat expectations hold both times because
    # the counters are read before and after each run.
    server = serve(printed_resources(tmp_path, "headers-with-underscores-dropped.yaml"))
    args = (case("headers-with-underscores-dropped.yaml"), "--mode", "target", "--target",
            f"127.0.0.1:{server.port(80)}", "--target-admin", f"127.0.0.1:{server.admin}")
    for _ in range(2):
        rc, counts, out, _ = conformance(*args)
        assert rc == 0 and counts == (1, 0, 0), out


def test_target_mode_catches_a_gateway_without_the_policy(serve, tmp_path):
    # The gateway runs without the case's ClientTrafficPolicy: requests with underscores get the
    # default 400, and the suite says so.
    resources = open(printed_resources(tmp_path, "headers-with-underscores-dropped.yaml")).read()
    gateway_only = resources.split("kind: ClientTrafficPolicy")[0].rsplit("---", 1)[0]
    path = tmp_path / "gateway-only.yaml"
    path.write_text(gateway_only)
    server = serve(str(path))
    rc, counts, out, _ = conformance(
        case("headers-with-underscores-dropped.yaml"), "--mode", "target", "--target",
        f"80=127.0.0.1:{server.port(80)}")
    assert rc == 1, out
    assert counts == (0, 1, 0)
    assert "requests.by_status.200" in out and "expected: 1" in out


def test_target_mode_usage_errors():
    rc, _, _, err = conformance(case("headers-with-underscores-dropped.yaml"), "--mode", "target")
    assert rc == 2 and "--mode target needs --target" in err
    rc, _, _, err = conformance("--mode", "target", "--target", "nohost")
    assert rc == 2 and "--target wants HOST:PORT" in err
    rc, _, _, err = conformance("--mode", "live", "--plant-fault", "ignore-close-delay")
    assert rc == 2 and "use --mode sim" in err
    rc, _, _, err = conformance("--target", "127.0.0.1:1")
    assert rc == 2 and "go with --mode target" in err


def test_target_mode_reports_an_unreachable_gateway():
    rc, counts, out, _ = conformance(case("headers-with-underscores-dropped.yaml"), "--mode",
                                     "target", "--target", "127.0.0.1:1", "--target-admin",
                                     "127.0.0.1:1")
    assert rc == 1
    assert counts == (0, 1, 0)
    assert "admin endpoint 127.0.0.1:1" in out
