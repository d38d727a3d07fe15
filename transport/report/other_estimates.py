"""Estimates shown beside the transported one: calibrations from paired studies and the
prediction-powered (PPI++) estimate, each with the one assumption it rests on."""

from __future__ import annotations

from typing import Any


def other_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """{"label", "mean", "sd", "interval", "kind", "note"} for each calibrated estimate and
    the PPI++ estimate, when they apply."""
    rows = []
    for item in result.get("calibrated", []):
        if item.get("applies"):
            rows.append({
                "label": f"calibrated: {item['source']} via {item['calibration']}",
                "mean": item["mean"], "sd": item["sd"], "interval": item["hdi_95"],
                "kind": "calibrated",
                "note": f"{item['source']}'s own effect translated by the calibration "
                f"human = a + b · LLM + τ · noise (b = {item['slope']['mean']:.2f}) from "
                "paired LLM/human studies; it assumes this study is like those studies.",
            })
    ppi = result.get("ppi") or {}
    if ppi.get("applies"):
        rows.append({
            "label": "prediction-powered (PPI++)",
            "mean": ppi["estimate"], "sd": ppi["se"], "interval": ppi["ci_95"],
            "kind": "ppi",
            "note": f"LLM predictions plus the human experiment (95% confidence interval); the "
            f"LLM data are worth {ppi['llm_worth_n']:.0f} more human participants. It "
            f"assumes {ppi['assumption']}.",
        })
    bayes = result.get("bayes_ppi") or {}
    if bayes.get("mean") is not None:
        rows.append({
            "label": "Bayesian prediction-powered",
            "mean": bayes["mean"], "sd": None, "interval": bayes["hdi_95"], "kind": "ppi",
            "note": f"a joint model of the human answers and {bayes['predictor']}'s per-unit "
            "predictions (95% HDI), clusters resampled by the Bayesian bootstrap.",
        })
    return rows
