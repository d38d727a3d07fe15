"""Generate the bundled data of the `dictator` example from its true structural causal model.

Story
-----
A dictator game: the participant splits $10 between themself and an anonymous recipient and
chooses the share to give away (in steps of 5 cents on the dollar, so 0.00, 0.05, ..., 1.00).
The treatment is social information about the norm (Krupka & Weber 2009): before deciding,
half the participants read "most people in your position give about half". Two LLMs play
the game as personas on a balanced grid of age group x gender x income, the message
randomized. No person has played the game: of the target population, an online participant
pool, there is only a demographic profile (age group, gender, income tercile) of 600
members. The script simulates the pool's games too, so that the structural model is
complete, but writes only the profile; the human effect can only be learned by transporting
the gpt experiment to the pool's persona distribution.

Structural causal model
-----------------------
    age_group ~ P_pop(age_group)                         differs
    gender    ~ P_pop(gender)                            differs
    income    ~ P_pop(income | age_group)                differs    (1 low, 2 middle, 3 high)
    altruism  ~ Normal(0, 0.10)                          latent, shared
    norm_info ~ Bernoulli(1/2)                           randomized (LLM runs; the pool's
                                                         simulated, unrecorded games)
    share_given = round_to_0.05( clip(g, 0, 1) ),  g = mu + altruism + e,  e ~ Normal(0, 0.12)
        mu = 0.24 + a[age_group] + b[gender] - 0.03 (income - 2)
             + norm_info * (0.10 + c[age_group] + d[gender])
        a = {young: -0.07, middle: 0.00, older: 0.06}    b = {female: 0.03, male: -0.03}
        c = {young:  0.12, middle: 0.00, older: -0.10}   d = {female: 0.00, male: 0.05}
    gpt:   share_given's mechanism is the same as people's (shared).
    llama: share_given's mechanism differs. It is "hyper-fair" (intercept 0.40 instead of
           0.24), ignores gender and income (b = 0, income coefficient 0) and barely reacts
           to the norm message (norm_info term 0.03, no modifiers: c = d = 0). Only the age
           gradient a[age_group] is the same as people's: the edge age_group -> share_given
           is shared, the mechanism as a whole is not.

The norm message moves the young (who give little) most: the human pool is mostly young,
the persona grid is not, so the naive LLM effect is too small for people.

The script writes data/gpt_games.csv, data/llama_games.csv, data/human_survey.csv (the
pool's demographic profile only) and truth.json, and prints the true human effect (exact:
the mean of the rounded, clipped normal is summed in closed form over the 18 persona cells),
the naive effect of taking each LLM's effect as is, and the transport estimate
    sum_{a,g,i} (E_gpt[y | do(x=1), a, g, i] - E_gpt[y | do(x=0), a, g, i]) P_human(a, g, i)
with empirical frequencies plugged in. Running it again reproduces the files byte for byte.

Usage: python generate.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

SEED = 20090602
HERE = Path(__file__).resolve().parent

AGES = ("young", "middle", "older")
GENDERS = ("female", "male")
INCOMES = (1, 2, 3)

N_GPT = 2400
N_LLAMA = 2400
N_HUMAN = 600

SD_ALTRUISM = 0.10
SD_NOISE = 0.12
SD_TOTAL = math.hypot(SD_ALTRUISM, SD_NOISE)
STEP = 0.05  # shares are recorded in steps of 5 cents on the dollar

# --- persona distributions ---------------------------------------------------------------
P_AGE_LLM = {a: 1 / 3 for a in AGES}
P_GENDER_LLM = {"female": 0.5, "male": 0.5}
P_INCOME_LLM = {a: (1 / 3, 1 / 3, 1 / 3) for a in AGES}
# An online participant pool: young, somewhat more women, incomes rising with age.
P_AGE_HUMAN = {"young": 0.65, "middle": 0.25, "older": 0.10}
P_GENDER_HUMAN = {"female": 0.56, "male": 0.44}
P_INCOME_HUMAN = {
    "young": (0.50, 0.35, 0.15),
    "middle": (0.25, 0.45, 0.30),
    "older": (0.20, 0.45, 0.35),
}

# --- the giving mechanism ----------------------------------------------------------------
AGE_GRADIENT = {"young": -0.07, "middle": 0.0, "older": 0.06}  # shared by people and llama
HUMAN = {  # people, and gpt (shared mechanism)
    "intercept": 0.24,
    "age": AGE_GRADIENT,
    "gender": {"female": 0.03, "male": -0.03},
    "income": -0.03,
    "norm": {
        "main": 0.10,
        "age": {"young": 0.12, "middle": 0.0, "older": -0.10},
        "gender": {"female": 0.0, "male": 0.05},
    },
}
LLAMA = {  # a different mechanism; only the age gradient is the same
    "intercept": 0.40,
    "age": AGE_GRADIENT,
    "gender": {"female": 0.0, "male": 0.0},
    "income": 0.0,
    "norm": {
        "main": 0.03,
        "age": {"young": 0.0, "middle": 0.0, "older": 0.0},
        "gender": {"female": 0.0, "male": 0.0},
    },
}


def mean_latent(norm: int, age: str, gender: str, income: int, mech: dict) -> float:
    """mu: the mean of the latent giving propensity before clipping and rounding."""
    mu = mech["intercept"] + mech["age"][age] + mech["gender"][gender]
    mu += mech["income"] * (income - 2)
    nm = mech["norm"]
    mu += norm * (nm["main"] + nm["age"][age] + nm["gender"][gender])
    return mu


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def expected_share(mu: float) -> float:
    """Exact E[round_to_0.05(clip(G, 0, 1))] for G ~ Normal(mu, SD_TOTAL)."""
    n = round(1 / STEP)
    total = 0.0
    for k in range(1, n + 1):
        upper = 1.0 if k == n else phi(((k + 0.5) * STEP - mu) / SD_TOTAL)
        total += k * STEP * (upper - phi(((k - 0.5) * STEP - mu) / SD_TOTAL))
    return total


def effect(p_age, p_gender, p_income, mech) -> float:
    """Exact average effect of norm_info on share_given in a population."""
    total = 0.0
    for a in AGES:
        for g in GENDERS:
            for i, inc in enumerate(INCOMES):
                w = p_age[a] * p_gender[g] * p_income[a][i]
                total += w * (
                    expected_share(mean_latent(1, a, g, inc, mech))
                    - expected_share(mean_latent(0, a, g, inc, mech))
                )
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


def normal(rng: np.random.Generator) -> float:
    """A standard normal draw by Box-Muller from two uniforms."""
    u1, u2 = rng.random(), rng.random()
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


def simulate(rng, n, p_age, p_gender, p_income, mech):
    rows = []
    for _ in range(n):
        a = AGES[draw(rng, [p_age[x] for x in AGES])]
        g = GENDERS[draw(rng, [p_gender[x] for x in GENDERS])]
        inc = INCOMES[draw(rng, p_income[a])]
        norm = int(rng.random() < 0.5)
        altruism = SD_ALTRUISM * normal(rng)
        latent = mean_latent(norm, a, g, inc, mech) + altruism + SD_NOISE * normal(rng)
        k = min(max(math.floor(latent / STEP + 0.5), 0), round(1 / STEP))
        rows.append((a, g, inc, norm, f"{k * STEP:.2f}"))
    return rows


def write_csv(path: Path, header, rows) -> None:
    lines = [",".join(header)]
    lines += [",".join(str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def diff_in_means(rows) -> float:
    y1 = [float(r[4]) for r in rows if r[3] == 1]
    y0 = [float(r[4]) for r in rows if r[3] == 0]
    return sum(y1) / len(y1) - sum(y0) / len(y0)


def transported_plugin(llm_rows, survey_rows) -> float:
    """The transport formula with empirical frequencies plugged in: the LLM experiment's
    cell-wise effects (differences in means), weighted by the profile's persona shares."""
    total = 0.0
    for a in AGES:
        for g in GENDERS:
            for inc in INCOMES:
                key = (a, g, inc)
                h = sum(1 for r in survey_rows if r == key) / len(survey_rows)
                total += h * diff_in_means([r for r in llm_rows if r[:3] == key])
    return total


