"""Generate the bundled data of the `minimum_wage` example from its true structural causal model.

Story
-----
Labor-labor substitution under a wage floor (Horton 2017): when an online labor market
imposes a minimum hourly wage, the cheap inexperienced applicant loses her price advantage
and employers substitute towards experienced workers. Horton (2023, "homo silicus") asked
GPT agents playing employers the same question. Here:

* `gpt`: LLM employers, each shown a job post drawn from a balanced grid of budgets and
  required skill levels, with the wage floor randomized (an experiment);
* `human`: real employers on the platform, the floor randomized on their job posts (a
  small field experiment in the spirit of Horton 2017); real job posts are mostly cheap,
  entry-level work.

Structural causal model
-----------------------
    budget       ~ P_pop(budget)                   ordinal 1 (< $100), 2 ($100-500), 3 (> $500)
    skill_level  ~ P_pop(skill_level | budget)     entry / intermediate / expert
    wage_floor   ~ Bernoulli(1/2)                  in both populations (randomized)
    hire_experienced ~ Bernoulli(expit(eta)),
        eta = -0.8 + 0.5 (budget - 1) + s[skill_level]
              + wage_floor * (1.5 - 0.6 (budget - 1) + f[skill_level])
        s = {entry: -0.9, intermediate: 0.0, expert: 1.2}
        f = {entry: 0.4, intermediate: 0.0, expert: -0.7}
    The hiring mechanism is the SAME for GPT employers and real employers (shared); the
    job-post distribution differs. The floor binds on cheap, entry-level posts, where it
    moves hiring most; real posts are concentrated there, the LLM grid is not.

The script writes data/gpt_employers.csv, data/human_employers.csv and truth.json, and
prints the true human effect (exact sum over the 9 covariate cells) and the naive effect
of taking the GPT experiment as is. Running it again reproduces the files byte for byte.

Usage: python generate.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

SEED = 20170414
HERE = Path(__file__).resolve().parent

BUDGETS = (1, 2, 3)
SKILLS = ("entry", "intermediate", "expert")

N_GPT = 4000
N_HUMAN = 500
# Every hourly job posted on the platform in the study period: its budget and skill level
# are on record whether or not the post was in the experiment (the "unlabeled" data that
# prediction-powered inference uses). Drawn from its own seed, after the other files.
N_POSTS = 20000
POSTS_SEED = SEED + 1

# --- covariate distributions -------------------------------------------------------------
# The LLM study crosses budgets and skill levels evenly.
P_BUDGET_LLM = {1: 1 / 3, 2: 1 / 3, 3: 1 / 3}
P_SKILL_LLM = {b: (1 / 3, 1 / 3, 1 / 3) for b in BUDGETS}
# Real job posts: mostly small budgets; bigger budgets ask for more skill.
P_BUDGET_HUMAN = {1: 0.60, 2: 0.28, 3: 0.12}
P_SKILL_HUMAN = {
    1: (0.65, 0.28, 0.07),
    2: (0.35, 0.45, 0.20),
    3: (0.15, 0.45, 0.40),
}

# --- the shared hiring mechanism ---------------------------------------------------------
SKILL_BASE = {"entry": -0.9, "intermediate": 0.0, "expert": 1.2}
SKILL_MOD = {"entry": 0.4, "intermediate": 0.0, "expert": -0.7}


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def p_hire(floor: int, budget: int, skill: str) -> float:
    """P(hire_experienced = 1 | wage_floor, budget, skill_level), same in both populations."""
    eta = -0.8 + 0.5 * (budget - 1) + SKILL_BASE[skill]
    eta += floor * (1.5 - 0.6 * (budget - 1) + SKILL_MOD[skill])
    return expit(eta)


def effect(p_budget, p_skill) -> float:
    """Exact average effect of wage_floor on hire_experienced (risk difference)."""
    total = 0.0
    for b in BUDGETS:
        for k, s in enumerate(SKILLS):
            total += p_budget[b] * p_skill[b][k] * (p_hire(1, b, s) - p_hire(0, b, s))
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


def simulate(rng, n, p_budget, p_skill):
    rows = []
    for _ in range(n):
        b = BUDGETS[draw(rng, [p_budget[x] for x in BUDGETS])]
        s = SKILLS[draw(rng, p_skill[b])]
        floor = int(rng.random() < 0.5)
        hire = int(rng.random() < p_hire(floor, b, s))
        rows.append((b, s, floor, hire))
    return rows


def write_csv(path: Path, header, rows) -> None:
    lines = [",".join(header)]
    lines += [",".join(str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def diff_in_means(rows) -> float:
    y1 = [r[3] for r in rows if r[2] == 1]
    y0 = [r[3] for r in rows if r[2] == 0]
    return sum(y1) / len(y1) - sum(y0) / len(y0)


def transported_plugin(llm_rows, human_rows) -> float:
    """Cell-wise LLM effects, reweighted by the human job-post distribution."""
    total = 0.0
    for b in BUDGETS:
        for s in SKILLS:
            h = sum(1 for r in human_rows if r[0] == b and r[1] == s) / len(human_rows)
            total += h * diff_in_means([r for r in llm_rows if r[0] == b and r[1] == s])
    return total


def main() -> None:
    rng = np.random.default_rng(SEED)
    gpt = simulate(rng, N_GPT, P_BUDGET_LLM, P_SKILL_LLM)
    human = simulate(rng, N_HUMAN, P_BUDGET_HUMAN, P_SKILL_HUMAN)

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    header = ("budget", "skill_level", "wage_floor", "hire_experienced")
    write_csv(data / "gpt_employers.csv", header, gpt)
    write_csv(data / "human_employers.csv", header, human)
    posts = simulate(np.random.default_rng(POSTS_SEED), N_POSTS, P_BUDGET_HUMAN, P_SKILL_HUMAN)
    write_csv(data / "human_posts.csv", header[:2], [row[:2] for row in posts])

    true_effect = effect(P_BUDGET_HUMAN, P_SKILL_HUMAN)
    naive = {"gpt": effect(P_BUDGET_LLM, P_SKILL_LLM)}
    truth = {
        "true_effect": round(true_effect, 6),
        "naive_effect": {k: round(v, 6) for k, v in naive.items()},
        "contrast": [1, 0],
        "seed": SEED,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="ascii")

    print("estimand: effect of wage_floor on hire_experienced in human, contrast 1 vs 0")
    print(f"TRUE human effect (exact)              {true_effect:+.4f}")
    print(f"naive gpt effect (exact, population)   {naive['gpt']:+.4f}")
    print("-- from the generated samples --")
    print(f"gpt    difference in means             {diff_in_means(gpt):+.4f}")
    print(f"human  difference in means (n={N_HUMAN})   {diff_in_means(human):+.4f}")
    print(f"gpt    transported to human job posts  {transported_plugin(gpt, human):+.4f}")


if __name__ == "__main__":
    main()
