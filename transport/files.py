"""The user's files: reading a `.tdag` text (a bad byte becomes a diagnostic, not a
traceback; FIFOs, devices and oversized files are refused), and writing outputs safely
(atomically, never over a user's file unless asked).

Failures of the file system (a read-only folder, a full disk, no permission) become a
UsageError naming the path and the reason, so they are reported as what they are, not as
a bug in the toolkit.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path

from transport.errors import Diagnostic, TdagError, UsageError
from transport.source import Source, Span, normalise_line_endings


def _readable_source(path: Path) -> None:
    """UsageError for a FIFO, device or socket (reading blocks or never ends) and for a file
    above the size limit (transport.limits.SOURCE_BYTES)."""
    from transport.limits import SOURCE_BYTES

    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else (
            "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
        raise UsageError(f"{path} is not a regular file ({kind}); give the path of a .tdag file")
    if info.st_size > SOURCE_BYTES.value():
        raise UsageError(
            f"{path} is {info.st_size:,} bytes, more than the limit of "
            f"{SOURCE_BYTES.value():,} for a .tdag file; set {SOURCE_BYTES.variable} to raise it")


def read_source(path: str | Path) -> Source:
    """The file's text as UTF-8 (a byte-order mark dropped); UsageError when it does not
    exist, is a folder or cannot be read, TdagError (E001) when it is not UTF-8."""
    path = Path(path)
    if not path.exists() and path.is_symlink():
        try:
            path.stat()
        except OSError as error:  # a loop of links, or a link to nothing
            raise UsageError(f"cannot read {path}: {error.strerror} (a symbolic link)") from None
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a .tdag file")
    _readable_source(path)
    try:
        data = path.read_bytes()
    except PermissionError:
        raise UsageError(f"cannot read {path}: permission denied") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # positions as the replaced text will show them (line endings normalised alike)
        before = normalise_line_endings(data[: exc.start].decode("utf-8", errors="replace"))
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise TdagError(
            [
                Diagnostic(
                    "E001",
                    "error",
                    f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                    Span(line, column, line, column + 1),
                    hint="save the file as UTF-8",
                )
            ],
            Source(data.decode("utf-8", errors="replace"), str(path)),
        ) from None
    return Source(text, str(path))


def os_problem(error: OSError, doing: str, path: Path | str) -> UsageError:
    """`cannot write out/report.md: No space left on device` as a UsageError."""
    reason = error.strerror or type(error).__name__
    return UsageError(f"cannot {doing} {path}: {reason}")


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target, so
    an interruption leaves either the old file or the new one, never half of one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise os_problem(error, "write", path) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:  # a new file gets the usual 0666 less the umask, not mkstemp's 0600
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise os_problem(error, "write", path) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_new(path: Path, text: str, force: bool = False) -> None:
    """Write a new output file; refuse to replace an existing one unless `force`."""
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to replace it")
    if path.is_dir():
        raise UsageError(f"{path} is a folder")
    write_atomic(path, text)


def rewrite_file(path: Path, text: str) -> None:
    """Replace the text of a user's file, keeping what makes it that file: a symbolic link
    stays a link (its target is rewritten), a file with several hard links is written in
    place so every name still shows the same text, and a read-only file is refused
    (UsageError) rather than replaced behind its owner's back."""
    real = Path(os.path.realpath(path))
    try:
        info = real.stat()
    except OSError as error:
        raise os_problem(error, "read", path) from None
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        real, os.W_OK
    ):
        raise UsageError(f"{path} is read-only; not reformatted (make it writable first)")
    if info.st_nlink > 1:
        try:
            with open(real, "r+", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.truncate()
        except OSError as error:
            raise os_problem(error, "write", path) from None
        return
    write_atomic(real, text)


# -- a set of files that must change together (the report folder) --------------------------

_NEW, _OLD = ".transport-new-", ".transport-old-"


def write_set(folder: Path, files: Mapping[str, str], replaceable: Collection[str]) -> None:
    """Make `folder` hold exactly `files` (name -> text), all from this run or none of them.

    The files are written into a new folder beside `folder`, which is then swapped in:
    the old folder is renamed aside, the new one renamed to its name, and the old one
    removed. An interruption at any point leaves either the old set or the new one under
    `folder`'s name (never a mix, never a partial file); the next call tidies up what an
    interruption left beside it (and puts an old set back if the swap was cut halfway). A
    failure removes the new folder. The old folder may hold only files named in
    `replaceable` (earlier sets): anything else in it is refused (UsageError), because
    the swap replaces the folder as a whole.
    """
    shown = Path(folder)
    folder = Path(os.path.realpath(folder))  # a linked folder: swap the one it points at
    parent = folder.parent
    recover(folder)
    exists = folder.is_dir()
    if exists:
        refuse_foreign(folder, set(replaceable) | set(files), shown)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}{_NEW}", dir=parent))
    except OSError as error:
        raise os_problem(error, "write the report beside", shown) from None
    try:
        mode = folder.stat().st_mode & 0o7777 if exists else 0o777 & ~_umask()
        for name, text in files.items():
            _write_file(staging / name, text)
        os.chmod(staging, mode)
        _swap(staging, folder, exists)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise os_problem(error, "write", _failed_path(error, shown)) from None
        raise


def _write_file(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    os.chmod(path, 0o666 & ~_umask())


def _failed_path(error: OSError, folder: Path) -> Path:
    """The path to name in a message: the file in `folder` the error was about."""
    name = Path(error.filename).name if error.filename else None
    return folder / name if name and _NEW not in name else folder


def _swap(staging: Path, folder: Path, exists: bool) -> None:
    if not exists:
        os.rename(staging, folder)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{folder.name}{_OLD}", dir=staging.parent))
    os.rename(folder, backup)  # onto the empty folder just made: atomic on POSIX
    try:
        os.rename(staging, folder)
    except BaseException:
        os.rename(backup, folder)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def recover(folder: Path) -> None:
    """Tidy what an interrupted `write_set` left beside `folder`: new sets never swapped in
    are removed; an old set is put back if `folder` is missing (the swap was cut between
    its two renames), else removed."""
    parent = folder.parent
    try:
        names = sorted(os.listdir(parent))
    except OSError:
        return
    for name in names:
        path = parent / name
        if not name.startswith(f".{folder.name}.transport-") or not path.is_dir():
            continue
        if name.startswith(f".{folder.name}{_OLD}") and not folder.exists():
            os.rename(path, folder)
        elif name.startswith((f".{folder.name}{_NEW}", f".{folder.name}{_OLD}")):
            shutil.rmtree(path, ignore_errors=True)


def refuse_foreign(folder: Path, allowed: Collection[str], shown: Path | None = None) -> None:
    """UsageError when `folder` holds anything but files named in `allowed`."""
    shown = folder if shown is None else shown
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise os_problem(error, "read", shown) from None
    foreign = [n for n in names if n not in allowed or not (folder / n).is_file()]
    if foreign:
        listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more"
                                           if len(foreign) > 5 else "")
        raise UsageError(
            f"{shown} holds files that are not part of a report ({listed}); the report "
            "folder is replaced as a whole, so write the report into a new folder or "
            "one that holds only an earlier report"
        )
