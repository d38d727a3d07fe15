"""The calibration plot as SVG: observed human effects against LLM effects, each with its
sampling interval, the fitted line, and the predictive band of a true human effect.

matplotlib (Agg backend) is imported only when the plot is drawn; the SVG carries no date
and a fixed hash salt, so the same result gives the same file."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from transport.calibrate.result import CalibrationResult
from transport.files import write_atomic

_GRID = 120


def _z(level: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2)


def render_svg(result: CalibrationResult) -> str:
    """The SVG text of the calibration plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs, level = result.pairs, result.level
    lo_x, hi_x = float(pairs.x.min()), float(pairs.x.max())
    pad = 0.05 * (hi_x - lo_x)
    grid = np.linspace(lo_x - pad, hi_x + pad, _GRID)
    mean, lo, hi = result.predict(grid, level=level)
    z = _z(level)
    with plt.rc_context({"svg.hashsalt": "transport-calibrate", "svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(6.5, 5.0))
        ax.errorbar(pairs.x, pairs.y, yerr=z * pairs.se, fmt="o", ms=2.5, lw=0.6,
                    color="0.35", alpha=0.6, label=f"observed human effect, {level:.0%} CI")
        ax.fill_between(grid, lo, hi, color="C0", alpha=0.18,
                        label=f"{level:.0%} predictive band (true effect)")
        ax.plot(grid, mean, color="C0", lw=2,
                label=f"fit: {result.intercept['mean']:+.3f} + "
                      f"{result.slope['mean']:.2f} x LLM")
        ax.plot(grid, grid, color="0.5", lw=1, ls="--", label="human = LLM")
        ax.axhline(0, color="0.8", lw=0.6)
        ax.axvline(0, color="0.8", lw=0.6)
        ax.set_xlabel(f"LLM effect ({result.columns['llm']})")
        ax.set_ylabel(f"human effect ({result.columns['human']})")
        ax.set_title(f"{pairs.n} pairs, {len(pairs.studies)} studies: corrected r "
                     f"{result.corrected_correlation['mean']:.2f}, plain r "
                     f"{result.pearson_r:.2f}", fontsize=10)
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    return buffer.getvalue()


def plot_calibration(result: CalibrationResult, path: str | Path) -> Path:
    """Write the calibration plot to `path` (SVG, replaced atomically); returns the path."""
    target = Path(path)
    write_atomic(target, render_svg(result))
    return target
