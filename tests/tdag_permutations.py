"""Reordered copies of a study: the same statements and data in another order.

The language promises that statement order never matters, so a study and any reordering of
its `population`, `var`, edge, assumption (`shared` / `differs` / `partial`) and `data`
statements, and of the rows of its CSV files, must give the same estimate with the same
seed. Used by tests/estimate/test_synthesis_examples.py and
tests/benchmarks/bench_order_invariance.py (imported by name; pytest puts tests/ on the path).

A statement is a line starting in column 0 with everything indented below it (`because`,
`cite` continuation lines, the body of `study { ... }`); comment and blank lines travel with
the statement that follows them. Each kind keeps its slots in the file and the statements of
that kind are shuffled among them, so a permuted file stays in the file's own layout.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

ASSUMPTIONS = ("shared", "differs", "partial")
FIXED = ("tdag", "study", "estimate", "fit", "calibration", "decision", "}")


def statements(text: str) -> tuple[list[str], str]:
    """The file's statements (each with its leading comments) and the trailing text."""
    blocks: list[str] = []
    pending: list[str] = []
    for line in text.splitlines(keepends=True):
        starts = line[:1] not in ("", " ", "\t", "\n", "\r", "#", "}")
        if starts:
            blocks.append("".join(pending) + line)
            pending = []
        elif line.startswith(("#", "\n", "\r")) or not line.strip() or not blocks:
            pending.append(line)
        else:
            blocks[-1] += line
    return blocks, "".join(pending)


def kind(block: str) -> str:
    """The statement's kind: its keyword, `assumption`, or `edge`."""
    code = next(line for line in block.splitlines() if line and line[0] not in "# \t")
    word = code.split()[0]
    if word in ASSUMPTIONS:
        return "assumption"
    if word in ("population", "var", "data") or word in FIXED:
        return word
    return "edge"


def permuted_text(text: str, rng: random.Random) -> str:
    """`text` with the statements of every reorderable kind shuffled among their slots."""
    blocks, tail = statements(text)
    for name in ("population", "var", "edge", "assumption", "data"):
        slots = [i for i, b in enumerate(blocks) if kind(b) == name]
        contents = [_ending(blocks[i]) for i in slots]
        rng.shuffle(contents)
        for i, content in zip(slots, contents, strict=True):
            blocks[i] = content
    return "".join(blocks) + tail


def _ending(block: str) -> str:
    """A block that ends in a newline, so that moving it never joins two lines."""
    return block if block.endswith("\n") else block + "\n"


def shuffle_csv_rows(path: Path, rng: random.Random) -> None:
    """Shuffle a CSV file's data rows in place (the header stays first)."""
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    rng.shuffle(rows)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def permuted_copy(study: Path, folder: Path, seed: int, rows: bool = True) -> Path:
    """Copy the study's folder into `folder`, reorder its statements (and, with `rows`, the
    rows of every CSV under it) with `seed`; return the copy's .tdag path."""
    rng = random.Random(seed)
    copy = folder / study.parent.name
    shutil.copytree(study.parent, copy)
    target = copy / study.name
    target.write_text(permuted_text(study.read_text(encoding="utf-8"), rng), encoding="utf-8")
    if rows:
        for csv in sorted(copy.rglob("*.csv")):
            shuffle_csv_rows(csv, rng)
    return target
