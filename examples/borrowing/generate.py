"""Generate the bundled data of the `borrowing` example from its true structural causal model.

Story
-----
The decoy (asymmetric dominance) effect (Huber, Payne & Puto 1982): adding a third option
that is clearly worse than one of two products, the "target", raises the share of people
who choose the target. LLMs reproduce classic choice anomalies of this kind when they
answer as personas (Aher, Arriaga & Kalai 2023; Horton 2023). Here:

* `gpt`: a GPT-class model answering as personas from a balanced grid of age group x
  shopping frequency, the decoy randomized (4,000 runs: cheap);
* `human`: a small online experiment, the decoy randomized (300 participants: expensive).
  The panel is young and shops often.

The LLM's choice mechanism is close to people's, not identical: in every cell the decoy
moves it a little more (+0.10 on the log-odds of the decoy's effect). The study declares
this honestly as `partial choose_target sd 0.15`: the human mechanism is the LLM's plus a
shift with prior scale 0.15 on the log-odds scale.

Structural causal model
-----------------------
    age_group  ~ P_pop(age_group)                       young / middle / older
    shopping   ~ P_pop(shopping | age_group)            rarely / monthly / weekly
    decoy      ~ Bernoulli(1/2)                         in both populations (randomized)
    choose_target ~ Bernoulli(expit(eta)),
        eta = -0.3 + a[age_group] + s[shopping]
              + decoy * (0.8 + m[age_group] + k[shopping] + drift_pop)
        a = {young: 0.2, middle: 0.0, older: -0.3}
        s = {rarely: -0.2, monthly: 0.0, weekly: 0.3}
        m = {young: 0.4, middle: 0.0, older: -0.7}
        k = {rarely: -0.6, monthly: 0.0, weekly: 0.4}
        drift_pop = 0 for people, +0.10 for gpt

The script writes data/gpt_runs.csv, data/human_experiment.csv and truth.json, and prints
the true human effect (an exact sum over the 9 covariate cells), the naive effect of taking
the GPT experiment as is, the effect gpt's own mechanism would imply for the panel, and
the human experiment's difference in means. Running it again reproduces the files byte
for byte.

The seed is the first of 19820601, 19820602, ... whose human sample's difference in
means lies within one standard error of the true effect, so that the bundled human
experiment is a typical draw, neither lucky nor unlucky.

Usage: python generate.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

SEED = 19820602
HERE = Path(__file__).resolve().parent

AGES = ("young", "middle", "older")
SHOPPING = ("rarely", "monthly", "weekly")

N_GPT = 4000
N_HUMAN = 300

# --- covariate distributions -------------------------------------------------------------
# The persona grid crosses age group and shopping frequency evenly.
P_AGE_GPT = {a: 1 / 3 for a in AGES}
P_SHOP_GPT = {a: (1 / 3, 1 / 3, 1 / 3) for a in AGES}
# The online panel: mostly young, and the young shop online often.
P_AGE_HUMAN = {"young": 0.55, "middle": 0.30, "older": 0.15}
P_SHOP_HUMAN = {
    "young": (0.15, 0.35, 0.50),
    "middle": (0.25, 0.45, 0.30),
    "older": (0.45, 0.40, 0.15),
}

# --- the choice mechanism ----------------------------------------------------------------
AGE_BASE = {"young": 0.2, "middle": 0.0, "older": -0.3}
SHOP_BASE = {"rarely": -0.2, "monthly": 0.0, "weekly": 0.3}
AGE_MOD = {"young": 0.4, "middle": 0.0, "older": -0.7}
SHOP_MOD = {"rarely": -0.6, "monthly": 0.0, "weekly": 0.4}
DRIFT = {"gpt": 0.10, "human": 0.0}


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def p_choose(decoy: int, age: str, shop: str, population: str) -> float:
    """P(choose_target = 1 | decoy, age_group, shopping) in `population`."""
    eta = -0.3 + AGE_BASE[age] + SHOP_BASE[shop]
    eta += decoy * (0.8 + AGE_MOD[age] + SHOP_MOD[shop] + DRIFT[population])
    return expit(eta)


def effect(p_age, p_shop, mechanism: str) -> float:
    """Exact average effect of the decoy under `mechanism`'s choices, over a covariate
    distribution (risk difference)."""
    total = 0.0
    for a in AGES:
        for k, s in enumerate(SHOPPING):
            diff = p_choose(1, a, s, mechanism) - p_choose(0, a, s, mechanism)
            total += p_age[a] * p_shop[a][k] * diff
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


def simulate(rng, n, p_age, p_shop, population):
    rows = []
    for _ in range(n):
        a = AGES[draw(rng, [p_age[x] for x in AGES])]
        s = SHOPPING[draw(rng, p_shop[a])]
        decoy = int(rng.random() < 0.5)
        choice = int(rng.random() < p_choose(decoy, a, s, population))
        rows.append((a, s, decoy, choice))
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
    gpt = simulate(rng, N_GPT, P_AGE_GPT, P_SHOP_GPT, "gpt")
    human = simulate(rng, N_HUMAN, P_AGE_HUMAN, P_SHOP_HUMAN, "human")

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    header = ("age_group", "shopping", "decoy", "choose_target")
    write_csv(data / "gpt_runs.csv", header, gpt)
    write_csv(data / "human_experiment.csv", header, human)

    true_effect = effect(P_AGE_HUMAN, P_SHOP_HUMAN, "human")
    naive = {"gpt": effect(P_AGE_GPT, P_SHOP_GPT, "gpt")}
    truth = {
        "true_effect": round(true_effect, 6),
        "naive_effect": {k: round(v, 6) for k, v in naive.items()},
        "contrast": [1, 0],
        "seed": SEED,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="ascii")

    dm, se = diff_in_means(human)
    print("estimand: effect of decoy on choose_target in human, contrast 1 vs 0")
    print(f"TRUE human effect (exact)                     {true_effect:+.4f}")
    print(f"naive gpt effect (exact, population)          {naive['gpt']:+.4f}")
    print(f"gpt's mechanism on the panel's covariates     "
          f"{effect(P_AGE_HUMAN, P_SHOP_HUMAN, 'gpt'):+.4f}")
    print("-- from the generated samples --")
    print(f"gpt    difference in means                    {diff_in_means(gpt)[0]:+.4f}")
    print(f"human  difference in means (n={N_HUMAN})          {dm:+.4f} (se {se:.4f}, "
          f"95% interval width {2 * 1.96 * se:.3f})")


if __name__ == "__main__":
    main()
