"""The recommendation on synthetic results."""
from __future__ import annotations

from ctplab_reports.aggregate import mean_ci
from ctplab_reports.expand import expand_points
from ctplab_reports.recommend import evaluate, recommend
from ctplab_reports.sweep_spec import parse_sweep

LIMIT = "resources[1].inline[kind=ClientTrafficPolicy,name=limit].spec.connection." \
        "connectionLimit.value"


def make_spec(data_dir, extra="", slo="{population: legit, success_rate_min: 0.99, "
              "p99_ms_max: 100}", grid="true"):
    text = f"""\
scenario: small-flood.yaml
parameters:
  - {{path: "{LIMIT}", name: limit, values: [400, 100, 200]}}
  - {{path: "populations[name=bots].clients", name: bots, values: [10, 20, 30]}}
grid: {grid}
slo: {slo}
{extra}"""
    return parse_sweep(text, "sweep.yaml", data_dir)


def summary(success, p99):
    """A point summary with the given per-replication success rates and p99s."""
    return {"populations": {"legit": {"success_rate": mean_ci(success), "p99_ms": mean_ci(p99)}},
            "gateway": {}}


GOOD = summary([1.0, 0.999], [50, 60])
SLOW = summary([1.0, 1.0], [150, 160])
LOSSY = summary([0.5, 0.6], [50, 60])


def run(spec, table):
    points = expand_points(spec)
    summaries = [table[(p.value("limit"), p.value("bots"))] for p in points]
    return recommend(spec, points, summaries)


def test_smallest_setting_meeting_the_slo_everywhere(data_dir):
    spec = make_spec(data_dir)
    table = {(400, 10): GOOD, (100, 10): GOOD, (200, 10): GOOD,
             (400, 20): GOOD, (100, 20): LOSSY, (200, 20): GOOD,
             (400, 30): GOOD, (100, 30): LOSSY, (200, 30): SLOW}
    rec = run(spec, table)
    groups = {g["fixed"]["bots"]: g for g in rec["groups"]}
    assert groups[10]["values"] == [100, 200, 400]  # ordered by value, not as listed
    assert (groups[10]["smallest"], groups[10]["largest"]) == (100, 400)
    assert groups[20]["recommended"] == 200 and groups[30]["recommended"] == 400
    assert rec["recommended"] == 400
    assert rec["summary"][-1].startswith("Recommended limit: 400")
    assert all(g["consistent"] for g in rec["groups"])


def test_prefer_largest_and_inconsistent_groups(data_dir):
    spec = make_spec(data_dir, extra="recommend: {parameter: limit, prefer: largest}\n")
    table = {k: GOOD for k in [(400, 10), (100, 10), (200, 10), (400, 20), (200, 20),
                               (400, 30), (100, 30), (200, 30)]}
    table[(100, 20)] = LOSSY
    table[(400, 30)] = SLOW  # 100 and 200 meet it, 400 does not
    rec = run(spec, table)
    assert rec["recommended"] == 200
    g30 = next(g for g in rec["groups"] if g["fixed"]["bots"] == 30)
    assert g30["recommended"] == 200 and g30["consistent"] is True  # all below meet it
    spec = make_spec(data_dir)
    rec = run(spec, table)
    g30 = next(g for g in rec["groups"] if g["fixed"]["bots"] == 30)
    assert g30["recommended"] == 100 and g30["consistent"] is False
    assert "check the transition" in " ".join(rec["summary"])


def test_nothing_meets_it(data_dir):
    spec = make_spec(data_dir)
    rec = run(spec, {(a, b): LOSSY for a in (100, 200, 400) for b in (10, 20, 30)})
    assert rec["recommended"] is None
    assert rec["summary"][-1] == "No value of limit meets the SLO at every tested value of bots."


def test_zip_sweep_is_one_group(data_dir):
    spec = make_spec(data_dir, grid="false")
    rec = run(spec, {(400, 10): GOOD, (100, 20): LOSSY, (200, 30): GOOD})
    assert len(rec["groups"]) == 1 and rec["recommended"] == 200


def test_ci_basis_is_pessimistic(data_dir):
    spec = make_spec(data_dir, slo="{population: legit, success_rate_min: 0.99, basis: ci}")
    noisy = summary([1.0, 0.985], [10, 10])  # mean 0.9925 meets; lower CI bound does not
    assert evaluate(spec.slo, noisy)["meets"] is False
    spec = make_spec(data_dir, slo="{population: legit, success_rate_min: 0.99}")
    assert evaluate(spec.slo, noisy)["meets"] is True
    single = summary([0.995], [10])  # one replication: the mean decides
    spec = make_spec(data_dir, slo="{population: legit, success_rate_min: 0.99, basis: ci}")
    assert evaluate(spec.slo, single)["meets"] is True


def test_no_requests_does_not_meet_it(data_dir):
    spec = make_spec(data_dir)
    verdict = evaluate(spec.slo, summary([None, None], [None]))
    assert verdict["meets"] is False
    assert [c["value"] for c in verdict["checks"]] == [None, None]


def test_no_slo(data_dir):
    text = f"""\
scenario: small-flood.yaml
parameters:
  - {{path: "{LIMIT}", values: [1, 2]}}
"""
    spec = parse_sweep(text, "sweep.yaml", data_dir)
    rec = recommend(spec, expand_points(spec), [GOOD, GOOD])
    assert rec["slo"] is None and "no recommendation" in rec["summary"][0]
