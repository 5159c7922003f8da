#!/usr/bin/python3
"""How many mutual-TLS handshakes fail when the client certificate expires before the fleet
has rotated?

Starts from ``scenarios/tls/certificates-expire-during-run.yaml`` (an HTTPS listener whose
ClientTrafficPolicy requires client certificates from the scenario's CA) and builds one variant
per rotation share with ``ctplab.Scenario.from_dict``: a fleet of clients whose certificate
``short-lived`` expires ``--expires-after`` into the run, of which a share has already rotated
to a fresh certificate (``renewed``, valid for 30 days). Every client opens several connections
one after another (a full handshake each), arriving evenly over the first half of the run, so
connections keep coming before and after the expiry instant. A client that rotates before the
expiry presents a valid certificate at every handshake, so it is modelled as a population that
presents the renewed certificate throughout; the others keep the expiring one.

For each variant (default 0 %, 50 %, 90 % and 100 % rotated) it runs the simulation, reads the
per-second failures from ``SimulationResult.time_series("<population>.failed")`` (NumPy arrays;
in this scenario a failed request is exactly a refused handshake, which the script checks
against the populations' ``tls`` counters), plots failed handshakes per second and their running
total per variant with matplotlib (``mtls-expiry-rollout.png``) and prints per-variant totals.

Runtime: about two seconds (4 variants x 400 clients x 6 connections, 60 s of simulated time);
``--quick`` (100 clients, 30 s) well under a second.

Adapting it: ``--shares 0,25,75`` picks the rotation shares, ``--clients``, ``--duration`` and
``--expires-after`` size the fleet and the run; to use your own Gateway and policy, change
``--scenario`` to a scenario with a ``certificates:`` section and an HTTPS listener (port 443)
and keep the certificate names, or edit ``build_variant`` below.

    PYTHONPATH=<build>/python /usr/bin/python3 mtls_expiry_rollout.py --out DIR
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASE_SCENARIO = REPO / "scenarios" / "tls" / "certificates-expire-during-run.yaml"


def import_or_exit(name: str):
    try:
        return __import__(name)
    except ImportError as exc:
        builds = sorted(REPO.glob("build*/python/ctplab"))
        hint = ""
        if builds:
            found = ", ".join(os.path.relpath(b.parent) for b in builds)
            hint = f"\n  built copies of the module found in: {found}"
        print(f"error: cannot import {name} ({exc}).\n"
              f"  Build ctplab with its Python module (CTPLAB_BUILD_PYTHON=ON) and set\n"
              f"  PYTHONPATH=<build>/python:{os.path.relpath(REPO / 'reports')}\n"
              f"  (the module and the ctplab_reports package); use /usr/bin/python3, which\n"
              f"  has NumPy, PyYAML and matplotlib.{hint}", file=sys.stderr)
        sys.exit(2)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Simulate a client-certificate expiry with several shares of the fleet "
                    "already rotated; plot failed handshakes over time per variant.")
    ap.add_argument("--out", default="mtls-expiry-rollout", metavar="DIR",
                    help="output directory (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1, metavar="N",
                    help="simulation seed (default: %(default)s)")
    ap.add_argument("--quick", action="store_true",
                    help="a small fleet (100 clients) and a 30 s run")
    ap.add_argument("--shares", default="0,50,90,100", metavar="P,P,...",
                    help="rotated shares in percent (default: %(default)s)")
    ap.add_argument("--clients", type=int, metavar="N",
                    help="fleet size (default: 400; 100 with --quick)")
    ap.add_argument("--duration", type=int, metavar="SECONDS",
                    help="simulated time (default: 60; 30 with --quick)")
    ap.add_argument("--expires-after", type=int, metavar="SECONDS",
                    help="when the old certificate expires (default: a third of the run)")
    ap.add_argument("--connections", type=int, default=6, metavar="N",
                    help="connections per client, one after another (default: %(default)s)")
    ap.add_argument("--scenario", default=str(BASE_SCENARIO), metavar="FILE",
                    help="the scenario to start from (default: "
                         "scenarios/tls/certificates-expire-during-run.yaml)")
    args = ap.parse_args(argv)
    try:
        args.shares = [float(s) for s in args.shares.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--shares: expected comma-separated percentages, got {args.shares!r}")
    if not args.shares or any(not 0 <= s <= 100 for s in args.shares):
        ap.error("--shares: percentages between 0 and 100")
    args.clients = args.clients or (100 if args.quick else 400)
    args.duration = args.duration or (30 if args.quick else 60)
    args.expires_after = args.expires_after or args.duration // 3
    if args.clients < 1 or args.duration < 2 or not 0 < args.expires_after < args.duration:
        ap.error("need --clients >= 1 and 0 < --expires-after < --duration")
    return args


def plain(value):
    """YAML timestamps back to RFC 3339 text (the scenario format reads times as text)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def build_variant(base: dict, share: float, args: argparse.Namespace) -> dict:
    """The base scenario with a fleet of which ``share`` % presents a renewed certificate."""
    d = plain(base)
    d["name"] = f"mtls-rotation-{share:g}pct"
    d["description"] = (f"{args.clients} clients, {share:g} % of them rotated to a renewed "
                        f"certificate before the old one expires at {args.expires_after} s.")
    d["duration"] = f"{args.duration}s"
    certs = d.setdefault("certificates", {})
    certs["clients"] = [{"name": "short-lived", "validFor": f"{args.expires_after}s"},
                        {"name": "renewed", "validFor": "720h"}]
    rotated = round(args.clients * share / 100)
    window = args.duration / 2          # arrivals over the first half of the run
    think = max(0.5, window / args.connections)
    behavior = {"kind": "requests", "connections": args.connections,
                "requestsPerConnection": 1, "thinkTime": f"{think:g}s",
                "requestTimeout": "5s"}
    populations = []
    for name, count, cert in (("rotated", rotated, "renewed"),
                              ("not-rotated", args.clients - rotated, "short-lived")):
        if count == 0:
            continue
        populations.append({"name": name, "clients": count,
                            "arrival": {"process": "constant", "rate": f"{count / window:g}/s"},
                            "target": {"port": 443},
                            "tls": {"certificate": cert},
                            "behavior": behavior})
    d["populations"] = populations
    return d


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    yaml = import_or_exit("yaml")
    np = import_or_exit("numpy")
    ctplab = import_or_exit("ctplab")
    import_or_exit("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with open(args.scenario, encoding="utf-8") as fh:
        base = yaml.safe_load(fh)
    base_dir = os.path.dirname(os.path.abspath(args.scenario))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    rows = []
    curves = []
    for share in args.shares:
        scenario = ctplab.Scenario.from_dict(build_variant(base, share, args), base_dir=base_dir,
                                             label=f"rotation-{share:g}pct")
        (out / f"scenario-{share:g}pct.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        result = ctplab.simulate(scenario, seed=args.seed)
        t = None
        failed = None
        handshakes = refused = 0
        for name in scenario.populations:
            t, series = result.time_series(f"{name}.failed")
            failed = series.copy() if failed is None else failed + series
            tls = result.populations[name].get("tls", {})
            handshakes += tls.get("handshake", 0)
            refused += sum(v for k, v in tls.items() if k.startswith("fail_"))
        series_total = int(failed.sum())
        if series_total != refused:
            print(f"note: variant {share:g} %: {series_total} failed requests in the time series "
                  f"but {refused} refused handshakes: other failures are mixed in",
                  file=sys.stderr)
        attempts = handshakes + refused
        first = t[np.argmax(failed > 0)] if failed.any() else None
        rows.append((share, attempts, refused, first, int(failed.max())))
        curves.append((share, t, failed))

    # The plot: failures per second and their running total, one line per variant.
    fig = Figure(figsize=(9, 6.5))
    ax1 = fig.add_subplot(2, 1, 1)
    ax2 = fig.add_subplot(2, 1, 2, sharex=ax1)
    width = curves[0][1][1] - curves[0][1][0] if len(curves[0][1]) > 1 else 1.0
    for share, t, failed in curves:
        label = f"{share:g} % rotated"
        ax1.step(t, failed, where="post", label=label)
        # the running total at the end of each bucket, starting from 0 at the run's start
        ax2.plot(np.concatenate(([t[0]], t + width)), np.concatenate(([0], np.cumsum(failed))),
                 label=label)
    for ax in (ax1, ax2):
        ax.axvline(args.expires_after, color="tab:red", linestyle="--", linewidth=1)
        ax.grid(True, alpha=0.3)
    ax1.text(args.expires_after, ax1.get_ylim()[1] * 0.95, " old certificate expires",
             color="tab:red", va="top", fontsize="small")
    ax1.set_title(f"Failed mTLS handshakes, {args.clients} clients x {args.connections} "
                  f"connections (seed {args.seed})")
    ax1.set_ylabel("failed handshakes per second")
    ax2.set_ylabel("failed handshakes (running total)")
    ax2.set_xlabel("time since the start of the run (s)")
    ax1.legend(title="variant", fontsize="small", title_fontsize="small", loc="upper right")
    fig.tight_layout()
    FigureCanvasAgg(fig)
    png = out / "mtls-expiry-rollout.png"
    fig.savefig(png, dpi=100, metadata={"Software": None})

    print(f"{args.clients} clients x {args.connections} connections, old certificate expires "
          f"at {args.expires_after} s of {args.duration} s (seed {args.seed})")
    print()
    print(f"{'rotated':>8}  {'handshakes':>10}  {'failed':>7}  {'failed %':>8}  "
          f"{'first failure':>13}  {'peak /s':>7}")
    for share, attempts, refused, first, peak in rows:
        pct = 100 * refused / attempts if attempts else 0.0
        when = f"{first:g} s" if first is not None else "-"
        print(f"{share:>7g}%  {attempts:>10}  {refused:>7}  {pct:>7.1f}%  {when:>13}  {peak:>7}")
    print()
    print(f"wrote {png} and the variants' scenarios (scenario-*pct.yaml) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
