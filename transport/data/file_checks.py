"""What can be wrong with a data file before its values are looked at: the path is not a
readable regular file, the type is not one we read, the text is not UTF-8 (and on which
line), a column header appears twice. Each answer names the file and says what to do.

Missing values: in CSV and TSV files only an empty cell is missing for certain. The usual
spellings of "not available" (`NA`, `N/A`, `NaN`, `null`, `None`, `#N/A`, ...) are read as
missing too, except in a column whose variable declares that spelling as a level: a
categorical level named `None` or `NA` is a level, not a gap (`NA_TOKENS`, `missing_mask`).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from transport.study import DATA_READERS

#: File types by suffix (lower case).
READERS = DATA_READERS  # one list of the file types read, in the study's value types
SUPPORTED = ".csv, .tsv, .parquet or .pq"

#: Cell texts read as "not available" unless the column's variable has such a level
#: (pandas' default list, which is what R, Stata and spreadsheet exports write).
NA_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})


def unsupported_type(path: Path) -> str | None:
    """Why a file of this type is not read (None when it is)."""
    if path.suffix.lower() in READERS:
        return None
    shown = f"'{path.suffix}'" if path.suffix else "without a suffix"
    return f"{path}: unsupported file type {shown}; data files are {SUPPORTED}"


def path_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a data file, or None: a missing file, a link that loops
    or points nowhere, a folder, a FIFO, socket or device (reading those blocks or never
    ends)."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return f"{path}: file not found"
    except OSError as error:
        return f"{path}: cannot be read: {error.strerror}"
    try:
        info = os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"{path}: the symbolic links loop (a link that leads back to itself)"
        if error.errno == errno.ENOENT and stat.S_ISLNK(link.st_mode):
            return f"{path}: a symbolic link to a file that does not exist ({os.readlink(path)})"
        return f"{path}: cannot be read: {error.strerror}"
    if stat.S_ISDIR(info.st_mode):
        return f"{path}: is a folder, not a data file"
    if not stat.S_ISREG(info.st_mode):
        return f"{path}: is not a regular file ({_kind(info.st_mode)}); give a data file"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def is_missing_path(path: Path) -> bool:
    """True when nothing is at `path` at all (a planned file not made yet)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def utf8_problem(path: Path) -> str:
    """Where a text file stops being UTF-8: line, data row (the header is line 1) and the
    byte, found by decoding the file in blocks (nothing is held but one block)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1  # offset: of the first byte of `data` in the file
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            pending = decoder.getstate()[0]  # a character cut by the previous block
            data = pending + block
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                start = min(max(error.start, 0), len(data) - 1)
                line += data[:start].count(b"\n")
                row = f"data row {line - 1}" if line > 1 else "the header"
                return (f"{path}: line {line} ({row}) is not valid UTF-8 (byte "
                        f"0x{data[start]:02x} at file offset {offset + start}); save the "
                        "file as UTF-8")
            line += block.count(b"\n")
            offset += len(data) - len(decoder.getstate()[0])
    return f"{path}: the file ends in the middle of a UTF-8 character; save the file as UTF-8"


def duplicated_headers(path: Path, kind: str) -> dict[str, list[int]]:
    """Header names that appear more than once, with their 1-based column numbers (pandas
    would silently rename the second `x` to `x.1`)."""
    if kind == "parquet":
        return {}
    header = pd.read_csv(path, sep="\t" if kind == "tsv" else ",", header=None, nrows=1,
                         dtype=str, keep_default_na=False, encoding="utf-8-sig")
    seen: dict[str, list[int]] = {}
    for number, name in enumerate(header.iloc[0].tolist() if len(header) else [], start=1):
        seen.setdefault(str(name), []).append(number)
    return {name: numbers for name, numbers in seen.items() if len(numbers) > 1}


def missing_mask(series: pd.Series, levels: Collection[str]) -> np.ndarray:
    """Cells that are missing: empty (or a real null), or a "not available" spelling that
    is not one of the column's declared `levels`."""
    null = series.isna().to_numpy()
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return null
    tokens = NA_TOKENS - {str(level) for level in levels}
    text = series.astype(str).str.strip()
    return null | text.isin(tokens).to_numpy()


__all__ = ["NA_TOKENS", "READERS", "SUPPORTED", "duplicated_headers", "is_missing_path",
           "missing_mask", "path_problem", "unsupported_type", "utf8_problem"]
