"""The Python examples, each run in its quick mode in a subprocess.

Needs PYTHONPATH=<build>/python:<repo>/reports (the ctplab module and ctplab_reports) and, for
the audit, the ctplab executable (CTPLAB_BIN, else the newest build*/ctplab); `ctest -R
python_examples` sets both. About 15 s on two cores.
"""
from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1]
SCRIPTS = ["connection_limit_sweep.py", "xff_spoof_audit.py", "mtls_expiry_rollout.py"]

try:
    import ctplab  # noqa: F401
    import ctplab_reports  # noqa: F401
except ImportError as exc:  # pragma: no cover - environment problem, said plainly
    pytest.skip(f"the ctplab module or ctplab_reports is not importable ({exc}); set "
                "PYTHONPATH=<build>/python:<repo>/reports", allow_module_level=True)


def run(script: str, *args: str, env: dict | None = None, timeout: float = 120):
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), *args],
                          capture_output=True, text=True, timeout=timeout,
                          env=env if env is not None else os.environ.copy())
    assert proc.returncode == 0, f"{script} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.mark.parametrize("script", SCRIPTS)
def test_help(script):
    out = run(script, "--help").stdout
    for option in ("--out", "--seed", "--quick"):
        assert option in out


@pytest.mark.parametrize("script", SCRIPTS)
def test_module_missing_is_explained(script, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), "--out", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode != 0
    assert "PYTHONPATH=<build>/python" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_connection_limit_sweep_quick(tmp_path):
    out = tmp_path / "report"
    proc = run("connection_limit_sweep.py", "--quick", "--out", str(out), "--jobs", "2")
    text = proc.stdout
    # The recommendation line and the crossing table (deterministic for the sweep's seed).
    assert re.search(r"^Recommendation: connection limit 3,162 meets the SLO for floods of up "
                     r"to 1,000 bots; from 100,000 bots on", text, re.M), text
    assert "bots=1,000: success >= 99.9 %: from 3,162" in text
    assert "At bots=1000: values of connection limit meeting the SLO: 3162" in text

    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert len(images) >= 4
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Recommended" in html or "No value of connection limit" in html
    assert (out / "report.md").is_file() and list(out.glob("*.png"))
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(results["points"]) == 4 and results["replications"] == 1
    assert sorted(p.name for p in (out / "points").glob("*.yaml")) == [
        "p000.yaml", "p001.yaml", "p002.yaml", "p003.yaml"]


def test_xff_spoof_audit(tmp_path):
    out = tmp_path / "audit"
    text = run("xff_spoof_audit.py", "--out", str(out)).stdout
    lines = {tuple(line.split()[:2]): line for line in text.splitlines() if line.strip()}
    # A CDN and a load balancer with one trusted hop too many: X-Forwarded-For is forgeable
    # and the forgery gets into /admin.
    spoofed = lines[("cdn-lb", "ctp-hops-3.yaml")]
    assert "YES: X-Forwarded-For (public)" in spoofed and spoofed.rstrip().endswith("YES")
    assert "own address" in lines[("cdn-lb", "ctp-hops-2.yaml")]
    assert "Recommendation for topology-cdn-lb: use ctp-hops-2.yaml" in text
    assert "Recommendation for topology-two-cdns: use ctp-hops-1.yaml" in text
    # Direct access around the network load balancer: no policy helps, the network must.
    nlb = text.split("Recommendation for topology-nlb-direct:")[1].split("Recommendation for")[0]
    assert "ctp-proxy-protocol.yaml" in nlb and "restrict direct access" in nlb
    # The forgery replayed at scale: every forged request believed.
    assert re.search(r"topology-cdn-lb / ctp-hops-3.yaml: forged X-Forwarded-For on public: "
                     r"gateway saw 192\.168\.0\.1 in (\d+) of \1 requests, \1 allowed", text)

    md = (out / "xff-audit.md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| topology-cdn-lb |"))
    head = next(line for line in md.splitlines() if line.startswith("| topology |"))
    cells = dict(zip(head.split("|")[2:-1], row.split("|")[2:-1]))
    assert "spoofable" in cells[" ctp-hops-3.yaml "]
    assert cells[" ctp-hops-2.yaml "].strip() == "ok"
    assert "## Recommendations" in md
    report = json.loads((out / "xff-audit.json").read_text(encoding="utf-8"))
    hops3 = next(a for a in report["topology-cdn-lb"] if a["policy"] == "ctp-hops-3.yaml")
    assert any(f["attempt"] == "forged X-Forwarded-For" for f in hops3["audit"]["findings"])
    assert list((out / "policies").glob("ctp-trusted-all-hops--*.yaml"))


def test_xff_spoof_audit_quick(tmp_path):
    out = tmp_path / "audit"
    text = run("xff_spoof_audit.py", "--quick", "--out", str(out)).stdout
    assert "(generated)" not in text
    assert "in 10 of 10 requests, 10 allowed" in text
    assert (out / "xff-audit.md").is_file()


def test_mtls_expiry_rollout_quick(tmp_path):
    out = tmp_path / "mtls"
    text = run("mtls_expiry_rollout.py", "--quick", "--out", str(out)).stdout
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\d+)%\s+(\d+)\s+(\d+)\s+([\d.]+)%\s+(\S+)", line)
        if m:
            rows[int(m.group(1))] = (int(m.group(2)), int(m.group(3)), m.group(5))
    assert sorted(rows) == [0, 50, 90, 100], text
    assert rows[100][1] == 0 and rows[0][1] > rows[50][1] > rows[90][1] > 0
    assert rows[0][2] == "10"          # failures start when the old certificate expires (10 s)
    png = out / "mtls-expiry-rollout.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10000
    assert len(list(out.glob("scenario-*pct.yaml"))) == 4
