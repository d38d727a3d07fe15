"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest
from shared_fixtures import language_examples


@pytest.fixture
def language_example() -> str:
    """The full study docs/language.md opens with."""
    return language_examples()[0]


def pytest_configure(config) -> None:
    """The parser cache (and anything else following XDG) in a temporary folder, set before
    collection, so the tests never read or write the user's own ~/.cache; subprocesses
    inherit it."""
    import os
    import tempfile

    config._saved_xdg_cache = os.environ.get("XDG_CACHE_HOME")
    config._xdg_cache = tempfile.mkdtemp(prefix="transport-test-cache-")
    os.environ["XDG_CACHE_HOME"] = config._xdg_cache


def pytest_unconfigure(config) -> None:
    import os
    import shutil

    if getattr(config, "_xdg_cache", None):
        shutil.rmtree(config._xdg_cache, ignore_errors=True)
        if config._saved_xdg_cache is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = config._saved_xdg_cache
