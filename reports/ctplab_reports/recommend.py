"""Which setting meets the service-level objective.

A point **meets** the SLO when, for the SLO's population, every objective holds:

- ``success_rate_min``: success rate (2xx responses / requests sent) ≥ the minimum;
- ``<percentile>_ms_max``: that latency percentile ≤ the maximum.

With ``basis: mean`` the replications' mean is compared; with ``basis: ci`` the pessimistic end
of the 95 % interval (the lower bound of the success rate, the upper bound of a latency), which
falls back to the mean for a single replication. A population that sent no requests (or got no
responses, for latency) does not meet it.

The recommended parameter is ``recommend.parameter`` (default: the first). Its points are
grouped by the values of the other parameters (one group when there are none or the sweep
pairs values); in each group the smallest and largest values that meet the SLO are reported,
and the recommendation is the preferred one (``prefer: smallest`` by default) among the values
that meet it in **every** group.
"""
from __future__ import annotations

from typing import Any

from .expand import Point, format_value
from .sweep_spec import Slo, SweepSpec


def describe_slo(slo: Slo) -> str:
    """The SLO in words."""
    parts = []
    if slo.success_rate_min is not None:
        parts.append(f"success rate ≥ {slo.success_rate_min:g}")
    for key, value in slo.latency_ms_max.items():
        parts.append(f"{key} latency ≤ {value:g} ms")
    basis = ("the mean over replications" if slo.basis == "mean"
             else "the pessimistic end of the 95 % confidence interval")
    return f"population {slo.population}: " + " and ".join(parts) + f", judged on {basis}"


def evaluate(slo: Slo, summary: dict[str, Any]) -> dict[str, Any]:
    """Whether one point's summary meets ``slo``, objective by objective."""
    stats = summary["populations"].get(slo.population, {})
    checks = []

    def pick(stat: dict[str, Any], pessimistic: str) -> float | None:
        if stat is None or stat.get("mean") is None:
            return None
        if slo.basis == "ci" and stat.get(pessimistic) is not None:
            return stat[pessimistic]
        return stat["mean"]

    if slo.success_rate_min is not None:
        value = pick(stats.get("success_rate"), "low")
        checks.append({"objective": f"success_rate >= {slo.success_rate_min:g}", "value": value,
                       "ok": value is not None and value >= slo.success_rate_min})
    for key, limit in slo.latency_ms_max.items():
        value = pick(stats.get(f"{key}_ms"), "high")
        checks.append({"objective": f"{key}_ms <= {limit:g}", "value": value,
                       "ok": value is not None and value <= limit})
    return {"meets": all(c["ok"] for c in checks), "checks": checks}


def order_key(spec: SweepSpec, name: str, value: Any) -> tuple[int, float]:
    """Sort key of a parameter value: its number, or its position in the sweep file."""
    param = spec.parameter(name)
    idx = next(i for i, v in enumerate(param.values) if v == value)
    if param.numeric is not None:
        return (0, param.numeric[idx])
    return (1, float(idx))


def recommend(spec: SweepSpec, points: list[Point],
              summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The recommendation section's data (JSON-ready)."""
    if spec.slo is None:
        return {"slo": None, "summary": ["No slo: in the sweep file, so no recommendation."]}
    slo = spec.slo
    target = spec.recommend_parameter
    others = [p.name for p in spec.parameters if p.name != target]
    verdicts = [evaluate(slo, s) for s in summaries]

    groups: dict[tuple, list[int]] = {}
    for i, point in enumerate(points):
        key = tuple((n, point.value(n)) for n in others) if spec.grid else ()
        groups.setdefault(key, []).append(i)

    group_out = []
    meeting_sets = []
    for key, members in groups.items():
        members = sorted(members, key=lambda i: order_key(spec, target, points[i].value(target)))
        values = [points[i].value(target) for i in members]
        meets = [verdicts[i]["meets"] for i in members]
        ok_values = [v for v, m in zip(values, meets) if m]
        chosen = None
        consistent = True
        if ok_values:
            chosen = ok_values[0] if spec.prefer == "smallest" else ok_values[-1]
            pos = values.index(chosen)
            beyond = meets[pos:] if spec.prefer == "smallest" else meets[:pos + 1]
            consistent = all(beyond)
        meeting_sets.append(ok_values)
        group_out.append({
            "fixed": {n: v for n, v in key},
            "values": values, "meets": meets,
            "smallest": ok_values[0] if ok_values else None,
            "largest": ok_values[-1] if ok_values else None,
            "recommended": chosen,
            "consistent": consistent,
        })

    everywhere = [v for v in spec.parameter(target).values
                  if all(v in s for s in meeting_sets)]
    everywhere.sort(key=lambda v: order_key(spec, target, v))
    overall = None
    if everywhere:
        overall = everywhere[0] if spec.prefer == "smallest" else everywhere[-1]

    lines = [f"SLO — {describe_slo(slo)}. Success rate = 2xx responses / requests sent."]
    for g in group_out:
        where = ", ".join(f"{n}={format_value(v)}" for n, v in g["fixed"].items())
        where = f"At {where}: " if where else ""
        if g["recommended"] is None:
            if where:  # without other parameters the closing line says it
                lines.append(f"{where}no value of {target} meets the SLO.")
            continue
        ok = [format_value(v) for v, m in zip(g["values"], g["meets"]) if m]
        text = (f"{where}{'values' if where else 'Values'} of {target} meeting the SLO: "
                f"{', '.join(ok)} "
                f"(smallest {format_value(g['smallest'])}, largest {format_value(g['largest'])}).")
        if not g["consistent"]:
            text += (f" Not every value {'above' if spec.prefer == 'smallest' else 'below'} "
                     f"{format_value(g['recommended'])} meets it: check the transition.")
        lines.append(text)
    if overall is not None:
        scope = (" at every tested value of " + " and ".join(others)) if others and spec.grid \
            else ""
        lines.append(f"Recommended {target}: {format_value(overall)} — the {spec.prefer} value "
                     f"that meets the SLO{scope}.")
    else:
        lines.append(f"No value of {target} meets the SLO"
                     + (" at every tested value of " + " and ".join(others) + "."
                        if others and spec.grid else "."))
    return {
        "slo": slo.to_dict(),
        "success_rate_definition": "responses with a 2xx status / requests sent",
        "parameter": target,
        "prefer": spec.prefer,
        "points": [{"id": p.id, **v} for p, v in zip(points, verdicts)],
        "groups": group_out,
        "recommended": overall,
        "summary": lines,
    }
