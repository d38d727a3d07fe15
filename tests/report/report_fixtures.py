"""Studies and helpers the report tests share."""

from __future__ import annotations

import shutil
from pathlib import Path

from shared_fixtures import ROOT

FRAMING = ROOT / "examples" / "framing" / "study.tdag"
SECTION_IDS = ("study", "diagram", "assumptions", "identification", "estimates",
               "reproducibility")
MD_HEADINGS = ("## 1. The study", "## 2. Selection diagram", "## 3. Assumptions",
               "## 4. Identification", "## 5. Estimates", "## 6. Reproducibility")
JSON_KEYS = ("schema_version", "study", "diagram", "assumptions", "identification",
             "estimation", "reproducibility")

NASTY = "<script>alert(1)</script> \\\"q\\\" & 'a'"

# Every user field carries markup, quotes and an ampersand.
HOSTILE_STUDY = f"""
study "T {NASTY}" {{
  question "Q {NASTY}"
  author "A {NASTY}"
}}
population gpt source "G {NASTY}"
population human target "H {NASTY}"
var x binary "X {NASTY}" treatment
var z categorical(a, b) "Z {NASTY}"
var y binary "Y {NASTY}" outcome
z -> x -> y
z -> y
shared y because "B {NASTY}" cite "C {NASTY}"
differs z because "D {NASTY}" cite "E {NASTY}"
hypothesis "H1 {NASTY}"
decide yes if prob(effect > 0) > 0.9
data gpt "gpt<script>alert(1)</script>&.csv" experiment(x)
data human "human_survey.csv" observational measures(z)
estimate effect of x on y in human
"""


def planning_copy(tmp: Path) -> Path:
    """The framing study copied without its data: every data file is missing."""
    folder = tmp / "planning"
    folder.mkdir()
    shutil.copy(FRAMING, folder / "study.tdag")
    return folder / "study.tdag"


def without_shared(tmp: Path) -> Path:
    """The framing study with its data, but nothing shared or partially shared about the
    outcome: no formula, nothing to borrow, so estimation refuses."""
    folder = tmp / "refusing"
    shutil.copytree(FRAMING.parent / "data", folder / "data")
    text = FRAMING.read_text(encoding="utf-8")
    text = text.replace("shared choose_risky for gpt", "differs choose_risky for gpt")
    text = text.replace("partial choose_risky sd 0.3 for claude", "differs choose_risky for claude")
    (folder / "study.tdag").write_text(text, encoding="utf-8")
    return folder / "study.tdag"


def with_decision(tmp: Path) -> Path:
    """The framing study with its data, a hypothesis and a decision rule."""
    folder = tmp / "deciding"
    shutil.copytree(FRAMING.parent / "data", folder / "data")
    text = FRAMING.read_text(encoding="utf-8")
    text += ('\nhypothesis "Loss framing raises the share choosing the gamble by 5 points"\n'
             "decide transported if prob(effect > 0.05) > 0.95\n")
    (folder / "study.tdag").write_text(text, encoding="utf-8")
    return folder / "study.tdag"
