"""Figures of the estimate as SVG text: the forest plot, the posterior density, the
robustness curve. Matplotlib is imported here only (never on the check path), through the
object API (no pyplot, so no global backend is switched in the caller's session); output is
deterministic (fixed hash salt, no date) and its text stays text (`svg.fonttype: none`).
Labels are names and fixed words only, never free user text (matplotlib would read `$` in
it as mathematics)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from transport.estimate.result import EstimateResult
from transport.estimate.robustness_value import Robustness
from transport.report.diagram_model import SOURCE_COLOURS
from transport.report.other_estimates import other_rows

TARGET_COLOUR = "#1b365d"
NAIVE_COLOUR = "#8a8a8a"
_RC = {"svg.fonttype": "none", "svg.hashsalt": "transport-report", "font.size": 9.5,
       "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False,
       "axes.edgecolor": "#555555", "axes.labelcolor": "#222222", "xtick.color": "#444444",
       "ytick.color": "#444444"}


def _svg(fig: Any) -> str:
    """The figure as an <svg> element (no XML prolog), then released."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                    bbox_inches="tight")
    text = buffer.getvalue()
    text = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->|<metadata>.*?</metadata>", "", text,
                  flags=re.S)
    return text.strip()


def _figure(width: float, height: float):
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        axes = fig.add_subplot()
    return fig, axes


def _source_colour(sources: list[str], name: str) -> str:
    return SOURCE_COLOURS[sources.index(name) % len(SOURCE_COLOURS)] if name in sources \
        else NAIVE_COLOUR


@dataclass(frozen=True)
class ForestRow:
    """One row of the forest plot: its label, mean, 95% interval, kind (target, source,
    naive or without) and, for a source's own effect or the naive one, the source."""

    label: str
    mean: float
    hdi: tuple[float, float]
    kind: str
    source: str | None = None


def forest_rows(estimate: EstimateResult, target: str) -> list[ForestRow]:
    """Rows of the forest plot: the transported effect, each source's own effect, the naive
    estimate, and the estimate without each contradicted assumption."""
    effect = estimate.effect
    rows = [ForestRow(f"{target}: {estimate.basis().label}", effect.mean, effect.hdi_95,
                      "target")]
    for source, summary in estimate.source_effects.items():
        rows.append(ForestRow(f"{source}: own experiment", summary.mean, summary.hdi_95,
                              "source", source))
    naive = estimate.naive
    if naive:
        rows.append(ForestRow(f"naive: {naive.source} taken as {target}", naive.mean,
                              naive.hdi_95, "naive", naive.source))
    for other in other_rows(estimate):
        rows.append(ForestRow(other.label, other.mean, other.interval, "without"))
    for item in estimate.contributions:
        if item.effect_without:
            mean, interval = item.effect_without
            rows.append(ForestRow(f"without {item.population}", mean, interval, "without"))
    for check in estimate.assumption_checks:
        without = check.without
        if without is not None and without.mean is not None:
            rows.append(ForestRow(f"without shared {check.mechanism} ({check.source})",
                                  without.mean, without.hdi_95, "without"))
    return rows


def forest_svg(estimate: EstimateResult, target: str, sources: list[str]) -> str:
    """Point estimates and 95% intervals, one row each, zero marked."""
    rows = forest_rows(estimate, target)
    fig, ax = _figure(7.0, 0.42 * len(rows) + 1.0)
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        low, high = row.hdi
        if row.kind == "target":
            colour, marker, size, width = TARGET_COLOUR, "D", 7, 3.2
        elif row.kind == "naive":
            colour, marker, size, width = NAIVE_COLOUR, "o", 6, 1.8
        elif row.kind == "without":
            colour, marker, size, width = "#b22222", "s", 5.5, 1.8
        else:
            colour, marker, size, width = _source_colour(sources, row.source), "o", 6, 2.2
        ax.hlines(y, low, high, color=colour, linewidth=width)
        face = "white" if row.kind == "naive" else colour
        ax.plot([row.mean], [y], marker=marker, markersize=size, color=colour,
                markerfacecolor=face, markeredgewidth=1.5)
        ax.annotate(f"{row.mean:+.3f} [{low:+.3f}, {high:+.3f}]", (high, y),
                    xytext=(6, 0), textcoords="offset points", va="center", fontsize=8.5,
                    color="#333333")
    ax.axvline(0.0, color="#999999", linewidth=0.9, linestyle="--")
    ax.set_yticks(range(len(rows)), [r.label for r in reversed(rows)])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    lows = [r.hdi[0] for r in rows] + [0.0]
    highs = [r.hdi[1] for r in rows] + [0.0]
    span = max(highs) - min(lows) or 1.0
    ax.set_xlim(min(lows) - 0.05 * span, max(highs) + 0.45 * span)
    ax.set_xlabel(f"effect ({estimate.effect_scale}), mean and 95% HDI")
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    return _svg(fig)


