"""Propagating a calibration into an estimate: human-effect draws from LLM-effect draws."""

from __future__ import annotations

import numpy as np

from transport.errors import DataError


def _posterior(calibration_json: dict, group: str | None) -> dict:
    if group is None:
        post = calibration_json.get("posterior")
    else:
        groups = calibration_json.get("groups") or {}
        if group not in groups:
            known = ", ".join(groups) or "none"
            raise DataError(f"the calibration has no group '{group}' (groups: {known})")
        post = groups[group].get("posterior")
    if not isinstance(post, dict) or not all(k in post for k in ("a", "b", "tau")):
        raise DataError("the calibration has no posterior draws of a, b and tau")
    try:
        a, b, tau = (np.asarray(post[k], dtype=float).reshape(-1) for k in ("a", "b", "tau"))
    except (TypeError, ValueError):
        raise DataError("the calibration's posterior draws of a, b and tau are not numbers") \
            from None
    if not (len(a) == len(b) == len(tau)) or len(a) == 0:
        raise DataError("the calibration's posterior draws of a, b and tau differ in length")
    for name, values in (("a", a), ("b", b), ("tau", tau)):
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):  # NaN draws would give NaN effects, which compare as "not positive"
            shown = ", ".join(str(int(i) + 1) for i in bad[:5])
            raise DataError(f"the calibration's posterior draws of {name} are not all finite "
                            f"numbers: {len(bad)} of {len(values)} (draws {shown}"
                            f"{' and more' if len(bad) > 5 else ''})")
    if (tau < 0).any():
        raise DataError("the calibration's posterior draws of tau (a standard deviation) "
                        "include negative values")
    return {"a": a, "b": b, "tau": tau}


def calibrated_effect(
    calibration_json: dict, llm_effect_draws: np.ndarray, rng: np.random.Generator,
    group: str | None = None,
) -> np.ndarray:
    """Draws of the human effect implied by draws of an LLM effect: for each LLM draw x_j,
    a calibration draw d_j chosen uniformly at random (the two posteriors come from
    independent data), then a[d_j] + b[d_j] x_j + tau[d_j] e_j with e_j ~ Normal(0, 1).

    This is the *true* human effect of a new experiment (no sampling error of its own).
    `group` picks a `by` group's posterior instead of the population-level one."""
    post = _posterior(calibration_json, group)
    x = np.asarray(llm_effect_draws, dtype=float)
    pick = rng.integers(0, len(post["a"]), size=x.shape)
    noise = rng.standard_normal(x.shape)
    return post["a"][pick] + post["b"][pick] * x + post["tau"][pick] * noise
