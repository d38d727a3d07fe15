"""Estimates shown beside the transported one: calibrations from paired studies and the
prediction-powered (PPI++) estimate, each with the one assumption it rests on."""

from __future__ import annotations

from dataclasses import dataclass

from transport.estimate.result import EstimateResult


@dataclass(frozen=True)
class OtherEstimate:
    """One row beside the transported estimate: its label, mean, sd (None where the
    estimator gives none), 95% interval, kind ("calibrated" or "ppi") and the note saying
    what it assumes."""

    label: str
    mean: float
    sd: float | None
    interval: tuple[float, float]
    kind: str
    note: str


def other_rows(result: EstimateResult) -> list[OtherEstimate]:
    """Each calibrated estimate and the PPI++ estimates, when they apply."""
    rows = []
    for item in result.calibrated:
        if item.applies and item.summary is not None:
            rows.append(OtherEstimate(
                label=f"calibrated: {item.source} via {item.calibration}",
                mean=item.summary.mean, sd=item.summary.sd, interval=item.summary.hdi_95,
                kind="calibrated",
                note=f"{item.source}'s own effect translated by the calibration "
                f"human = a + b · LLM + τ · noise (b = {item.slope_mean:.2f}) from "
                "paired LLM/human studies; it assumes this study is like those studies.",
            ))
    ppi = result.ppi
    if ppi is not None and ppi.applies:
        rows.append(OtherEstimate(
            label="prediction-powered (PPI++)",
            mean=ppi.estimate, sd=ppi.se, interval=ppi.ci_95,
            kind="ppi",
            note=f"LLM predictions plus the human experiment (95% confidence interval); the "
            f"LLM data are worth {ppi.llm_worth_n:.0f} more human participants. It "
            f"assumes {ppi.assumption}.",
        ))
    bayes = result.bayes_ppi
    if bayes is not None and bayes.mean is not None:
        rows.append(OtherEstimate(
            label="Bayesian prediction-powered",
            mean=bayes.mean, sd=None, interval=bayes.hdi_95, kind="ppi",
            note=f"a joint model of the human answers and {bayes.predictor}'s per-unit "
            "predictions (95% HDI), clusters resampled by the Bayesian bootstrap.",
        ))
    return rows
