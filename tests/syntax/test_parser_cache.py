"""The parser cache runs no code that another user could plant (issue 14, item 1).

lark's own cache is a pickle in the shared temporary folder under a predictable name: a
file planted there ran code as whoever next ran `transport`. These tests plant such a
file (a pickle whose loading creates a file) at lark's path and at the new per-user path,
run `transport check`, and assert that the payload never ran.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from shared_fixtures import EXAMPLES

from transport.syntax import parser_cache
from transport.syntax.build import ToAst
from transport.syntax.grammar import PARSER_OPTIONS, grammar_path, parser

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "examples" / "framing" / "study.tdag"


class _Payload:
    """Unpickling this creates the file at `path` (standing in for any code)."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, TMPDIR=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "xdg"),
               PYTHONPATH=str(ROOT))
    env.pop("TRANSPORT_NO_CACHE", None)
    return env


def _check(tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "transport", "check", str(STUDY)],
                          capture_output=True, text=True, env=_env(tmp_path), timeout=120)


_LARK_WITH_CACHE = """
import sys
from lark import Lark
from transport.syntax.grammar import PARSER_OPTIONS, grammar_path
Lark(grammar_path().read_text(encoding="utf-8"), cache=True, **PARSER_OPTIONS)
"""


def test_a_pickle_planted_at_larks_temp_path_never_runs(tmp_path: Path) -> None:
    # lark writes its cache at its predictable path in TMPDIR; replace it with a payload
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-c", _LARK_WITH_CACHE], env=env, check=True, timeout=120)
    planted = sorted(tmp_path.glob(".lark_cache_*"))
    assert planted, "lark did not write its cache where expected"
    pwned = tmp_path / "pwned"
    for path in planted:
        first_line = path.read_bytes().split(b"\n", 1)[0]
        path.write_bytes(first_line + b"\n" + pickle.dumps(_Payload(pwned)))
    # the plant works: lark's cache, as transport used it before, runs the payload
    subprocess.run([sys.executable, "-c", _LARK_WITH_CACHE], env=env, timeout=120)
    assert pwned.exists()
    pwned.unlink()
    done = _check(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ok: 0 errors" in done.stdout
    assert not pwned.exists()


def _cache_file(tmp_path: Path) -> Path:
    folder = tmp_path / "xdg" / "transport"
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    grammar = grammar_path().read_text(encoding="utf-8")
    return parser_cache.cache_path(folder, grammar, PARSER_OPTIONS)


@pytest.mark.parametrize("digest", ["wrong", "right"])
def test_a_pickle_planted_at_the_per_user_path_never_runs(tmp_path: Path, digest: str) -> None:
    pwned = tmp_path / "pwned"
    path = _cache_file(tmp_path)
    planted = pickle.dumps(_Payload(pwned))
    path.write_bytes(planted)
    recorded = hashlib.sha256(planted).hexdigest() if digest == "right" else "0" * 64
    parser_cache.digest_path(path).write_text(recorded + "\n")
    done = _check(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ok: 0 errors" in done.stdout
    assert not pwned.exists()
    # the bad copy was replaced by a good one, which the next run loads
    assert path.read_bytes().startswith(b'{"format":"transport-parser-json-1"')


def _tables(tmp_path: Path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    grammar = grammar_path().read_text(encoding="utf-8")
    parser_cache.cached_parser(grammar, PARSER_OPTIONS, ToAst(), folder)
    return folder, grammar, parser_cache.cache_path(folder, grammar, PARSER_OPTIONS)


def test_a_cached_parser_parses_like_a_built_one(tmp_path: Path) -> None:
    folder, grammar, path = _tables(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = parser_cache._load(path, ToAst())
    assert loaded is not None
    for study in EXAMPLES:
        text = study.read_text(encoding="utf-8")
        assert loaded.parse(text) == parser().parse(text)


def test_a_cache_file_others_may_write_is_not_loaded(tmp_path: Path) -> None:
    _, _, path = _tables(tmp_path)
    assert parser_cache._load(path, ToAst()) is not None
    path.chmod(0o622)
    assert parser_cache._load(path, ToAst()) is None


def test_a_linked_cache_file_is_not_followed(tmp_path: Path) -> None:
    _, _, path = _tables(tmp_path)
    real = path.with_name("elsewhere.json")
    path.rename(real)
    path.symlink_to(real)
    assert parser_cache._load(path, ToAst()) is None


def test_a_changed_cache_file_is_not_loaded(tmp_path: Path) -> None:
    _, _, path = _tables(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"lalr"', b'"earley"', 1))
    assert parser_cache._load(path, ToAst()) is None


def test_a_folder_others_may_write_is_not_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("TRANSPORT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    created = parser_cache.cache_folder()
    assert created == tmp_path / "transport"
    assert stat.S_IMODE(created.stat().st_mode) & 0o077 == 0
    created.chmod(0o777)
    assert parser_cache.cache_folder() is None
    created.chmod(0o700)
    tmp_path.chmod(0o777)  # anyone could rename the folder away and put their own there
    try:
        assert parser_cache.cache_folder() is None
        tmp_path.chmod(0o1777)  # unless the parent is sticky, like /tmp
        assert parser_cache.cache_folder() == created
    finally:
        tmp_path.chmod(0o700)


def test_the_cache_can_be_turned_off(monkeypatch) -> None:
    monkeypatch.setenv("TRANSPORT_NO_CACHE", "1")
    assert parser_cache.cache_folder() is None
