"""Run the mixed-subjects estimators directly on the conjoint CSVs and print what they give,
beside the truth (truth.json): PPI++ and the Bayesian joint model, for each attribute, with
and without the respondent clusters and the design weights.

Run: python examples/conjoint/analyse.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from transport.estimate.mixed_subjects.bayes_ppi import bayes_ppi  # noqa: E402
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, Units  # noqa: E402
from transport.estimate.mixed_subjects.ppi import ppi_difference  # noqa: E402


def read(path: Path) -> dict[str, np.ndarray]:
    """The columns of one of the example's CSVs (all numeric), by header name."""
    with path.open(encoding="utf-8") as handle:
        names = handle.readline().strip().split(",")
        table = np.loadtxt(handle, delimiter=",", ndmin=2)
    return {name: table[:, index] for index, name in enumerate(names)}


def units(columns: dict[str, np.ndarray], attribute: str, clustered: bool,
          weighted: bool) -> Units:
    return Units(
        arm=columns[attribute].astype(int),
        predictions={"gpt4o": columns["gpt4o_saved"]},
        outcome=columns.get("saved"),
        covariates=columns["age"],
        cluster=columns["respondent_id"].astype(int) if clustered else None,
        weight=columns["design_w"] if weighted else None,
    )


def conjoint_data(attribute: str, clustered: bool = True,
                  weighted: bool = True) -> MixedSubjectsData:
    """The example's data for one attribute ("more": data/labelled.csv and
    data/unlabelled.csv; "young": data/young_*.csv)."""
    prefix = "" if attribute == "more" else "young_"
    labelled = read(HERE / "data" / f"{prefix}labelled.csv")
    unlabelled = read(HERE / "data" / f"{prefix}unlabelled.csv")
    return MixedSubjectsData(units(labelled, attribute, clustered, weighted),
                             units(unlabelled, attribute, clustered, weighted))


def main() -> None:
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    for attribute in ("more", "young"):
        print(f"== {attribute}: population effect {truth[attribute]['true_effect']:.3f} "
              f"(sampled respondents, unweighted: "
              f"{truth[attribute]['true_effect_unweighted_sample']:.3f})")
        for clustered, weighted in ((False, False), (True, False), (True, True)):
            data = conjoint_data(attribute, clustered, weighted)
            label = (f"clusters {'yes' if clustered else 'no '}, "
                     f"weights {'yes' if weighted else 'no '}")
            ppi = ppi_difference(data, 1, 0)
            low, high = ppi.ci
            c_low, c_high = ppi.classical.ci
            print(f"  {label}: human only {ppi.classical.estimate:.3f} [{c_low:.3f}, {c_high:.3f}]"
                  f"; PPI++ {ppi.estimate:.3f} [{low:.3f}, {high:.3f}], lambda "
                  f"{ppi.chosen.lam['gpt4o']:.2f}, effective human n "
                  f"{ppi.chosen.effective_human_n:.0f} of {ppi.n_labelled}")
            bayes = bayes_ppi(data, 1, 0, draws=4000, seed=1)
            b_low, b_high = bayes.hdi_95
            print(f"  {' ' * len(label)}  Bayesian joint model {bayes.mean:.3f} "
                  f"[{b_low:.3f}, {b_high:.3f}] ({bayes.chosen.model})")
        fit = ppi.chosen
        print(f"  within-arm correlation of GPT-4o and the human answer: "
              f"{fit.within_arm_correlation:.2f}")
        for warning in ppi.warnings:
            print(f"  warning: {warning}")


if __name__ == "__main__":
    main()
