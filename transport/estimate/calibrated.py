"""The calibrated estimate: a source's own effect translated into a human effect through an
empirical calibration from paired LLM/human studies (`calibration` statements), shown beside
the assumption-based estimate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from transport.errors import DataError
from transport.estimate.summary import DrawSummary, describe
from transport.study import CalibrationSpec, Study


@dataclass(frozen=True)
class CalibratedEstimate:
    """One `calibration` statement's estimate: the source's own effect translated through
    the calibration (`summary`, with the calibration's `slope`, `intercept` and `tau` as
    its JSON gives them), or, when it cannot be used, the reason (`applies` False)."""

    source: str | None
    calibration: str
    applies: bool
    reason: str | None = None
    summary: DrawSummary | None = None
    slope: Any = None
    intercept: Any = None
    tau: Any = None

    @property
    def slope_mean(self) -> float:
        """The posterior mean of the calibration's slope b (human = a + b x LLM)."""
        return self.slope["mean"]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "calibration": self.calibration,
                               "applies": self.applies}
        if not self.applies or self.summary is None:
            out["reason"] = self.reason
            return out
        return {**out, **self.summary.to_json(), "slope": self.slope,
                "intercept": self.intercept, "tau": self.tau}


def _calibration_json(spec: CalibrationSpec, study: Study) -> dict:
    path = Path(spec.path)
    path = path if path.is_absolute() else study.base_dir / path
    if not path.is_file():
        raise DataError(f"{path}: calibration file not found")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise DataError(f"{path}: not a calibration JSON file ({error})") from None
    from transport.calibrate import run_calibration

    return run_calibration(path, **dict(spec.columns)).to_json()


def calibrated_estimates(
    study: Study, source_draws: dict[str, np.ndarray], naive_source: str | None,
    rng: np.random.Generator,
) -> list[CalibratedEstimate]:
    """One calibrated estimate per `calibration` statement; a calibration that cannot be
    used (a missing or malformed file) is reported as not applied, with the reason, and
    does not stop the main estimate."""
    from transport.calibrate import calibrated_effect

    found = []
    for spec in study.calibrations:
        source = spec.source or naive_source
        scale = getattr(study.query, "scale", None) or "difference"
        if scale != "difference":
            found.append(CalibratedEstimate(
                source, spec.path, False,
                reason=f"calibrations translate differences in means, and this effect is "
                f"on the {scale} scale",
            ))
            continue
        if source is None or source not in source_draws:
            found.append(CalibratedEstimate(
                source, spec.path, False,
                reason=f"{source or 'no source'} has no experiment of its own on "
                f"{study.query.treatment} measuring {study.query.outcome} to translate",
            ))
            continue
        try:
            calibration = _calibration_json(spec, study)
            draws = calibrated_effect(calibration, source_draws[source], rng)
        except DataError as error:
            found.append(CalibratedEstimate(source, spec.path, False, reason=str(error)))
            continue
        found.append(CalibratedEstimate(
            source, spec.path, True, summary=describe(draws),
            slope=calibration.get("slope"), intercept=calibration.get("intercept"),
            tau=calibration.get("tau"),
        ))
    return found
