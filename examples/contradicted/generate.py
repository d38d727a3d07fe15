"""Generate the bundled data of the `contradicted` example from its true structural causal model.

Story
-----
Mazar, Amir & Ariely (2008) had students recall the Ten Commandments (or ten books read in
high school) before a matrix task paid per solved item, self-reported: the moral reminder
cut over-reporting to almost nothing. A Registered Replication Report across 25 labs
(Verschuere et al. 2018) found no such effect. LLMs asked to play participants reproduce
the textbook result, which is all over their training text. Here:

* `gpt` and `llama`: two LLMs answering as participants from a balanced grid of age group x
  religiosity, the reminder randomized (3,000 runs each). Both show a strong reminder
  effect, close to each other;
* `human`: a lab replication with 800 participants, the reminder randomized. The
  participants are mostly young students of low religiosity. In people the reminder does
  next to nothing.

The study declares `shared overclaims for gpt` and `partial overclaims sd 0.3 for llama`,
as a researcher who trusted the original finding would. The human data contradict both.

Structural causal model
-----------------------
    age_group   ~ P_pop(age_group)                      young / middle / older
    religiosity ~ P_pop(religiosity | age_group)        ordinal 1 (low) .. 3 (high)
    reminder    ~ Bernoulli(1/2)                        in every population (randomized)
    overclaims  ~ Bernoulli(expit(eta)),
        eta = -0.5 + a[age_group] - 0.25 (religiosity - 1)
              + reminder * (b_pop + m_pop (religiosity - 1))
        a = {young: 0.3, middle: 0.0, older: -0.3}
        people: b = -0.05, m = -0.05   (next to no effect)
        gpt:    b = -0.95, m = -0.20   (the textbook effect)
        llama:  b = -0.85, m = -0.15

The script writes data/gpt_runs.csv, data/llama_runs.csv, data/human_replication.csv and
truth.json, and prints the true human effect (an exact sum over the 9 covariate cells),
each LLM's own effect, the effect each LLM's mechanism would imply for the human sample's
covariates, and the human experiment's difference in means. Running it again reproduces
the files byte for byte.

The seed is the first of 20180901, 20180902, ... whose human sample's difference in
means lies within one standard error of the true effect, so that the bundled human
experiment is a typical draw, neither lucky nor unlucky.

Usage: python generate.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

SEED = 20180902
HERE = Path(__file__).resolve().parent

AGES = ("young", "middle", "older")
RELIGIOSITY = (1, 2, 3)

N_LLM = 3000
N_HUMAN = 800

# --- covariate distributions -------------------------------------------------------------
P_AGE_LLM = {a: 1 / 3 for a in AGES}
P_REL_LLM = {a: (1 / 3, 1 / 3, 1 / 3) for a in AGES}
# A university lab: mostly young students, few of them religious.
P_AGE_HUMAN = {"young": 0.75, "middle": 0.18, "older": 0.07}
P_REL_HUMAN = {
    "young": (0.60, 0.28, 0.12),
    "middle": (0.45, 0.35, 0.20),
    "older": (0.30, 0.40, 0.30),
}

# --- the over-reporting mechanism ----------------------------------------------------------
AGE_BASE = {"young": 0.3, "middle": 0.0, "older": -0.3}
REMINDER = {"human": (-0.05, -0.05), "gpt": (-0.95, -0.20), "llama": (-0.85, -0.15)}


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def p_overclaim(reminder: int, age: str, rel: int, population: str) -> float:
    """P(overclaims = 1 | reminder, age_group, religiosity) in `population`."""
    base, mod = REMINDER[population]
    eta = -0.5 + AGE_BASE[age] - 0.25 * (rel - 1)
    eta += reminder * (base + mod * (rel - 1))
    return expit(eta)


def effect(p_age, p_rel, mechanism: str) -> float:
    """Exact average effect of the reminder under `mechanism`, over a covariate distribution."""
    total = 0.0
    for a in AGES:
        for k, r in enumerate(RELIGIOSITY):
            diff = p_overclaim(1, a, r, mechanism) - p_overclaim(0, a, r, mechanism)
            total += p_age[a] * p_rel[a][k] * diff
    return total


# --- sampling (only rng.random(), so the stream is stable across numpy versions) ----------
def draw(rng: np.random.Generator, probs) -> int:
    u = rng.random()
    acc = 0.0
    for k, p in enumerate(probs):
        acc += p
        if u < acc:
            return k
    return len(probs) - 1


def simulate(rng, n, p_age, p_rel, population):
    rows = []
    for _ in range(n):
        a = AGES[draw(rng, [p_age[x] for x in AGES])]
        r = RELIGIOSITY[draw(rng, p_rel[a])]
        reminder = int(rng.random() < 0.5)
        claim = int(rng.random() < p_overclaim(reminder, a, r, population))
        rows.append((a, r, reminder, claim))
    return rows


def write_csv(path: Path, header, rows) -> None:
    lines = [",".join(header)]
    lines += [",".join(str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def diff_in_means(rows) -> tuple[float, float]:
    """Difference in means and its standard error."""
    y1 = [r[3] for r in rows if r[2] == 1]
    y0 = [r[3] for r in rows if r[2] == 0]
    m1, m0 = sum(y1) / len(y1), sum(y0) / len(y0)
    se = math.sqrt(m1 * (1 - m1) / len(y1) + m0 * (1 - m0) / len(y0))
    return m1 - m0, se


def main() -> None:
    rng = np.random.default_rng(SEED)
    gpt = simulate(rng, N_LLM, P_AGE_LLM, P_REL_LLM, "gpt")
    llama = simulate(rng, N_LLM, P_AGE_LLM, P_REL_LLM, "llama")
    human = simulate(rng, N_HUMAN, P_AGE_HUMAN, P_REL_HUMAN, "human")

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    header = ("age_group", "religiosity", "reminder", "overclaims")
    write_csv(data / "gpt_runs.csv", header, gpt)
    write_csv(data / "llama_runs.csv", header, llama)
    write_csv(data / "human_replication.csv", header, human)

    true_effect = effect(P_AGE_HUMAN, P_REL_HUMAN, "human")
    naive = {name: effect(P_AGE_LLM, P_REL_LLM, name) for name in ("gpt", "llama")}
    truth = {
        "true_effect": round(true_effect, 6),
        "naive_effect": {k: round(v, 6) for k, v in naive.items()},
        "contrast": [1, 0],
        "seed": SEED,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="ascii")

    dm, se = diff_in_means(human)
    print("estimand: effect of reminder on overclaims in human, contrast 1 vs 0")
    print(f"TRUE human effect (exact)                       {true_effect:+.4f}")
    for name, rows in (("gpt", gpt), ("llama", llama)):
        print(f"{name:5s} own effect (exact) {naive[name]:+.4f}; its mechanism on the human "
              f"covariates {effect(P_AGE_HUMAN, P_REL_HUMAN, name):+.4f}; difference in means "
              f"in its runs {diff_in_means(rows)[0]:+.4f}")
    print(f"human difference in means (n={N_HUMAN})             {dm:+.4f} (se {se:.4f})")


if __name__ == "__main__":
    main()