def main() -> None:
    rng = np.random.default_rng(SEED)
    gpt = simulate(rng, N_GPT, P_AGE_LLM, P_GENDER_LLM, P_INCOME_LLM, HUMAN)
    llama = simulate(rng, N_LLAMA, P_AGE_LLM, P_GENDER_LLM, P_INCOME_LLM, LLAMA)
    # The pool: its games are simulated (the structural model is complete), but only the
    # demographic profile is recorded.
    human = simulate(rng, N_HUMAN, P_AGE_HUMAN, P_GENDER_HUMAN, P_INCOME_HUMAN, HUMAN)
    survey = [r[:3] for r in human]  # (age_group, gender, income)

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    header = ("age_group", "gender", "income", "norm_info", "share_given")
    write_csv(data / "gpt_games.csv", header, gpt)
    write_csv(data / "llama_games.csv", header, llama)
    write_csv(data / "human_survey.csv", header[:3], survey)

    true_effect = effect(P_AGE_HUMAN, P_GENDER_HUMAN, P_INCOME_HUMAN, HUMAN)
    naive = {
        "gpt": effect(P_AGE_LLM, P_GENDER_LLM, P_INCOME_LLM, HUMAN),
        "llama": effect(P_AGE_LLM, P_GENDER_LLM, P_INCOME_LLM, LLAMA),
    }
    truth = {
        "true_effect": round(true_effect, 6),
        "naive_effect": {k: round(v, 6) for k, v in naive.items()},
        "contrast": [1, 0],
        "seed": SEED,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="ascii")

    print("estimand: effect of norm_info on share_given in human, contrast 1 vs 0")
    print(f"TRUE human effect (exact)               {true_effect:+.4f}")
    for k, v in naive.items():
        print(f"naive {k:<5} effect (exact, population)  {v:+.4f}")
    print("-- from the generated samples --")
    print(f"gpt    difference in means              {diff_in_means(gpt):+.4f}")
    print(f"llama  difference in means              {diff_in_means(llama):+.4f}")
    print(f"gpt    transported to human personas    {transported_plugin(gpt, survey):+.4f}")
    print(f"llama  transported (wrongly: not shared) {transported_plugin(llama, survey):+.4f}")


if __name__ == "__main__":
    main()
