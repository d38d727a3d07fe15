"""The calibrated estimate: a source's own effect translated into a human effect through an
empirical calibration from paired LLM/human studies (`calibration` statements), shown beside
the assumption-based estimate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from transport.errors import DataError
from transport.estimate.summary import describe
from transport.study import CalibrationSpec, Study


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
) -> list[dict]:
    """One calibrated estimate per `calibration` statement; a calibration that cannot be
    used (a missing or malformed file) is reported as not applied, with the reason, and
    does not stop the main estimate."""
    from transport.calibrate import calibrated_effect

    found = []
    for spec in study.calibrations:
        source = spec.source or naive_source
        scale = getattr(study.query, "scale", None) or "difference"
        if scale != "difference":
            found.append({
                "source": source, "calibration": spec.path, "applies": False,
                "reason": f"calibrations translate differences in means, and this effect is "
                f"on the {scale} scale",
            })
            continue
        if source is None or source not in source_draws:
            found.append({
                "source": source, "calibration": spec.path, "applies": False,
                "reason": f"{source or 'no source'} has no experiment of its own on "
                f"{study.query.treatment} measuring {study.query.outcome} to translate",
            })
            continue
        try:
            calibration = _calibration_json(spec, study)
            draws = calibrated_effect(calibration, source_draws[source], rng)
        except DataError as error:
            found.append({"source": source, "calibration": spec.path, "applies": False,
                          "reason": str(error)})
            continue
        found.append({
            "source": source, "calibration": spec.path, "applies": True,
            **describe(draws),
            "slope": calibration.get("slope"), "intercept": calibration.get("intercept"),
            "tau": calibration.get("tau"),
        })
    return found
