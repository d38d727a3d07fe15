"""Generate the persona-age example: a continuous covariate carried by the joint model.

An LLM answers a donation-appeal experiment as personas whose ages the researcher drew
from N(32, 8); the people the claim is about are older, N(48, 14). The appeal (treatment)
works better on older people, and the response given age is the same for the LLM and for
people (the shared mechanism). The human data are a survey of ages only.

True structural model (both populations), with a = (age - 40) / 10:
    P(donate = 1 | appeal, age) = expit(-0.6 + 0.3 a + appeal * (0.5 + 0.5 a))
LLM personas:  age ~ Normal(32, 8);  appeal randomized with probability 1/2
People:        age ~ Normal(48, 14)

The true human effect E[P(donate | 1, age) - P(donate | 0, age)] over people's ages is
computed by numerical integration (Gauss-Hermite, 200 nodes); the naive effect is the
same over the personas' ages. `python generate.py` rewrites data/ and truth.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 4815
N_LLM = 1500
N_HUMAN = 800
LLM_AGE = (32.0, 8.0)
HUMAN_AGE = (48.0, 14.0)


def p_donate(appeal, age):
    a = (np.asarray(age) - 40.0) / 10.0
    return 1 / (1 + np.exp(-(-0.6 + 0.3 * a + appeal * (0.5 + 0.5 * a))))


def effect(mean: float, sd: float) -> float:
    nodes, weights = np.polynomial.hermite_e.hermegauss(200)
    ages = mean + sd * nodes
    diff = p_donate(1, ages) - p_donate(0, ages)
    return float(np.sum(weights * diff) / np.sum(weights))


def main() -> None:
    rng = np.random.default_rng(SEED)
    age = np.round(rng.normal(*LLM_AGE, N_LLM), 1)
    appeal = (rng.random(N_LLM) < 0.5).astype(int)
    donate = (rng.random(N_LLM) < p_donate(appeal, age)).astype(int)
    human_age = np.round(rng.normal(*HUMAN_AGE, N_HUMAN), 1)
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    rows = zip(age, appeal, donate, strict=True)
    lines = ["age,appeal,donate"] + [f"{a:.1f},{t},{d}" for a, t, d in rows]
    (data / "llm_runs.csv").write_text("\n".join(lines) + "\n", encoding="ascii")
    lines = ["age"] + [f"{a:.1f}" for a in human_age]
    (data / "human_survey.csv").write_text("\n".join(lines) + "\n", encoding="ascii")
    truth = {
        "true_effect": round(effect(*HUMAN_AGE), 6),
        "naive_effect": {"llm": round(effect(*LLM_AGE), 6)},
        "contrast": [1, 0],
        "seed": SEED,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="ascii")
    print(f"TRUE human effect   {truth['true_effect']:+.4f}")
    print(f"naive LLM effect    {truth['naive_effect']['llm']:+.4f}")


if __name__ == "__main__":
    main()
