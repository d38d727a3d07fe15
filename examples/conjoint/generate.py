"""A simulated moral-dilemma conjoint with an LLM's per-respondent predictions.

Respondents answer tasks; each task shows two profiles and the respondent spares one
(`saved` = 1 for the spared profile, so the two rows of a task sum to 1). There are two
randomised attributes, each varied in its own kind of task (as in Moral-Machine-style
dilemmas, where a scenario contrasts one dimension): in a "more" task one profile, chosen at
random, has more characters (`more` = 1); in a "young" task one profile, chosen at random,
has younger characters (`young` = 1).

A respondent of age bracket a (1..6) spares the profile with more characters with
probability logistic(0.6 + 0.25 (a - 3.5) + z), z ~ N(0, 1) their own taste, and the younger
profile with probability logistic(0.3 + 0.8 u), u ~ N(0, 1). GPT-4o, answering as each
respondent from their persona, predicts the "more" choice from the persona and part of the
taste (logistic(0.2 + 0.3 (a - 3.5) + 0.9 z)), but the "young" choice from nothing
(logistic(0.1 + 0.3 e), e ~ N(0, 1) fresh noise): informative for one attribute and nearly
useless for the other.

Sampling: respondents are sampled with age bracket a with probability proportional to
7 - a (the young are over-represented); the target population has equal shares of every
bracket, so `design_w` = (1/6) / P(sampled bracket = a). Older respondents care more about
numbers, so the weighted effect of `more` is larger than the sample's.

Labelled respondents answered their tasks; for each of them GPT-4o also predicted two more
tasks they never saw (unlabelled rows in the same cluster); unlabelled respondents have
GPT-4o predictions only. `python generate.py` writes the CSVs and truth.json (seeded) and
prints the truth.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

SEED = 2026
BRACKETS = np.arange(1, 7)
SAMPLED_SHARE = (7 - BRACKETS) / (7 - BRACKETS).sum()
POPULATION_SHARE = np.full(6, 1 / 6)
DIMENSIONS = ("more", "young")


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _human_logit(dimension: str, age: np.ndarray, taste: np.ndarray) -> np.ndarray:
    if dimension == "more":
        return 0.6 + 0.25 * (age - 3.5) + 1.5 * taste
    return 0.3 + 0.8 * taste


def _llm_logit(dimension: str, age: np.ndarray, taste: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    if dimension == "more":
        return 0.2 + 0.3 * (age - 3.5) + 1.4 * taste
    return 0.1 + 0.3 * rng.normal(size=len(age))


def true_effect(dimension: str, shares: np.ndarray = POPULATION_SHARE) -> float:
    """E[saved | attribute = 1] − E[saved | attribute = 0] over respondents with these age
    shares: 2 E[P(spare the profile with the attribute)] − 1 (Gauss–Hermite over the taste)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / weights.sum()
    total = 0.0
    for share, age in zip(shares, BRACKETS, strict=True):
        p = _logistic(_human_logit(dimension, np.full(len(nodes), float(age)), nodes))
        total += share * float(weights @ p)
    return 2 * total - 1


def simulate(rng: np.random.Generator, dimension: str, labelled_respondents: int,
             unlabelled_respondents: int, tasks: int = 6, extra_tasks: int = 2,
             shares: np.ndarray = SAMPLED_SHARE,
             probabilities: bool = False) -> dict[str, dict[str, np.ndarray]]:
    """One study's rows for one attribute: {"labelled": columns, "unlabelled": columns}.
    Respondent ages are drawn with `shares`; `design_w` makes them the population's. With
    `probabilities`, GPT-4o's prediction is its probability of sparing the profile rather
    than its choice."""
    total = labelled_respondents + unlabelled_respondents
    age = rng.choice(BRACKETS, size=total, p=shares)
    taste = rng.normal(size=total)
    weight = POPULATION_SHARE[age - 1] / shares[age - 1]

    def rows(respondents: np.ndarray, count: int, first_task: int, answered: bool) -> dict:
        who = np.repeat(respondents, count)
        task = np.tile(np.arange(first_task, first_task + count), len(respondents))
        human = rng.random(len(who)) < _logistic(_human_logit(dimension, age[who], taste[who]))
        llm_p = _logistic(_llm_logit(dimension, age[who], taste[who], rng))
        llm = llm_p if probabilities else (rng.random(len(who)) < llm_p).astype(float)
        first_has = rng.random(len(who)) < 0.5
        columns = {
            "respondent_id": np.repeat(who, 2) + 1,
            "task": np.repeat(task, 2),
            "profile": np.tile([1, 2], len(who)),
            dimension: np.column_stack([first_has, ~first_has]).ravel().astype(int),
            "age": np.repeat(age[who], 2),
            "design_w": np.repeat(weight[who], 2),
        }
        has = columns[dimension] == 1
        predicted = np.where(has, np.repeat(llm, 2), 1 - np.repeat(llm, 2))
        columns["gpt4o_saved"] = predicted if probabilities else predicted.astype(int)
        if answered:
            columns["saved"] = np.where(has, np.repeat(human, 2),
                                        ~np.repeat(human, 2)).astype(int)
        return columns

    labelled_ids = np.arange(labelled_respondents)
    unlabelled_ids = np.arange(labelled_respondents, total)
    labelled = rows(labelled_ids, tasks, 1, answered=True)
    extra = rows(labelled_ids, extra_tasks, tasks + 1, answered=False)
    others = rows(unlabelled_ids, tasks, 1, answered=False)
    unlabelled = {key: np.concatenate([extra[key], others[key]]) for key in others}
    return {"labelled": labelled, "unlabelled": unlabelled}


def _write(path: Path, columns: dict[str, np.ndarray], order: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(order)
        for row in zip(*(columns[name] for name in order), strict=True):
            writer.writerow([f"{value:.6g}" if isinstance(value, float) else value
                             for value in row])


def main() -> None:
    here = Path(__file__).resolve().parent
    data = here / "data"
    data.mkdir(exist_ok=True)
    rng = np.random.default_rng(SEED)
    truth = {"seed": SEED, "contrast": [1, 0]}
    for dimension in DIMENSIONS:
        study = simulate(rng, dimension, labelled_respondents=300, unlabelled_respondents=1000)
        prefix = "" if dimension == "more" else "young_"
        base = ["respondent_id", "task", "profile", dimension, "age", "design_w"]
        _write(data / f"{prefix}labelled.csv", study["labelled"],
               base + ["saved", "gpt4o_saved"])
        _write(data / f"{prefix}unlabelled.csv", study["unlabelled"], base + ["gpt4o_saved"])
        if dimension == "more":
            llm = dict(study["unlabelled"])
            llm["saved"] = llm["gpt4o_saved"]
            _write(data / "gpt4o.csv", llm, ["respondent_id", "task", "profile", "more", "age",
                                            "saved"])
        truth[dimension] = {
            "true_effect": true_effect(dimension),
            "true_effect_unweighted_sample": true_effect(dimension, SAMPLED_SHARE),
            "rows_labelled": int(len(study["labelled"]["saved"])),
            "rows_unlabelled": int(len(study["unlabelled"]["gpt4o_saved"])),
        }
        print(f"{dimension}: population effect {truth[dimension]['true_effect']:.4f}, "
              f"sampled respondents' effect "
              f"{truth[dimension]['true_effect_unweighted_sample']:.4f}")
    (here / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
