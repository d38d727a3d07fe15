"""Exit codes and limits of the command line (issue 14, items 4 and 8): user and
environment problems exit 1 or 2 with a message, never 3 (an internal error)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from shared_fixtures import MINIMAL_STUDY

from transport.cli import main

USAGE_TAIL = "(set TRANSPORT_MAX_DRAWS to raise the limit)"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "s.tdag"
    path.write_text(MINIMAL_STUDY, encoding="utf-8")
    return path


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--seed", "-1", "argument --seed: must be a whole number from 0 to 4294967295, not -1"),
    ("--seed", "4294967296",
     "argument --seed: must be a whole number from 0 to 4294967295, not 4294967296"),
    ("--draws", "-5", f"argument --draws: must be a whole number from 100 to 100,000, not -5 "
                      f"{USAGE_TAIL}"),
    ("--draws", "0", f"argument --draws: must be a whole number from 100 to 100,000, not 0 "
                     f"{USAGE_TAIL}"),
    ("--draws", "1000000000", "argument --draws: must be a whole number from 100 to 100,000, "
                              f"not 1000000000 {USAGE_TAIL}"),
])
@pytest.mark.parametrize("command", ["estimate", "report", "calibrate"])
def test_bad_seeds_and_draws_are_usage_errors(capsys, study: Path, command: str, option: str,
                                              value: str, message: str) -> None:
    if command == "report" and option == "--draws":
        pytest.skip("report takes no --draws")
    args = {"estimate": [str(study)], "report": [str(study), "-o", "out"],
            "calibrate": ["p.csv", "--llm", "a", "--human", "b", "--se", "c"]}[command]
    code, out, err = _run(capsys, command, *args, f"{option}={value}")
    assert code == 2 and out == ""
    first, usage = err.split("\n", 1)
    assert first == f"transport: error: {message}"
    assert usage.startswith(f"usage: transport {command}")


def test_the_draws_limit_can_be_raised(capsys, study: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRANSPORT_MAX_DRAWS", "2000000")
    code, _, err = _run(capsys, "estimate", str(study), "--draws", "1000000000")
    assert code == 2
    assert "from 100 to 2,000,000, not 1000000000" in err


def test_a_fifo_is_refused_not_waited_on(capsys, tmp_path: Path) -> None:
    fifo = tmp_path / "s.tdag"
    os.mkfifo(fifo)
    code, _, err = _run(capsys, "check", str(fifo))
    assert code == 2
    assert err == (f"transport: error: {fifo} is not a regular file (a FIFO); give the path of "
                   "a .tdag file\n")


def test_a_device_is_refused_not_read_forever(capsys) -> None:
    code, _, err = _run(capsys, "check", "/dev/zero")
    assert code == 2
    assert err == ("transport: error: /dev/zero is not a regular file (a device); give the "
                   "path of a .tdag file\n")


def test_a_folder_is_named_as_a_folder(capsys, tmp_path: Path) -> None:
    code, _, err = _run(capsys, "check", str(tmp_path))
    assert code == 2
    assert err == f"transport: error: {tmp_path} is a folder, not a .tdag file\n"


def test_a_looping_link_is_named_as_a_link(capsys, tmp_path: Path) -> None:
    loop = tmp_path / "loop.tdag"
    loop.symlink_to(loop)
    code, _, err = _run(capsys, "check", str(loop))
    assert code == 2
    assert err == (f"transport: error: cannot read {loop}: Too many levels of symbolic links "
                   "(a symbolic link)\n")


def test_a_tdag_file_above_the_size_limit_is_refused(capsys, study: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRANSPORT_MAX_TDAG_BYTES", "64")
    size = study.stat().st_size
    code, _, err = _run(capsys, "check", str(study))
    assert code == 2
    assert err == (f"transport: error: {study} is {size:,} bytes, more than the limit of 64 for "
                   "a .tdag file; set TRANSPORT_MAX_TDAG_BYTES to raise it\n")


def test_identification_above_the_size_limit_is_refused(capsys, study: Path,
                                                         monkeypatch) -> None:
    monkeypatch.setenv("TRANSPORT_MAX_IDENTIFY_NODES", "1")
    code, _, err = _run(capsys, "identify", str(study))
    assert code == 1
    assert err == ("error: the study has 2 variables (latent causes included), more than the 1 "
                   "that identification searches (its cost grows faster than the square of the "
                   "size); set TRANSPORT_MAX_IDENTIFY_NODES to raise the limit\n")


def test_a_long_chain_is_refused_quickly(capsys, tmp_path: Path) -> None:
    n = 1_001
    lines = ["population gpt source", "population human target",
             "var v0 binary treatment", f"var v{n - 1} binary outcome"]
    lines += [f"var v{i} binary" for i in range(1, n - 1)]
    lines += [" -> ".join(f"v{i}" for i in range(n)), "shared " + ", ".join(
        f"v{i}" for i in range(n))]
    path = tmp_path / "chain.tdag"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = _run(capsys, "identify", str(path))
    assert code == 1
    assert "the study has 1,001 variables" in err


def test_ordinal_with_ten_thousand_levels_is_refused(capsys, tmp_path: Path) -> None:
    path = tmp_path / "o.tdag"
    path.write_text(MINIMAL_STUDY + "var w ordinal(1..10000)\nw -> y\nshared w\n",
                    encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(path))
    assert code == 1
    assert "error[E032]: ordinal(1..10000) has 10,000 levels, more than the limit of 200" in out


def test_a_categorical_above_the_level_limit_is_refused(capsys, tmp_path: Path,
                                                        monkeypatch) -> None:
    monkeypatch.setenv("TRANSPORT_MAX_LEVELS", "3")
    path = tmp_path / "c.tdag"
    path.write_text(MINIMAL_STUDY + "var w categorical(a, b, c, d)\nw -> y\nshared w\n",
                    encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(path))
    assert code == 1
    assert ("error[E032]: categorical has 4 levels, more than the limit of 3\n"
            " 7 | var w categorical(a, b, c, d)\n") in out
    assert "= help: group rare levels together, or set TRANSPORT_MAX_LEVELS to raise the limit" \
        in out


def test_an_output_file_on_a_full_disk_is_a_clear_error(capsys, study: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    import errno

    from transport import files

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fdopen", full)
    out = tmp_path / "g.dot"
    code, _, err = _run(capsys, "graph", str(study), "-o", str(out))
    assert code == 2
    assert err == f"transport: error: cannot write {out}: No space left on device\n"
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["s.tdag"]


def test_identify_says_a_large_search_may_take_a_while(capsys, tmp_path: Path,
                                                        monkeypatch) -> None:
    import sys

    n = 201
    lines = ["population gpt source", "population human target",
             "var v0 binary treatment", f"var v{n - 1} binary outcome"]
    lines += [f"var v{i} binary" for i in range(1, n - 1)]
    lines += [" -> ".join(f"v{i}" for i in range(n)), "shared " + ", ".join(
        f"v{i}" for i in range(n)), 'data gpt "g.csv" experiment(v0)']
    path = tmp_path / "chain.tdag"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = _run(capsys, "identify", str(path))
    assert code == 0
    assert err == "transport identify: searching 201 variables; this may take a while\n"
