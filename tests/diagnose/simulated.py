"""Simulated studies for the implication tests: a target survey of covariates and a source
experiment, written to a folder as a `.tdag` file and CSVs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

STUDY = """\
population llm   source "LLM personas"
population human target "Survey respondents"

var age     continuous "Age in decades, centred"
var income  continuous "Log income, centred"
var region  categorical(north, south, west)
var smoker  binary
var treat   binary treatment
var outcome binary outcome

region -> income
{age income smoker treat} -> outcome
age -> smoker
{EXTRA}

shared outcome because "same mechanism"
differs age, income, region, smoker because "personas are sampled"
data llm   "llm.csv"   experiment(treat)
data human "human.csv" observational measures(age, income, region, smoker)

estimate effect of treat on outcome in human
"""


def covariates(rng: np.random.Generator, n: int, age_income: float) -> pd.DataFrame:
    """region -> income, age -> smoker; `age_income` is a correlation the graph may omit."""
    region = rng.choice(["north", "south", "west"], size=n, p=[0.5, 0.3, 0.2])
    age = rng.normal(size=n)
    shift = pd.Series(region).map({"north": 0.0, "south": 0.6, "west": -0.4}).to_numpy()
    income = shift + age_income * age + rng.normal(size=n)
    smoker = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + 0.8 * age)))).astype(int)
    return pd.DataFrame({"age": age, "income": income, "region": region, "smoker": smoker})


def write_study(folder: Path, seed: int, age_income: float = 0.0, n_target: int = 600,
                n_source: int = 600, extra: str = "") -> Path:
    """The study and its two data files in `folder`; returns the .tdag path."""
    rng = np.random.default_rng(seed)
    target = covariates(rng, n_target, age_income)
    source = covariates(rng, n_source, age_income)
    source["treat"] = rng.integers(0, 2, size=n_source)
    logit = -0.3 + 0.5 * source.treat + 0.4 * source.age + 0.3 * source.income + source.smoker
    source["outcome"] = (rng.random(n_source) < 1 / (1 + np.exp(-logit))).astype(int)
    folder.mkdir(parents=True, exist_ok=True)
    target.to_csv(folder / "human.csv", index=False)
    source.to_csv(folder / "llm.csv", index=False)
    path = folder / "study.tdag"
    path.write_text(STUDY.replace("{EXTRA}", extra))
    return path
