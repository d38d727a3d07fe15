"""How far the sharing claims may fail before the conclusion flips, as one value for every
estimation path: the criterion, the curve with every tie loosened at once, the scale at
which each mechanism alone flips it, and (the joint model) the tipping point of each tie.

The exact formula path and the parametric path shift the shared mechanisms by random
perturbations of growing scale (robustness.py, parametric_run.py); the joint model
re-runs each tie as `partial` with a growing shift scale (synthesis/sensitivity.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transport.estimate.synthesis.sensitivity import TippingPoint


@dataclass(frozen=True)
class TogetherCurve:
    """Every tie loosened at once: per shift scale, the 95% interval of the effect and
    P(effect > null); `scale_at_flip` is the first scale whose interval includes the null
    (None: none in the range tried)."""

    scales: tuple[float, ...]
    intervals: tuple[tuple[float, float], ...]
    prob_positive: tuple[float, ...]
    scale_at_flip: float | None

    def to_json(self) -> dict[str, Any]:
        """The curve's fields as the robustness JSON holds them (in its order)."""
        return {"scales": list(self.scales), "scale_at_flip": self.scale_at_flip,
                "intervals": [list(i) for i in self.intervals],
                "prob_positive": list(self.prob_positive)}


@dataclass(frozen=True)
class Robustness:
    """The robustness of the estimate to failures of its sharing claims.

    `applies` is False when no claim can fail (no source's rows enter through one), with
    `note` saying why; otherwise `units` says what a shift scale measures. `by_mechanism`
    is the scale at which each mechanism shifted alone flips the conclusion (None: beyond
    the range, or nothing to flip). `tipping_points` is None for the paths that compute
    none (the exact formula and the parametric model)."""

    criterion: str
    applies: bool
    note: str | None = None
    units: str | None = None
    together: TogetherCurve | None = None
    by_mechanism: Mapping[str, float | None] = field(default_factory=dict)
    mechanisms: tuple[str, ...] = ()
    tipping_points: tuple[TippingPoint, ...] | None = None

    @property
    def scale_at_flip(self) -> float | None:
        return None if self.together is None else self.together.scale_at_flip

    @property
    def scales(self) -> tuple[float, ...]:
        return () if self.together is None else self.together.scales

    @property
    def beyond_range(self) -> bool:
        """Whether the interval excludes the null at every scale tried."""
        return self.applies and self.scale_at_flip is None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"criterion": self.criterion, "applies": self.applies}
        if self.applies:
            out["units"] = self.units
        else:
            out["note"] = self.note
        # no curve drawn (nothing can fail, or no tie to loosen): empty ones
        out.update({"scales": [], "scale_at_flip": None, "intervals": [], "prob_positive": []}
                   if self.together is None else self.together.to_json())
        out.update({
            "by_mechanism": dict(self.by_mechanism),
            "mechanisms": list(self.mechanisms),
            "beyond_range": self.beyond_range,
        })
        if self.tipping_points is not None:
            out["tipping_points"] = [p.to_json() for p in self.tipping_points]
        return out
