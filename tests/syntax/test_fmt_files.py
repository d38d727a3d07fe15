"""`transport fmt` rewrites the file a user means, the way it is (issue 14, item 5): a
symbolic link stays a link and its target is formatted, hard links stay linked, and a
read-only file is refused, not replaced."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from shared_fixtures import MINIMAL_STUDY

from transport.api import format_source
from transport.cli import main

MESSY = MINIMAL_STUDY.replace("x -> y", "x   ->   y")
FORMATTED = format_source(MESSY)


def test_a_linked_file_is_formatted_through_the_link(tmp_path: Path, capsys) -> None:
    real = tmp_path / "real.tdag"
    real.write_text(MESSY, encoding="utf-8")
    link = tmp_path / "link.tdag"
    link.symlink_to(real)
    assert main(["fmt", str(link)]) == 0
    assert capsys.readouterr().out == f"{link}: reformatted\n"
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8") == FORMATTED


def test_hard_links_stay_one_file(tmp_path: Path) -> None:
    first = tmp_path / "a.tdag"
    first.write_text(MESSY, encoding="utf-8")
    second = tmp_path / "b.tdag"
    os.link(first, second)
    assert main(["fmt", str(first)]) == 0
    assert os.path.samefile(first, second)
    assert second.read_text(encoding="utf-8") == FORMATTED


def test_a_read_only_file_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ro.tdag"
    path.write_text(MESSY, encoding="utf-8")
    other = tmp_path / "ok.tdag"
    other.write_text(MESSY, encoding="utf-8")
    path.chmod(0o444)
    try:
        code = main(["fmt", str(path), str(other)])
    finally:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(0o644)
    out, err = capsys.readouterr()
    assert code == 1
    assert err == (f"transport: error: {path} is read-only; not reformatted (make it "
                   "writable first)\n")
    assert out == f"{other}: reformatted\n"  # the other files are still formatted
    assert path.read_text(encoding="utf-8") == MESSY and mode == 0o444
    assert other.read_text(encoding="utf-8") == FORMATTED


def test_a_formatted_read_only_file_needs_no_writing(tmp_path: Path) -> None:
    path = tmp_path / "ro.tdag"
    path.write_text(FORMATTED, encoding="utf-8")
    path.chmod(0o444)
    try:
        assert main(["fmt", str(path)]) == 0
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_the_mode_is_kept(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "m.tdag"
    path.write_text(MESSY, encoding="utf-8")
    path.chmod(mode)
    assert main(["fmt", str(path)]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == mode
