"""The report folder holds one run's files, never a mix (issue 14, item 2).

Each test writes a first report, changes the study so that a second report differs in
every text file, and then breaks the second write: an exception in the middle of the set,
a full disk, a failing swap, a process killed while writing or between the two renames
of the swap. Afterwards the folder must hold exactly the first set or exactly the second,
and nothing may be left beside it.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from report_fixtures import planning_copy

from transport import files
from transport.api import write_report
from transport.cli import main
from transport.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def _report(study: Path, out: Path, **options):
    return write_report(study, out, quiet=True, renderer="python", command_line="t",
                        force=True, **options)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def two_runs(tmp_path: Path):
    """(study, out, first set): the study already reported once; then changed."""
    study = planning_copy(tmp_path)
    out = tmp_path / "out"
    _report(study, out)
    first = _snapshot(out)
    study.write_text(study.read_text(encoding="utf-8") + "# second run\n", encoding="utf-8")
    return study, out, first


def _beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("." + out.name))


def test_a_second_run_replaces_every_file(two_runs) -> None:
    study, out, first = two_runs
    _report(study, out)
    second = _snapshot(out)
    assert second.keys() == first.keys()
    for name in ("report.html", "report.md", "report.json"):
        assert second[name] != first[name], name
    assert _beside(out) == []


def test_an_error_in_the_middle_of_the_set_leaves_the_old_set(two_runs, monkeypatch) -> None:
    study, out, first = two_runs
    real = files._write_file
    written: list[str] = []

    def fail_on_third(path: Path, text: str) -> None:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path.name)
        real(path, text)

    monkeypatch.setattr(files, "_write_file", fail_on_third)
    with pytest.raises(UsageError) as caught:
        _report(study, out)
    assert str(caught.value) == f"cannot write {out / 'report.md'}: No space left on device"
    assert _snapshot(out) == first
    assert _beside(out) == []


def test_a_full_disk_is_a_clear_error_not_a_bug(two_runs, monkeypatch, capsys) -> None:
    study, out, first = two_runs

    def full(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(files, "_write_file", full)
    code = main(["report", str(study), "-o", str(out), "--force", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"transport: error: cannot write {out}/")
    assert err.endswith(": No space left on device\n")
    assert _snapshot(out) == first and _beside(out) == []


def test_a_failed_swap_puts_the_old_set_back(two_runs, monkeypatch) -> None:
    study, out, first = two_runs
    real = os.rename

    def refuse_new_into_place(source, target):
        if ".transport-new-" in str(source):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(source))
        real(source, target)

    monkeypatch.setattr(files.os, "rename", refuse_new_into_place)
    with pytest.raises(UsageError, match="Input/output error"):
        _report(study, out)
    assert _snapshot(out) == first and _beside(out) == []


def test_an_interrupt_leaves_the_old_set(two_runs, monkeypatch) -> None:
    study, out, first = two_runs

    def interrupted(path: Path, text: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_write_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _report(study, out)
    assert _snapshot(out) == first and _beside(out) == []


_KILLED = """
import os, signal, sys
from pathlib import Path
from transport import files
from transport.api import write_report

step, count = sys.argv[3], 0
real_write, real_rename = files._write_file, os.rename

def write(path, text):
    global count
    count += 1
    if step == "write" and count == 3:
        Path(path).write_text(text[: len(text) // 2])  # half a file, then the kill
        os.kill(os.getpid(), signal.SIGKILL)
    real_write(path, text)

def rename(source, target):
    real_rename(source, target)
    if step == "swap" and ".transport-old-" in str(target):  # old set moved aside
        os.kill(os.getpid(), signal.SIGKILL)

files._write_file = write
files.os.rename = rename
write_report(sys.argv[1], sys.argv[2], quiet=True, renderer="python", command_line="t",
             force=True)
"""


@pytest.mark.parametrize("step", ["write", "swap"])
def test_a_process_killed_mid_set_leaves_one_whole_set(two_runs, step: str) -> None:
    study, out, first = two_runs
    done = subprocess.run([sys.executable, "-c", _KILLED, str(study), str(out), step],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert _beside(out)  # the killed run left its folders beside the report
    if step == "write":
        assert _snapshot(out) == first
    else:
        assert not out.exists()  # cut between the renames: the old set is aside
    _report(study, out)  # the next run puts things right, then writes its own set
    second = _snapshot(out)
    assert second.keys() == first.keys() and second["report.md"] != first["report.md"]
    assert _beside(out) == []


def test_recover_puts_an_old_set_back_when_the_folder_is_missing(two_runs) -> None:
    _, out, first = two_runs
    aside = out.parent / f".{out.name}.transport-old-abc123"
    out.rename(aside)
    files.recover(out)
    assert _snapshot(out) == first and _beside(out) == []


def test_a_folder_with_other_files_is_refused_before_any_work(two_runs) -> None:
    study, out, first = two_runs
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        _report(study, out)
    assert str(caught.value) == (
        f"{out} holds files that are not part of a report (notes.txt); the report folder is "
        "replaced as a whole, so write the report into a new folder or one that holds only "
        "an earlier report"
    )
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_linked_report_folder_stays_a_link(two_runs, tmp_path: Path) -> None:
    study, out, first = two_runs
    link = tmp_path / "link"
    link.symlink_to(out)
    _report(study, link)
    assert link.is_symlink() and link.resolve() == out.resolve()
    assert _snapshot(out)["report.md"] != first["report.md"]


def test_the_folder_keeps_its_permissions(two_runs) -> None:
    study, out, _ = two_runs
    out.chmod(0o750)
    _report(study, out)
    assert out.stat().st_mode & 0o777 == 0o750


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_a_read_only_parent_folder_is_a_clear_error(tmp_path: Path, capsys) -> None:
    study = planning_copy(tmp_path)
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code = main(["report", str(study), "-o", str(parent / "out"), "--quiet"])
    finally:
        parent.chmod(0o755)
    assert code == 2
    assert capsys.readouterr().err == (
        f"transport: error: cannot write the report beside {parent / 'out'}: "
        "Permission denied\n")


def test_a_read_only_file_system_is_a_clear_error(tmp_path: Path, monkeypatch, capsys) -> None:
    study = planning_copy(tmp_path)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path))

    monkeypatch.setattr(files.tempfile, "mkdtemp", read_only)
    code = main(["report", str(study), "-o", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"transport: error: cannot write the report beside {tmp_path / 'out'}: "
        "Read-only file system\n")
