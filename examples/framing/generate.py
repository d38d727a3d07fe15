"""Generate the bundled data of the `framing` example from its true structural causal model.

Story
-----
A loss/gain framing experiment in the style of Tversky & Kahneman (1981): a town must pick
one of two flood-protection programmes for 600 homes. Programme A is certain, programme B
is a gamble. In the *gain* frame the outcomes are described as homes saved, in the *loss*
frame as homes lost. The outcome is whether the respondent picks the risky programme B.

Two LLMs (`gpt`, `claude`) answered the survey as personas that the researcher sampled on a
balanced age x ideology grid, with the frame randomized. Of people there is only a survey
of the target population (an online opinion panel) that records who they are: age group
and ideology. In the world, each person meets one of the two write-ups through their news
diet (selective exposure, depending on age and ideology) and would choose accordingly; the
script simulates that too, so that the structural model is complete, but the survey
records neither the frame nor the choice. The human effect can therefore only be learned
by transporting the LLM experiment to the panel's covariate distribution.

Structural causal model (all populations share the graph, mechanisms may differ)
-------------------------------------------------------------------------------
    age_group  ~ P_pop(age_group)                                  differs
    ideology   ~ P_pop(ideology | age_group)                       differs
    loss_frame ~ Bernoulli(1/2)                    in the LLM runs (randomized)
               ~ Bernoulli(expit(-0.6 + 0.35 (ideology-3) + 0.3 [older]))   in people
    choose_risky ~ Bernoulli(expit(eta)),
        eta = -1.0 + a[age_group] - 0.2 (ideology - 3)
              + loss_frame * (1.6 + m[age_group] - 0.5 (ideology - 3))
        a = {young: 0.3, middle: 0.0, older: -0.3}
        m = {young: 0.6, middle: 0.0, older: -0.9}
    choose_risky is the SAME mechanism for gpt and for people (shared); claude's differs
    by a small shift: +0.2 on the intercept and +0.3 on the framing coefficient (partial).

The script writes data/gpt_runs.csv, data/claude_runs.csv, data/human_survey.csv (the
panel's covariates only) and truth.json, and prints the true human effect (computed exactly,
by summing over the discrete covariate cells), the naive effects one would report by taking
each LLM's effect as is, and the transport estimate
    sum_{a,i} [P_gpt(y=1 | do(x=1), a, i) - P_gpt(y=1 | do(x=0), a, i)] P_human(a, i)
with empirical frequencies plugged in. Running it again reproduces the files byte for byte.

Usage: python generate.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

SEED = 20260310
HERE = Path(__file__).resolve().parent

AGES = ("young", "middle", "older")
IDEOLOGIES = (1, 2, 3, 4, 5)  # 1 = very liberal ... 5 = very conservative

N_GPT = 2000
N_CLAUDE = 2000
N_HUMAN = 1200

# --- covariate distributions -------------------------------------------------------------
# LLM personas: a balanced grid chosen by the researcher (same for both models).
P_AGE_LLM = {a: 1 / 3 for a in AGES}
P_IDEO_LLM = {a: (0.2, 0.2, 0.2, 0.2, 0.2) for a in AGES}
# People in the panel: older, and more conservative with age.
P_AGE_HUMAN = {"young": 0.20, "middle": 0.35, "older": 0.45}
P_IDEO_HUMAN = {
    "young": (0.15, 0.30, 0.30, 0.15, 0.10),
    "middle": (0.08, 0.17, 0.35, 0.22, 0.18),
    "older": (0.04, 0.10, 0.26, 0.30, 0.30),
}

# --- the outcome mechanism ---------------------------------------------------------------
BASE = {"young": 0.3, "middle": 0.0, "older": -0.3}
MOD = {"young": 0.6, "middle": 0.0, "older": -0.9}
SHARED = {"intercept": -1.0, "ideology": -0.2, "frame": 1.6, "frame_x_ideology": -0.5}
CLAUDE_SHIFT = {"intercept": 0.2, "frame": 0.3, "frame_x_ideology": 0.0}


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def p_risky(frame: int, age: str, ideo: int, shift: dict[str, float] | None = None) -> float:
    """P(choose_risky = 1 | loss_frame, age_group, ideology) in a population."""
    s = shift or {"intercept": 0.0, "frame": 0.0, "frame_x_ideology": 0.0}
    eta = SHARED["intercept"] + s["intercept"] + BASE[age] + SHARED["ideology"] * (ideo - 3)
    eta += frame * (
        SHARED["frame"]
        + s["frame"]
        + MOD[age]
        + (SHARED["frame_x_ideology"] + s["frame_x_ideology"]) * (ideo - 3)
    )
    return expit(eta)


def p_frame_human(age: str, ideo: int) -> float:
    """Selective exposure in the panel: who read the loss-framed write-up."""
    return expit(-0.6 + 0.35 * (ideo - 3) + 0.3 * (age == "older"))


def effect(p_age, p_ideo, shift=None) -> float:
    """Exact average effect of loss_frame on choose_risky (risk difference) in a population."""
    total = 0.0
    for a in AGES:
        for i, ideo in enumerate(IDEOLOGIES):
            w = p_age[a] * p_ideo[a][i]
            total += w * (p_risky(1, a, ideo, shift) - p_risky(0, a, ideo, shift))
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


def simulate(rng, n, p_age, p_ideo, frame_prob, shift=None):
    rows = []
    for _ in range(n):
        age = AGES[draw(rng, [p_age[a] for a in AGES])]
        ideo = IDEOLOGIES[draw(rng, p_ideo[age])]
        frame = int(rng.random() < frame_prob(age, ideo))
        risky = int(rng.random() < p_risky(frame, age, ideo, shift))
        rows.append((age, ideo, frame, risky))
    return rows


def write_csv(path: Path, header, rows) -> None:
    lines = [",".join(header)]
    lines += [",".join(str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def diff_in_means(rows) -> float:
    y1 = [r[3] for r in rows if r[2] == 1]
    y0 = [r[3] for r in rows if r[2] == 0]
    return sum(y1) / len(y1) - sum(y0) / len(y0)


def transported_plugin(llm_rows, survey_rows) -> float:
    """The transport formula with empirical frequencies plugged in: the LLM experiment's
    cell-wise effects (differences in means), weighted by the survey's covariate shares."""
    total = 0.0
    for a in AGES:
        for ideo in IDEOLOGIES:
            h = sum(1 for r in survey_rows if r == (a, ideo)) / len(survey_rows)
            cell = [r for r in llm_rows if r[0] == a and r[1] == ideo]
            total += h * diff_in_means(cell)
    return total


