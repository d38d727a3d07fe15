"""JSON text for every JSON the toolkit prints or writes, with no `NaN` or `Infinity` tokens.

Python's `json` writes `NaN`, `Infinity` and `-Infinity`, which are not JSON: strict
parsers (browsers, `jq`, most languages) reject the whole document. A number that is not
finite is written as `null` instead, and its place is returned so that the caller can
warn about it (`non_finite_warning`); a silent `null` would hide an estimate gone wrong.
Control characters that `json` leaves raw (C1, bidirectional overrides) are written as
`\\uXXXX` escapes (`text_safety.visible`), which JSON reads back as the same characters.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from transport.text_safety import visible


@dataclass(frozen=True)
class JsonText:
    """The JSON text and where (as `a.b[2].c` paths) non-finite numbers became null."""

    text: str
    replaced: tuple[str, ...]


def json_text(value: Any, *, indent: int | None = 2, ensure_ascii: bool = False) -> JsonText:
    """`value` as strict JSON: numpy values as plain ones, NaN and infinities as null."""
    replaced: list[str] = []
    plain = _plain(value, "", replaced)
    text = json.dumps(plain, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False)
    return JsonText(visible(text), tuple(replaced))


def non_finite_warning(replaced: tuple[str, ...], where: str = "the JSON output") -> str:
    """One warning line naming (up to five of) the places a non-finite number was nulled."""
    shown = ", ".join(replaced[:5]) + (f" and {len(replaced) - 5} more" if len(replaced) > 5
                                       else "")
    count = len(replaced)
    return (f"{count} number{'s' * (count != 1)} in {where} {'were' if count != 1 else 'was'} "
            f"not finite (NaN or infinite) and written as null: {shown}")


def _plain(value: Any, path: str, replaced: list[str]) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v, _join(path, str(k)), replaced) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, f"{path}[{i}]", replaced) for i, v in enumerate(value)]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _plain(value.tolist(), path, replaced)
    if isinstance(value, float) and not math.isfinite(value):
        replaced.append(path or "(the value)")
        return None
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


__all__ = ["JsonText", "json_text", "non_finite_warning"]
