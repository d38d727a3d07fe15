"""Seeded mutation fuzzing of the `.tdag` front end (parse + check).

Every input is a mutation of a bundled example or of the language brief's example: tokens
deleted, duplicated, swapped or replaced, random bytes and unicode inserted, names blown up
to 100,000 characters, braces and parentheses nested 10,000 deep. Each input goes through
`transport.api.check_source`; the outcome is one of

* ``clean``      -- checked without errors (warnings allowed);
* ``errors``     -- checked, with error diagnostics (no exception);
* ``TdagError``  -- raised TdagError (syntax errors);
* ``crash``      -- any other exception: a bug. The input is saved for the lead;
* ``bad-span``   -- no exception, but a diagnostic points outside the file or does not render.

Run from the repository root::

    /work/venv/bin/python tests/benchmarks/fuzz_parser.py            # 10,000 inputs, seed 2026
    /work/venv/bin/python tests/benchmarks/fuzz_parser.py -n 50000 --seed 7 --out /tmp/fuzz

The same seed gives the same inputs, so a reported count can be reproduced exactly.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz_vocabulary import LANGUAGE_WORDS, TOKEN  # noqa: E402

from transport.api import check_source  # noqa: E402
from transport.errors import Diagnostic, TdagError
from transport.source import Source

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE = ROOT / "docs" / "language.md"

WORDS = [*LANGUAGE_WORDS, "\n"]
ODD = ["\x00", "\ufeff", "\u2028", "\r", "\t", "\\", '"', "\U0001f600", "\u0301", "é", "ß", "-"]


def corpora() -> list[str]:
    """The bundled examples and the language reference's examples."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/*/study.tdag"))]
    texts += re.findall(r"```tdag\n(.*?)```", LANGUAGE.read_text(encoding="utf-8"), re.S)
    return texts


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def random_unicode(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        pick = rng.random()
        if pick < 0.3:
            out.append(rng.choice(ODD))
        elif pick < 0.6:
            out.append(chr(rng.randrange(0x20, 0x7F)))
        else:
            code = rng.randrange(0, 0x110000)
            out.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "?")
    return "".join(out)


def mutate(rng: random.Random, text: str) -> str:
    """One to four random edits of `text`."""
    parts = tokens(text)
    for _ in range(rng.randint(1, 4)):
        if not parts:
            parts = [""]
        i = rng.randrange(len(parts))
        op = rng.randrange(10)
        if op == 0:  # delete
            del parts[i]
        elif op == 1:  # duplicate
            parts.insert(i, parts[i])
        elif op == 2:  # swap
            j = rng.randrange(len(parts))
            parts[i], parts[j] = parts[j], parts[i]
        elif op == 3:  # replace with a keyword or punctuation
            parts[i] = rng.choice(WORDS)
        elif op == 4:  # insert a word
            parts.insert(i, " " + rng.choice(WORDS) + " ")
        elif op == 5:  # random bytes, decoded as latin-1
            parts.insert(
                i, bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))).decode("latin-1")
            )
        elif op == 6:  # random unicode
            parts.insert(i, random_unicode(rng, rng.randint(1, 12)))
        elif op == 7:  # a huge name
            names = [k for k, p in enumerate(parts) if re.fullmatch(r"[^\W\d]\w*", p)]
            k = rng.choice(names) if names else i
            parts[k] = rng.choice("abxé") * 100_000
        elif op == 8:  # deep nesting
            opener, closer = rng.choice([("{", "}"), ("(", ")")])
            depth = rng.choice([10, 1000, 10_000])
            closed = closer * depth if rng.random() < 0.5 else ""
            parts.insert(i, opener * depth + closed)
        else:  # cut the file short
            parts = parts[:i]
    return "".join(parts)


def diagnostic_problem(diagnostic: Diagnostic, source: Source) -> str | None:
    """Why a diagnostic is unusable (outside the file, does not render), else None."""
    span = diagnostic.span
    if span is None:
        return f"{diagnostic.code} has no position"
    if not 1 <= span.line <= source.line_count:
        return f"{diagnostic.code} line {span.line} outside 1..{source.line_count}"
    if not 1 <= span.column <= len(source.line_text(span.line)) + 1:
        return f"{diagnostic.code} column {span.column} outside line {span.line}"
    try:
        diagnostic.render(source)
        diagnostic.to_json()
    except Exception as error:  # noqa: BLE001 - the point is to catch anything
        return f"{diagnostic.code} does not render: {type(error).__name__}: {error}"
    return None


def classify(text: str) -> tuple[str, str | None]:
    """The outcome for one input, and a description when it is a bug."""
    source = Source(text, "<fuzz>")
    try:
        result = check_source(source)
    except TdagError as error:
        diagnostics = error.diagnostics
        if not diagnostics:
            return "bad-span", "TdagError without diagnostics"
        for d in diagnostics:
            problem = diagnostic_problem(d, source)
            if problem:
                return "bad-span", problem
        return "TdagError", None
    except RecursionError:
        return "crash", "RecursionError"
    except Exception:  # noqa: BLE001
        return "crash", traceback.format_exc(limit=-3)
    for d in result.diagnostics:
        problem = diagnostic_problem(d, source)
        if problem:
            return "bad-span", problem
    return ("errors" if result.errors else "clean"), None


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("-n", "--count", type=int, default=10_000)
    options.add_argument("--seed", type=int, default=2026)
    options.add_argument(
        "--out",
        type=Path,
        default=Path("fuzz-crashes"),
        help="folder for reproducers of crashes (created only if needed)",
    )
    args = options.parse_args(argv)

    rng = random.Random(args.seed)
    seeds = corpora()
    counts: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    total_chars = 0
    started = time.perf_counter()
    for index in range(args.count):
        text = mutate(rng, rng.choice(seeds))
        total_chars += len(text)
        outcome, detail = classify(text)
        counts[outcome] += 1
        if detail is not None:
            kind = detail.strip().splitlines()[-1][:120]
            kinds[kind] += 1
            if kinds[kind] <= 3:  # keep a few reproducers of each kind
                args.out.mkdir(parents=True, exist_ok=True)
                stem = args.out / f"case-{args.seed}-{index:06d}"
                stem.with_suffix(".tdag").write_text(text, encoding="utf-8", errors="surrogatepass")
                stem.with_suffix(".txt").write_text(detail, encoding="utf-8")
    elapsed = time.perf_counter() - started

    print(f"inputs: {args.count}  seed: {args.seed}  corpus: {len(seeds)} files")
    for outcome in ("clean", "errors", "TdagError", "crash", "bad-span"):
        print(f"  {outcome:10} {counts[outcome]:7d}")
    print(
        f"time: {elapsed:.1f} s  throughput: {args.count / elapsed:.0f} inputs/s, "
        f"{total_chars / elapsed / 1e6:.2f} M chars/s"
    )
    for kind, n in kinds.most_common():
        print(f"  bug x{n}: {kind}")
    if kinds:
        print(f"reproducers saved in {args.out}/")
    return 1 if counts["crash"] or counts["bad-span"] else 0


if __name__ == "__main__":
    sys.exit(main())
