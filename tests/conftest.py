"""Shared fixtures: the repository's examples and the language brief's examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(ROOT.glob("examples/*/study.tdag"))
BRIEF = ROOT.parent / "shared" / "design" / "language.md"


def brief_examples() -> list[str]:
    """The ```-fenced examples of the language brief (empty when it is not beside the repo)."""
    if not BRIEF.is_file():
        return []
    return re.findall(r"```\n(.*?)```", BRIEF.read_text(encoding="utf-8"), re.S)


@pytest.fixture
def brief_example() -> str:
    found = brief_examples()
    if not found:
        pytest.skip("the language brief is not beside the repository")
    return found[0]