def main() -> None:
    rng = np.random.default_rng(SEED)
    half = lambda a, i: 0.5  # noqa: E731 - randomized frame in the LLM runs
    gpt = simulate(rng, N_GPT, P_AGE_LLM, P_IDEO_LLM, half)
    claude = simulate(rng, N_CLAUDE, P_AGE_LLM, P_IDEO_LLM, half, CLAUDE_SHIFT)
    # People: the whole structural model is simulated (frame met through one's news diet, and
    # the choice), but the survey records only the covariates.
    human = simulate(rng, N_HUMAN, P_AGE_HUMAN, P_IDEO_HUMAN, p_frame_human)
    survey = [r[:2] for r in human]  # (age_group, ideology): all that is recorded of people

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    # gpt: plain column names; claude: an LLM-survey export with dotted names (see study.tdag).
    write_csv(data / "gpt_runs.csv", ("age_group", "ideology", "loss_frame", "choose_risky"), gpt)
    write_csv(
        data / "claude_runs.csv",
        ("agent.age", "agent.ideology", "scenario.frame", "answer.choice"),
        claude,
    )
    write_csv(data / "human_survey.csv", ("age_group", "ideology"), survey)

    true_effect = effect(P_AGE_HUMAN, P_IDEO_HUMAN)
    naive = {
        "gpt": effect(P_AGE_LLM, P_IDEO_LLM),
        "claude": effect(P_AGE_LLM, P_IDEO_LLM, CLAUDE_SHIFT),
    }
    truth = {
        "true_effect": round(true_effect, 6),
        "naive_effect": {k: round(v, 6) for k, v in naive.items()},
        "contrast": [1, 0],
        "seed": SEED,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="ascii")

    print("estimand: effect of loss_frame on choose_risky in human, contrast 1 vs 0")
    print(f"TRUE human effect (exact)              {true_effect:+.4f}")
    for k, v in naive.items():
        print(f"naive {k:<6} effect (exact, population)  {v:+.4f}")
    print("-- from the generated samples --")
    print(f"gpt    difference in means             {diff_in_means(gpt):+.4f}")
    print(f"claude difference in means             {diff_in_means(claude):+.4f}")
    print(f"gpt    transported to human covariates {transported_plugin(gpt, survey):+.4f}")
    print(f"claude transported (not licensed)      {transported_plugin(claude, survey):+.4f}")


if __name__ == "__main__":
    main()
