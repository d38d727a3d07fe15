"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest
from shared_fixtures import brief_examples


@pytest.fixture
def brief_example() -> str:
    found = brief_examples()
    if not found:
        pytest.skip("the language brief is not beside the repository")
    return found[0]
