"""A forgiving scan of the raw text: comments for the formatter, statement starts for
error recovery. It never fails, whatever the input."""

from __future__ import annotations

import re
from dataclasses import dataclass

from transport.syntax.grammar import STATEMENT_KEYWORDS

_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\\n]|\\.)*"?)
      |(?P<comment>\#[^\n]*)
      |(?P<newline>\n)
      |(?P<space>[^\S\n]+)
      |(?P<arrow><->|->|<-)
      |(?P<word>[^\W\d]\w*(?:-(?![->])\w*)*)
      |(?P<number>[+-]?(?:\d+(?:\.\d+)?|\.\d+))
      |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)

# Words that continue a statement when they begin a line.
_CONTINUATIONS = frozenset(
    {
        "for", "because", "cite", "sd", "experiment", "observational", "measures", "columns",
        "contrast", "in", "vs", "effect", "of", "on", "chains", "draws", "tune", "seed",
        "sampler", "cores", "target_accept", "treatment", "outcome", "source", "target",
        "if", "prob", "predictions", "cluster", "weight", "recode", "scale",
    }
)
_EXPECTS_MORE = frozenset({",", "=", "(", "->", "<-", "<->"})


@dataclass(frozen=True)
class RawComment:
    text: str
    start: int
    end: int


def comments(text: str) -> list[RawComment]:
    """Every `# ...` comment outside strings."""
    return [
        RawComment(m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup == "comment"
    ]


def statement_starts(text: str) -> list[int]:
    """Offsets where a statement plausibly begins: a statement keyword first on its line,
    or a name or `{` first on its line at bracket depth 0 that does not continue the
    previous line. Used only to resynchronise after a syntax error."""
    starts: list[int] = []
    depth = 0
    line_start = True
    previous = ""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "newline":
            line_start = True
            continue
        if kind in ("space", "comment"):
            continue
        begins = False
        if line_start:
            if kind == "word" and value in STATEMENT_KEYWORDS:
                begins = True
                depth = 0
            elif depth == 0 and previous not in _EXPECTS_MORE and (
                (kind == "word" and value not in _CONTINUATIONS) or value == "{"
            ):
                begins = True
        if begins or not starts:
            starts.append(match.start())
        if value in "{(" and kind == "other":
            depth += 1
        elif value in "})" and kind == "other":
            depth = max(0, depth - 1)
        previous = value
        line_start = False
    return starts
