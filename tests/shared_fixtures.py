"""Paths and texts the tests share: the bundled examples and the language reference's
examples (docs/language.md, inside the repository, so a fresh clone runs every test).

Imported by name (`from shared_fixtures import ...`); pytest puts tests/ on the path.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(ROOT.glob("examples/*/study.tdag"))

# The smallest study that checks clean: one source, one target, x -> y with y shared.
MINIMAL_STUDY = """\
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
shared y
"""
LANGUAGE = ROOT / "docs" / "language.md"


def language_examples() -> list[str]:
    """The ```tdag examples of docs/language.md, in order (the first is the full study the
    reference opens with)."""
    return re.findall(r"```tdag\n(.*?)```", LANGUAGE.read_text(encoding="utf-8"), re.S)


# A study exercising every kind of selection node: shared, partial, undeclared, latent,
# and `<->` confounders both shared and differing.
DIAGRAM_STUDY = """
population gpt source "G"
population claude source "C"
population human target "H"
var x binary treatment
var z binary
var y binary outcome
var u latent
z -> x -> y
z -> y
u -> y
x <-> z
z <-> y
shared y
shared z for gpt
partial z sd 0.3 for claude
shared u for claude
shared x <-> z
differs z <-> y for claude
estimate effect of x on y in human
"""


# An LLM experiment and a human observational sample whose outcome mechanism is declared
# shared; `human_shift` makes the humans' treatment effect truly differ (log-odds).
SHIFT_STUDY = """
population llm source "L"
population human target "H"
var x binary treatment
var z binary
var y binary outcome
z -> y
x -> y
shared y
differs z
data llm "llm.csv" experiment(x)
data human "human.csv" observational
estimate effect of x on y in human
"""


def write_shift_study(
    folder: Path, human_shift: float, seed: int, llm_rows: int = 3000, human_rows: int = 1500
) -> Path:
    """Simulate both files into `folder`, write the study, return its path."""
    rng = np.random.default_rng(seed)

    def draw(n: int, shift: float, randomized: bool) -> pd.DataFrame:
        z = rng.integers(0, 2, n)
        x = rng.integers(0, 2, n) if randomized else (rng.random(n) < 0.3 + 0.4 * z).astype(int)
        logit = -1 + 1.2 * x + 0.8 * z + shift * x
        y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
        return pd.DataFrame({"x": x, "z": z, "y": y})

    draw(llm_rows, 0.0, True).to_csv(folder / "llm.csv", index=False)
    draw(human_rows, human_shift, False).to_csv(folder / "human.csv", index=False)
    (folder / "study.tdag").write_text(SHIFT_STUDY)
    return folder / "study.tdag"
