"""Paths and texts the tests share: the bundled examples and the language brief's examples.

Imported by name (`from shared_fixtures import ...`); pytest puts tests/ on the path.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(ROOT.glob("examples/*/study.tdag"))
BRIEF = ROOT.parent / "shared" / "design" / "language.md"


def brief_examples() -> list[str]:
    """The ```-fenced examples of the language brief (empty when it is not beside the repo)."""
    if not BRIEF.is_file():
        return []
    return re.findall(r"```\n(.*?)```", BRIEF.read_text(encoding="utf-8"), re.S)


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
