"""A small simulated study for the evidence-synthesis tests: binary treatment x, binary
outcome y, one three-level covariate z; a source `llm` and a target `human`, the claim on
y and the data statements chosen by the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HEADER = """\
population llm   source
population human target
var z categorical(a, b, c)
var x binary treatment
var y binary outcome
{z x} -> y
differs z
"""


def rows(n: int, shift: float, rng: np.random.Generator, covariates=(0.5, 0.3, 0.2),
         experiment: bool = True) -> pd.DataFrame:
    """n rows with z drawn from `covariates`, x randomised, y from a logistic mechanism whose
    treatment coefficient is moved by `shift`."""
    z = rng.choice(3, n, p=list(covariates))
    x = rng.integers(0, 2, n) if experiment else rng.binomial(1, 0.3 + 0.2 * (z == 2))
    logit = -0.4 + 0.5 * z + (1.0 + shift) * x
    y = rng.binomial(1, 1 / (1 + np.exp(-logit)))
    return pd.DataFrame({"z": np.array(["a", "b", "c"])[z], "x": x, "y": y})


def write_study(folder: Path, claim: str, data: str, *, human_n: int = 600,
                llm_n: int = 2000, shift: float = 0.0, seed: int = 3, extra: str = "") -> Path:
    """`claim` like "shared y for llm"; `data` the data statements (files llm.csv,
    human.csv and human_z.csv are written)."""
    rng = np.random.default_rng(seed)
    rows(llm_n, shift, rng, (0.2, 0.3, 0.5)).to_csv(folder / "llm.csv", index=False)
    rows(human_n, 0.0, rng).to_csv(folder / "human.csv", index=False)
    rows(human_n, 0.0, rng)[["z"]].to_csv(folder / "human_z.csv", index=False)
    text = HEADER + claim + "\n" + data + "\n" + extra + "estimate effect of x on y in human\n"
    path = folder / "study.tdag"
    path.write_text(text)
    return path
