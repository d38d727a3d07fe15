"""The user's files: reading a `.tdag` text (a bad byte becomes a diagnostic, not a
traceback), and writing outputs safely (atomically, never over a user's file unless asked)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from transport.errors import Diagnostic, TdagError, UsageError
from transport.source import Source, Span, normalise_line_endings


def read_source(path: str | Path) -> Source:
    """The file's text as UTF-8 (a byte-order mark dropped); UsageError when it does not
    exist, is a folder or cannot be read, TdagError (E001) when it is not UTF-8."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a .tdag file")
    try:
        data = path.read_bytes()
    except PermissionError:
        raise UsageError(f"cannot read {path}: permission denied") from None
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


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target, so
    an interruption leaves either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:  # a new file gets the usual 0666 less the umask, not mkstemp's 0600
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
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
