"""Expansion: grid and zip, replications, seeds."""
from __future__ import annotations

import hashlib

from ctplab_reports import yamlio
from ctplab_reports.expand import derive_seed, expand_points, expand_runs, point_key
from ctplab_reports.sweep_spec import parse_sweep

LIMIT = "resources[1].inline[kind=ClientTrafficPolicy,name=limit].spec.connection." \
        "connectionLimit.value"


def spec(data_dir, grid=True, replications=2, seeds="independent", limits=(100, 200, 400),
         bots=(10, 20, 30)):
    text = f"""\
scenario: small-flood.yaml
parameters:
  - {{path: "{LIMIT}", name: limit, values: {list(limits)}}}
  - {{path: "populations[name=bots].clients", name: bots, values: {list(bots)}}}
grid: {str(grid).lower()}
replications: {replications}
seeds: {seeds}
seed: 7
set: {{duration: 5s}}
"""
    return parse_sweep(text, "sweep.yaml", data_dir)


def test_grid_is_the_cartesian_product(data_dir):
    s = spec(data_dir)
    points = expand_points(s)
    assert len(points) == 9 and len(expand_runs(s, points)) == 18
    assert [p.values for p in points[:4]] == [
        (("limit", 100), ("bots", 10)), (("limit", 100), ("bots", 20)),
        (("limit", 100), ("bots", 30)), (("limit", 200), ("bots", 10))]
    assert [p.id for p in points[:2]] == ["p000", "p001"]


def test_zip_pairs_values(data_dir):
    s = spec(data_dir, grid=False, replications=3)
    points = expand_points(s)
    assert [p.values for p in points] == [
        (("limit", 100), ("bots", 10)), (("limit", 200), ("bots", 20)),
        (("limit", 400), ("bots", 30))]
    assert len(expand_runs(s, points)) == 9


def test_point_scenarios_carry_the_values(data_dir):
    s = spec(data_dir, replications=1)
    runs = expand_runs(s)
    tree = yamlio.load(runs[5].scenario_text)  # limit 200, bots 30
    assert tree["duration"] == "5s"
    assert tree["populations"][0]["clients"] == 30
    assert "value: 200" in tree["resources"][1]["inline"]


def test_seed_derivation_is_pinned():
    assert derive_seed(7, "", 0) == 2043457813156806
    assert derive_seed(7, "", 1) == 8285212466151223
    assert derive_seed(1, '[["duration","1s"]]', 0) == 340088116259998
    assert derive_seed(2 ** 64 - 1, "x", 99) == 5020450791605616
    digest = hashlib.sha256(b"ctplab-sweep-seed/1\n7\n\n0").digest()
    assert derive_seed(7, "", 0) == int.from_bytes(digest[:8], "big") >> 11
    assert all(0 <= derive_seed(3, "k", r) < 2 ** 53 for r in range(100))


def test_seeds_follow_values_not_positions(data_dir):
    small = expand_runs(spec(data_dir, limits=(100, 400)))
    large = expand_runs(spec(data_dir, limits=(100, 200, 400)))
    seeds_small = {(r.point.values, r.replication): r.seed for r in small}
    seeds_large = {(r.point.values, r.replication): r.seed for r in large}
    assert all(seeds_large[k] == v for k, v in seeds_small.items())
    assert len(set(seeds_large.values())) == len(large)  # all distinct
    key = point_key((("limit", 100), ("bots", 10)),
                    {"limit": LIMIT, "bots": "populations[name=bots].clients"})
    assert large[0].seed == derive_seed(7, key, 0)


def test_common_seeds_share_per_replication(data_dir):
    runs = expand_runs(spec(data_dir, seeds="common"))
    assert {r.seed for r in runs if r.replication == 0} == {derive_seed(7, "", 0)}
    assert {r.seed for r in runs if r.replication == 1} == {derive_seed(7, "", 1)}
