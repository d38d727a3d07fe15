"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest
from shared_fixtures import language_examples


@pytest.fixture
def language_example() -> str:
    """The full study docs/language.md opens with."""
    return language_examples()[0]
