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


@pytest.fixture(autouse=True, scope="session")
def _private_parser_cache(tmp_path_factory):
    """The parser cache (and anything else following XDG) in a temporary folder, so the
    tests never read or write the user's own ~/.cache; subprocesses inherit it."""
    import os

    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved
