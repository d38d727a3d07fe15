"""A per-user cache of the built LALR parser, stored as JSON (never a pickle).

Building the parser from `grammar/tdag.lark` costs about 100 ms per process, half of what
`transport check` takes in all (docs/performance.md, "Grammar cache"). lark's own cache
would save that, but it is a pickle in the shared temporary folder under a predictable
name, so any local user who plants that file runs code as whoever next runs `transport`.
This cache differs in three ways:

- it holds lark's serialised tables as JSON, so loading it can build a parser and nothing
  else: a planted file can at worst fail to load (then the parser is built from the
  grammar);
- it lives in the user's own cache folder (`$XDG_CACHE_HOME/transport`, else
  `~/.cache/transport`), created with mode 0700; the folder and the file are used only
  when they are owned by the user and writable by no one else, and a folder whose parent
  others may rename entries in (writable by group or others, and not sticky) is not used;
- the file's sha256 is recorded beside it and checked before the file is parsed.

`TRANSPORT_NO_CACHE=1` turns the cache off (the parser is then built on every run).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from lark import Lark
from lark import __version__ as lark_version
from lark.grammar import Rule
from lark.lexer import TerminalDef

#: Changes whenever the file layout below changes, so old files are never misread.
FORMAT = "transport-parser-json-1"
#: A cache file larger than this is not read (the real one is about 100 KB).
MAX_BYTES = 4 << 20
_INT_KEYS = "#int-keys"


def cache_folder() -> Path | None:
    """The per-user cache folder, created (mode 0700) if needed; None when there is no
    home, the cache is turned off, or the folder is not safe to read code tables from."""
    if os.environ.get("TRANSPORT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    folder = Path(base) / "transport"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if folder_is_private(folder) else None


def folder_is_private(folder: Path) -> bool:
    """The folder is a real folder (not a link), owned by this user, writable by no one
    else, inside a parent where no one else can swap it (or a sticky one, like /tmp)."""
    try:
        info = os.lstat(folder)
        parent = os.stat(folder.parent)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or not _owned_and_private(info):
        return False
    shared_parent = parent.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return not shared_parent or bool(parent.st_mode & stat.S_ISVTX)


def _owned_and_private(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    owner_ok = getuid is None or info.st_uid == getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cache_path(folder: Path, grammar: str, options: dict[str, Any]) -> Path:
    """Where the parser for this grammar, these options and this lark version is kept."""
    key = json.dumps([FORMAT, lark_version, grammar, sorted(options.items())], default=str)
    return folder / f"parser-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def digest_path(path: Path) -> Path:
    """The file beside a cache file that records its sha256."""
    return path.with_name(path.name + ".sha256")


def cached_parser(grammar: str, options: dict[str, Any], transformer: Any,
                  folder: Path | None) -> Lark:
    """The LALR parser for `grammar`: loaded from the per-user cache when a verified copy is
    there, else built (and the copy written, when `folder` is given)."""
    path = cache_path(folder, grammar, options) if folder is not None else None
    if path is not None:
        loaded = _load(path, transformer)
        if loaded is not None:
            return loaded
    built = Lark(grammar, transformer=transformer, **options)
    if path is not None:
        _save(built, path)
    return built


def _read_private(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file owned by this user and writable by no one else (links
    are not followed), or None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or not _owned_and_private(info):
            return None
        if info.st_size > limit:
            return None
        return stream.read(limit + 1)


def _load(path: Path, transformer: Any) -> Lark | None:
    data = _read_private(path, MAX_BYTES)
    recorded = _read_private(digest_path(path), 128)
    if data is None or recorded is None:
        return None
    if hashlib.sha256(data).hexdigest() != recorded.decode("ascii", "replace").strip():
        return None
    try:
        tables = _decode(json.loads(data))
        if tables.get("format") != FORMAT:
            return None
        return Lark._load_from_dict(tables["data"], tables["memo"], transformer=transformer)
    except Exception:  # a damaged copy is rebuilt from the grammar, whatever the damage
        return None


def _save(parser: Lark, path: Path) -> None:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k != "transformer"}
    try:
        text = json.dumps(_encode({"format": FORMAT, "data": data, "memo": memo}),
                          separators=(",", ":")).encode()
    except TypeError:  # lark put something in its tables that JSON cannot hold: no cache
        return
    try:
        _write_private(path, text)
        _write_private(digest_path(path), hashlib.sha256(text).hexdigest().encode() + b"\n")
    except OSError:
        pass  # a full disk or a read-only home only costs the next run 100 ms


def _write_private(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:  # mkstemp makes it 0600
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _encode(value: Any) -> Any:
    """JSON keeps only string keys: dicts with other keys become [key, value] lists."""
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {_INT_KEYS: [[k, _encode(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_INT_KEYS}:
            return {int(k): _decode(v) for k, v in value[_INT_KEYS]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


__all__ = ["cache_folder", "cache_path", "cached_parser", "digest_path", "folder_is_private"]