def kde(draws: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Gaussian kernel density with Silverman's bandwidth, evaluated in blocks."""
    values = np.asarray(draws, dtype=float)
    n = len(values)
    spread = min(values.std(ddof=1), (np.subtract(*np.percentile(values, [75, 25]))) / 1.34)
    if not spread > 0:
        spread = values.std(ddof=1) or 1e-3
    bandwidth = 0.9 * spread * n ** (-0.2)
    density = np.zeros_like(grid)
    for start in range(0, n, 2000):
        block = values[start:start + 2000]
        density += np.exp(-0.5 * ((grid[:, None] - block[None, :]) / bandwidth) ** 2).sum(1)
    return density / (n * bandwidth * np.sqrt(2 * np.pi))


def density_svg(estimate: EstimateResult, target: str, draws: Any,
                naive_draws: Any = None, threshold: float | None = None) -> tuple[str, str]:
    """The posterior density of the target effect with its 95% HDI shaded (and the naive
    source's density for comparison). Returns (svg, how): `how` says whether it is a kernel
    density of the draws or, without draws, a normal approximation from mean and sd."""
    effect = estimate.effect
    low, high = effect.hdi_95
    mean, sd = effect.mean, max(effect.sd, 1e-9)
    series = [np.asarray(draws, dtype=float)] if draws is not None else []
    if naive_draws is not None:
        series.append(np.asarray(naive_draws, dtype=float))
    pooled = np.concatenate(series) if series else np.array([mean - 4 * sd, mean + 4 * sd])
    left, right = min(pooled.min(), low, 0.0), max(pooled.max(), high, 0.0)
    pad = 0.08 * (right - left or 1.0)
    grid = np.linspace(left - pad, right + pad, 400)
    if draws is not None:
        density, how = kde(np.asarray(draws, dtype=float), grid), "kernel density of the draws"
    else:
        density = np.exp(-0.5 * ((grid - mean) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))
        how = "normal approximation from the posterior mean and sd (draws not available)"
    fig, ax = _figure(5.6, 2.6)
    ax.plot(grid, density, color=TARGET_COLOUR, linewidth=1.8,
            label=f"{target}: {estimate.basis().label} ({how})")
    inside = (grid >= low) & (grid <= high)
    ax.fill_between(grid[inside], density[inside], color=TARGET_COLOUR, alpha=0.18,
                    linewidth=0, label="95% HDI")
    if naive_draws is not None:
        naive = estimate.naive.source if estimate.naive else "source"
        ax.plot(grid, kde(np.asarray(naive_draws, dtype=float), grid), color=NAIVE_COLOUR,
                linewidth=1.4, linestyle="--", label=f"naive: {naive} taken as {target}")
    ax.axvline(0.0, color="#999999", linewidth=0.9, linestyle=":")
    if threshold is not None:
        ax.axvline(threshold, color="#b22222", linewidth=1.0, linestyle="-.",
                   label=f"decision threshold {threshold:g}")
    ax.set_ylim(bottom=0)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(f"effect ({estimate.effect_scale})")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _svg(fig), how


def robustness_svg(robustness: Robustness | None) -> str | None:
    """The 95% interval of the effect against the shift scale of the shared mechanisms;
    None when the curve does not apply."""
    if robustness is None or not robustness.applies or robustness.together is None \
            or not robustness.together.scales:
        return None
    scales = np.asarray(robustness.together.scales, dtype=float)
    intervals = np.asarray(robustness.together.intervals, dtype=float)
    fig, ax = _figure(5.6, 2.8)
    ax.fill_between(scales, intervals[:, 0], intervals[:, 1], color=TARGET_COLOUR, alpha=0.16,
                    linewidth=0, label="95% HDI of the effect")
    ax.plot(scales, intervals[:, 0], color=TARGET_COLOUR, linewidth=1.3)
    ax.plot(scales, intervals[:, 1], color=TARGET_COLOUR, linewidth=1.3)
    ax.plot(scales, intervals.mean(axis=1), color=TARGET_COLOUR, linewidth=1.0,
            linestyle=":", label="interval midpoint")
    ax.axhline(0.0, color="#999999", linewidth=0.9, linestyle="--")
    flip = robustness.scale_at_flip
    if flip is not None:
        ax.axvline(flip, color="#b22222", linewidth=1.1, linestyle="-.",
                   label=f"interval first includes 0 at scale {flip:g}")
    ax.set_xlabel("shift scale s (sd of the shifts of every shared mechanism)")
    ax.set_ylabel("effect")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(color="#eeeeee")
    ax.set_axisbelow(True)
    return _svg(fig)
