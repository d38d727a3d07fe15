"""The text rendering of a calibration result, for people."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transport.calibrate.result import CalibrationResult


def _s(summary: dict, digits: int = 3) -> str:
    lo, hi = summary["hdi"]
    return f"{summary['mean']:.{digits}f}  [{lo:.{digits}f}, {hi:.{digits}f}]"


def _line(result: CalibrationResult) -> list[str]:
    cols = result.columns
    return [
        f"Calibration of '{cols['llm']}' against '{cols['human']}' (SE '{cols['se']}')",
        f"  {result.pairs.path}: {result.n_pairs} pairs from {result.n_studies} studies",
        "",
        "  human effect = a + b * LLM effect + tau * noise     (mean, 95% HDI)",
        f"  intercept a             {_s(result.intercept, 4)}",
        f"  slope b                 {_s(result.slope)}",
        f"  tau                     {_s(result.tau, 4)}",
        f"  corrected correlation   {_s(result.corrected_correlation)}"
        "   (LLM vs true human effects)",
        "",
        f"  plain Pearson r         {result.pearson_r:.3f}   (sampling error not removed)",
        f"  OLS slope               {result.ols_slope:.3f}",
        f"  sign agreement          {result.sign_agreement:.1%} of pairs",
        *_reml(result),
    ]


def _reml(result: CalibrationResult) -> list[str]:
    r = result.reml
    if r is None:
        return []
    which = "all pairs pooled, " if r["pooled"] else ""
    return [f"  REML line               a {r['a']:+.4f}, b {r['b']:.3f}, tau {r['tau']:.4f}"
            f"   ({which}flat priors)"]


def _loo(result: CalibrationResult) -> list[str]:
    loo = result.loo
    if not math.isfinite(loo.coverage):
        return ["  leave-one-study-out     not computed (a single study)"]
    how = ("exact, by quadrature over tau" if loo.exact
           else f"PSIS, max Pareto k {loo.max_pareto_k:.2f}")
    if loo.refitted:
        n = len(loo.refitted)
        how += f"; {n} {'study' if n == 1 else 'studies'} refitted, k > 0.7"
    return [
        f"  leave-one-study-out     {loo.coverage:.1%} of human effects inside their "
        f"{result.level:.0%} predictive interval",
        f"                          ({how})",
    ]


def _groups(result: CalibrationResult) -> list[str]:
    if result.groups is None:
        return []
    lines = ["", f"  by '{result.columns['by']}' (partially pooled; a, b, tau above are "
             "the population means)"]
    width = min(32, max(len(g.name) for g in result.groups))
    for g in result.groups:
        name = g.name if len(g.name) <= width else g.name[: width - 1] + "…"
        lines.append(
            f"    {name:<{width}}  n={g.n_pairs:<4} b {_s(g.slope)}  tau {g.tau['mean']:.4f}"
            + (f"  corrected r {r:.3f}" if (r := g.corrected_correlation["mean"]) is not None
               else "")
        )
    return lines


def _predictions(result: CalibrationResult) -> list[str]:
    if not result.predictions:
        return []
    lines = ["", f"  predicted human effects ({result.level:.0%} intervals)"]
    for p in result.predictions:
        lines.append(
            f"    {p['id']!s:<16} LLM {p['llm']:+.4f} -> {p['mean']:+.4f}  "
            f"[{p['lo']:+.4f}, {p['hi']:+.4f}]"
            + ("" if p["se"] is None else f"  (observed, SE {p['se']:.4f})")
        )
    return lines


def _warnings(result: CalibrationResult) -> list[str]:
    c = result.convergence
    found = []
    if (c.get("max_rhat") or 1.0) > 1.01:
        found.append(f"R-hat {c['max_rhat']:.3f} > 1.01: run more draws")
    if c.get("divergences", 0):
        found.append(f"{c['divergences']} divergent transitions: the posterior may be biased")
    return ["", *(f"  warning: {w}" for w in found)] if found else []


def render_text(result: CalibrationResult) -> str:
    lines = [*_line(result), *_loo(result), *_groups(result), *_predictions(result),
             *_warnings(result)]
    return "\n".join(lines) + "\n"
