"""Writing files safely: atomically, and never over a user's file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from transport.errors import UsageError


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
