"""A hostile-input corpus for the whole command line: language, data, outputs and escapes.

Each case is a folder of files and one `transport` command line run inside it. The corpus
is generated from a seed, so the same seed gives the same cases:

- **language**: the bundled framing study mutated (bytes inserted, deleted and replaced,
  lines shuffled and doubled, keywords swapped, control characters, huge numbers, long
  names, a BOM, Windows line endings), run through check, fmt, graph, identify and prereg;
- **data**: a small study (binary, categorical and ordinal variables, so that the
  exact path keeps it quick) whose data files are corrupted (infinities, 1e20, NA spellings,
  empty cells, duplicated headers, invalid UTF-8, ragged rows, binary junk, empty files,
  folders and FIFOs in place of files, escapes in cells and headers), run through estimate
  and report;
- **outputs**: writing where it cannot or should not (an existing file without --force, a
  folder in place of a file, a report folder holding other files or that is a file);
- **escapes**: every string field of a study carries terminal escape sequences, run through
  every text command; the output must hold no raw control character.

`python tests/hostile/generate.py OUT [--seed N] [--run]` writes the corpus under OUT and,
with --run, runs it and prints the counts (docs/performance.md records them).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRAMING = (ROOT / "examples" / "framing" / "study.tdag").read_text(encoding="utf-8")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")

ESCAPES = ("\x1b]0;owned\x07", "\x1b[2J", "\x1b[31m", "\x0c", "\x00", "\x9b31m", "\u202e",
           "\r", "\x08\x08")

SMALL = """\
study "Small {text}" {{
  question "Q {text}"
}}
population gpt source "G {text}"
population human target "H {text}"
var x binary "X {text}" treatment
var a categorical(young, old) "A {text}"
var n ordinal(0..5) "N {text}"
var y binary "Y {text}" outcome
a -> y
n -> y
x -> y
shared y because "B {text}" cite "C {text}"
differs a, n because "D {text}"
hypothesis "H1 {text}"
data gpt "gpt.csv" experiment(x)
data human "human.csv" observational measures(a, n)
estimate effect of x on y in human
"""


def _gpt_rows(rng: random.Random, count: int = 60) -> list[list[str]]:
    return [[str(rng.randint(0, 1)), rng.choice(("young", "old")), str(rng.randint(0, 5)),
             str(rng.randint(0, 1))] for _ in range(count)]


def _human_rows(rng: random.Random, count: int = 40) -> list[list[str]]:
    return [[rng.choice(("young", "old")), str(rng.randint(0, 5))] for _ in range(count)]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in [header, *rows]) + "\n"


@dataclass
class Case:
    """Files to create (name -> text, bytes, or a special marker) and the argv to run."""

    kind: str
    name: str
    files: dict[str, object]
    argv: list[str]
    escapes: bool = False
    extra: dict[str, str] = field(default_factory=dict)


FIFO, FOLDER = object(), object()
GPT_HEADER = ["x", "a", "n", "y"]
HUMAN_HEADER = ["a", "n"]


# --- language -------------------------------------------------------------------------------

def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    choice = rng.randrange(12)
    if choice == 0 and text:  # delete a span
        i = rng.randrange(len(text))
        return text[:i] + text[i + rng.randint(1, 40):]
    if choice == 1:  # insert random characters
        i = rng.randrange(len(text) + 1)
        junk = "".join(chr(rng.choice((rng.randrange(32, 127), rng.randrange(0, 0x3000))))
                       for _ in range(rng.randint(1, 12)))
        return text[:i] + junk + text[i:]
    if choice == 2:  # shuffle lines
        rng.shuffle(lines)
        return "".join(lines)
    if choice == 3 and lines:  # double a line
        i = rng.randrange(len(lines))
        return "".join(lines[: i + 1] + lines[i:])
    if choice == 4:  # swap keywords
        words = ["shared", "differs", "partial", "data", "var", "population", "estimate",
                 "fit", "->", "<->", "{", "}", "(", ")", ",", "sd", "for", "because"]
        a, b = rng.sample(words, 2)
        return text.replace(a, b, rng.randint(1, 3))
    if choice == 5:  # control characters inside strings and outside them
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice(ESCAPES) + text[i:]
    if choice == 6:  # huge and odd numbers
        value = rng.choice(("1e999", "-0", "1e-999", "99999999999999999999", "0.0000001",
                            "1..2", "+5", ".5"))
        return re.sub(r"\d+", value, text, count=rng.randint(1, 4))
    if choice == 7:  # a long name
        return text.replace("age_group", "a" * rng.choice((300, 5000, 60000)), 2)
    if choice == 8:  # BOM and Windows line endings
        return "\ufeff" + text.replace("\n", "\r\n")
    if choice == 9:  # big levels and fit settings
        return text + rng.choice((
            "var big ordinal(1..100000)\n", "fit draws 1000000000\n", "fit chains 0\n",
            "fit seed -1\n", "var c categorical(" + ", ".join(f"l{i}" for i in range(500))
            + ")\n", "partial choose_risky sd 1e999 for gpt\n"))
    if choice == 10:  # cut the file short
        return text[: rng.randrange(len(text) + 1)]
    return text.replace('"', "", rng.randint(1, 3))  # unbalanced quotes


LANGUAGE_COMMANDS = (
    ["check", "study.tdag"], ["check", "study.tdag", "--format", "json"],
    ["fmt", "--stdout", "study.tdag"], ["fmt", "--check", "study.tdag"],
    ["graph", "study.tdag", "--format", "dot"], ["graph", "study.tdag", "--format", "graphml"],
    ["graph", "study.tdag", "--format", "mermaid"], ["identify", "study.tdag"],
    ["prereg", "study.tdag"],
)


def language_cases(rng: random.Random, count: int) -> Iterator[Case]:
    for k in range(count):
        text = FRAMING
        for _ in range(rng.randint(1, 3)):
            text = _mutate(text, rng)
        data: object = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.05:  # not UTF-8 at all
            data = text.encode("utf-8")[:200] + bytes([0xff, 0xfe, 0x80]) + b"\n"
        yield Case("language", f"language-{k:04d}", {"study.tdag": data},
                   list(rng.choice(LANGUAGE_COMMANDS)))


# --- data -----------------------------------------------------------------------------------

def _corrupt_rows(rows: list[list[str]], column: int, rng: random.Random) -> str | None:
    value = rng.choice(("inf", "-inf", "1e20", "NaN", "NA", "None", "null", "", " ", "3.5",
                        "-1", "yes", "1e308", "0x10", "\x1b[31m1", "young\x00", "é" * 500,
                        "9" * 400))
    for row in rng.sample(rows, rng.randint(1, 5)):
        row[column] = value
    return value


def _data_file(rng: random.Random, header: list[str], rows: list[list[str]]) -> object:
    choice = rng.randrange(13)
    if choice <= 3:
        _corrupt_rows(rows, rng.randrange(len(header)), rng)
        return _csv(header, rows)
    if choice == 4:  # a header named twice
        doubled = header + [header[rng.randrange(len(header))]]
        return _csv(doubled, [r + [r[0]] for r in rows])
    if choice == 5:  # invalid UTF-8 in a row
        text = _csv(header, rows).encode()
        i = rng.randrange(len(text))
        return text[:i] + bytes([rng.choice((0xff, 0xc3, 0x80))]) + text[i:]
    if choice == 6:  # ragged rows
        return _csv(header, [r[: rng.randint(0, len(r))] + ["x"] * rng.randint(0, 2)
                             for r in rows])
    if choice == 7:
        return rng.choice(("", "\n", _csv(header, []), "a,b\n1,2\n"))
    if choice == 8:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
    if choice == 9:
        return rng.choice((FIFO, FOLDER))
    if choice == 10:  # escapes in the header
        return _csv([h + rng.choice(ESCAPES) for h in header], rows)
    if choice == 11:  # a single row
        return _csv(header, rows[:1])
    return _csv(header, rows)  # clean (the other file is the broken one)


DATA_COMMANDS = (["estimate", "study.tdag", "--no-checks", "--no-robustness", "--draws", "200"],
                 ["estimate", "study.tdag", "--no-checks", "--no-robustness", "--draws", "200",
                  "--drop-missing", "--format", "json"],
                 ["report", "study.tdag", "-o", "out", "--quiet", "--force"])


def data_cases(rng: random.Random, count: int) -> Iterator[Case]:
    study = SMALL.format(text="")
    for k in range(count):
        files: dict[str, object] = {"study.tdag": study}
        # one file broken at a time (mostly), so that every corruption is reached
        gpt, human = _gpt_rows(rng), _human_rows(rng)
        files["gpt.csv"] = _csv(GPT_HEADER, gpt) if k % 3 == 0 else _data_file(
            rng, GPT_HEADER, gpt)
        files["human.csv"] = _data_file(rng, HUMAN_HEADER, human) if k % 2 == 0 else _csv(
            HUMAN_HEADER, human)
        command = DATA_COMMANDS[2] if k % 20 == 0 else rng.choice(DATA_COMMANDS[:2])
        yield Case("data", f"data-{k:04d}", files, list(command))


# --- outputs --------------------------------------------------------------------------------

def output_cases(rng: random.Random) -> Iterator[Case]:
    study = SMALL.format(text="")
    base = {"study.tdag": study}
    yield Case("outputs", "graph-over-existing", {**base, "g.dot": "mine"},
               ["graph", "study.tdag", "-o", "g.dot"])
    yield Case("outputs", "graph-into-folder", {**base, "g.dot": FOLDER},
               ["graph", "study.tdag", "-o", "g.dot", "--force"])
    yield Case("outputs", "prereg-over-existing", {**base, "p.md": "mine"},
               ["prereg", "study.tdag", "-o", "p.md"])
    yield Case("outputs", "report-folder-is-a-file", {**base, "out": "a file"},
               ["report", "study.tdag", "-o", "out", "--quiet"])
    yield Case("outputs", "report-folder-with-other-files",
               {**base, "out/notes.txt": "mine"}, ["report", "study.tdag", "-o", "out",
                                                   "--quiet", "--force"])
    yield Case("outputs", "report-over-existing", {**base, "out/report.md": "mine"},
               ["report", "study.tdag", "-o", "out", "--quiet"])
    yield Case("outputs", "report-file-is-a-folder", {**base, "out/report.md": FOLDER},
               ["report", "study.tdag", "-o", "out", "--quiet", "--force"])
    yield Case("outputs", "calibrate-over-existing", {"p.csv": "l,h,s\n1,1,.1\n2,2,.1\n3,1,.1\n",
                                                       "c.json": "mine"},
               ["calibrate", "p.csv", "--llm", "l", "--human", "h", "--se", "s", "-o", "c.json",
                "--draws", "100"])
    yield Case("outputs", "import-dagitty-fifo", {"m.txt": FIFO}, ["import-dagitty", "m.txt"])
    yield Case("outputs", "check-missing", {}, ["check", "nothing.tdag"])
    yield Case("outputs", "check-folder", {"f.tdag": FOLDER}, ["check", "f.tdag"])
    yield Case("outputs", "check-fifo", {"f.tdag": FIFO}, ["check", "f.tdag"])
    for option, value in (("--seed", "-1"), ("--draws", "0"), ("--draws", "-5"),
                          ("--draws", "1000000000"), ("--seed", "x")):
        yield Case("outputs", f"estimate{option}{value}", base,
                   ["estimate", "study.tdag", f"{option}={value}"])
    del rng


# --- escapes --------------------------------------------------------------------------------

ESCAPE_COMMANDS = (["check", "study.tdag"], ["identify", "study.tdag"], ["prereg", "study.tdag"],
                   ["graph", "study.tdag"], ["graph", "study.tdag", "--format", "graphml"],
                   ["graph", "study.tdag", "--format", "mermaid"],
                   ["graph", "study.tdag", "--format", "json"],
                   ["check", "study.tdag", "--format", "json"],
                   ["identify", "study.tdag", "--format", "json"],
                   ["estimate", "study.tdag", "--no-checks", "--no-robustness", "--draws", "200"],
                   ["report", "study.tdag", "-o", "out", "--quiet"])


def escape_cases(rng: random.Random) -> Iterator[Case]:
    for k, command in enumerate(ESCAPE_COMMANDS):
        text = "".join(rng.sample(ESCAPES, 4)) + "|`x`|<script>alert(1)</script>"
        header = [h + rng.choice(ESCAPES) if i == 1 else h for i, h in enumerate(HUMAN_HEADER)]
        files = {"study.tdag": SMALL.format(text=text.replace('"', "")),
                 "gpt.csv": _csv(GPT_HEADER, _gpt_rows(rng)),
                 "human.csv": _csv(header if k % 2 else HUMAN_HEADER, _human_rows(rng))}
        yield Case("escapes", f"escapes-{k:02d}", files, list(command), escapes=True)


def corpus(seed: int = 14, language: int = 2000, data: int = 200) -> list[Case]:
    """Every case, in a fixed order for a seed."""
    rng = random.Random(seed)
    return [*language_cases(rng, language), *data_cases(rng, data), *output_cases(rng),
            *escape_cases(rng)]


# --- writing and running --------------------------------------------------------------------

def write_case(case: Case, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is FIFO:
            os.mkfifo(path)
        elif content is FOLDER:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(str(content).encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Outcome:
    case: Case
    code: int
    out: str
    err: str
    raw_in_files: tuple[str, ...] = ()

    @property
    def problems(self) -> list[str]:
        """What is wrong with this outcome (empty when the case passed)."""
        found = []
        if self.code == 3 or "internal error" in self.err:
            found.append(f"internal error: {self.err.strip()[:300]}")
        if "Traceback" in self.err or "Traceback" in self.out:
            found.append("a traceback")
        if self.code not in (0, 1, 2):
            found.append(f"exit code {self.code}")
        raw = RAW_CONTROL.findall(self.err) + (
            [] if self.case.argv[:2] == ["fmt", "--stdout"] else RAW_CONTROL.findall(self.out))
        if raw:
            found.append(f"raw control characters {sorted(set(raw))!r}")
        found += [f"raw control characters in {name}" for name in self.raw_in_files]
        return found


def run_case(case: Case, folder: Path) -> Outcome:
    """Run one case in-process (transport.cli.main) inside its folder."""
    import warnings

    from transport.cli import main

    write_case(case, folder)
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(case.argv)
    finally:
        os.chdir(here)
    raw_in_files: tuple[str, ...] = ()
    if case.escapes and (folder / "out").is_dir():
        raw_in_files = tuple(
            path.name for path in sorted((folder / "out").iterdir())
            if RAW_CONTROL.search(path.read_text(encoding="utf-8", errors="replace")))
    return Outcome(case, code, out.getvalue(), err.getvalue(), raw_in_files)


def run_corpus(cases: list[Case], root: Path) -> tuple[Counter, list[Outcome]]:
    """(counts by kind and exit code, the outcomes with problems)."""
    counts: Counter = Counter()
    failures = []
    for case in cases:
        outcome = run_case(case, root / case.name)
        counts[(case.kind, outcome.code)] += 1
        if outcome.problems:
            failures.append(outcome)
    return counts, failures


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("out", type=Path)
    options.add_argument("--seed", type=int, default=14)
    options.add_argument("--language", type=int, default=2000)
    options.add_argument("--data", type=int, default=200)
    options.add_argument("--run", action="store_true")
    args = options.parse_args()
    cases = corpus(args.seed, args.language, args.data)
    if not args.run:
        for case in cases:
            write_case(case, args.out / case.name)
        print(f"wrote {len(cases)} cases under {args.out}")
        return
    import time

    start = time.perf_counter()
    counts, failures = run_corpus(cases, args.out)
    seconds = time.perf_counter() - start
    kinds = sorted({kind for kind, _ in counts})
    print(f"{len(cases)} cases in {seconds:.0f} s; exit codes by kind:")
    print("| kind | cases | exit 0 | exit 1 | exit 2 | exit 3 |")
    print("|---|---|---|---|---|---|")
    for kind in kinds:
        row = [counts[(kind, c)] for c in (0, 1, 2, 3)]
        print(f"| {kind} | {sum(row)} | " + " | ".join(map(str, row)) + " |")
    print(f"problems: {len(failures)}")
    for outcome in failures[:20]:
        print(f"  {outcome.case.name} {outcome.case.argv}: {outcome.problems}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
