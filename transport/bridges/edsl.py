"""Propose a `.tdag` study from an EDSL results file (CSV, JSON or JSONL export).

EDSL (Expected Parrot's survey tool for LLM agents) exports one row per agent x scenario x
model x iteration, with columns `answer.<question>`, `agent.<trait>`, `scenario.<field>`,
`model.model`, `iteration.iteration`, `question_options.<question>_question_options`, ...
The binding rule (docs/edsl.md):

* every `answer.<q>` is a variable `q`; its type comes from the question: two options are
  binary (Yes/True = 1, otherwise the first option = 1), Likert and linear-scale questions
  and ordered options are ordinal, more options categorical, numerical questions continuous
  (count when every answer is a whole number >= 0); answer strings become numbers through
  a `recode` clause;
* every `agent.<trait>` and `scenario.<field>` that varies is a variable, typed from its
  values (EDSL's own bookkeeping columns, such as `agent.agent_index`, are not);
* scenario fields are crossed with agents by EDSL's design, so the first is the treatment
  (`experiment(...)`); the first answer is the outcome; each trait and field points at
  each answer;
* rows of one agent (several scenarios, iterations or models) are clustered on the agent
  (`cluster "agent.agent_index"`);
* with `--split-by model`, one source population per `model.model` value (any other
  column may be named instead), each with its own data file.

It proposes; it does not assume: no mechanism is declared shared. A human target is
declared without data, with comments saying what to add.
"""

from __future__ import annotations

import ast as pyast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from transport.errors import DataError, UsageError
from transport.syntax.grammar import STATEMENT_KEYWORDS

if TYPE_CHECKING:
    import pandas as pd

BOOKKEEPING = {"agent.agent_index", "agent.agent_name", "agent.agent_instruction",
               "scenario.scenario_index"}
ORDERED_TYPES = {"likert_five", "linear_scale", "rank"}
YES = {"yes", "true", "y", "1"}
NO = {"no", "false", "n", "0"}
SPLIT_ALIASES = {"model": "model.model"}
_NAME = re.compile(r"[^\W\d]\w*\Z")


@dataclass(frozen=True)
class ProposedVariable:
    """One variable and how the results file writes it."""

    name: str
    column: str
    kind: str  # binary, ordinal, categorical, continuous, count
    levels: tuple[str, ...] = ()  # categorical levels, or (low, high) of an ordinal
    recode: tuple[tuple[str, str], ...] = ()  # raw cell string -> value
    origin: str = "answer"  # answer, agent or scenario
    label: str | None = None

    def type_text(self) -> str:
        if self.kind == "ordinal":
            return f"ordinal({self.levels[0]}..{self.levels[1]})"
        if self.kind == "categorical":
            return f"categorical({', '.join(_level(v) for v in self.levels)})"
        return self.kind


@dataclass(frozen=True)
class ProposedData:
    population: str
    path: str
    rows: int
    frame: pd.DataFrame | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Proposal:
    """A study proposed from a results file; `to_tdag()` writes it."""

    origin: str
    variables: tuple[ProposedVariable, ...]
    data: tuple[ProposedData, ...]
    treatment: str | None
    outcome: str | None
    cluster: str | None
    notes: tuple[str, ...]

    def to_tdag(self) -> str:
        return _write(self)


def _level(value: str) -> str:
    from transport.syntax.unparse import quote

    return value if _NAME.match(value) and value not in _KEYWORDS else quote(value)


_KEYWORDS = STATEMENT_KEYWORDS  # a level spelled like a statement keyword is quoted


# --- reading -----------------------------------------------------------------------------


def read_results(path: Path) -> tuple[pd.DataFrame, dict[str, dict]]:
    """The results as flat EDSL columns, and per question its `options` and `type` where
    the file records them."""
    import pandas as pd

    if not path.is_file():
        raise UsageError(f"file not found: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif suffix == ".jsonl":
            frame, questions = _read_jsonl(path)
            return frame, questions | _questions_from_columns(frame)
        elif suffix == ".json":
            frame = _read_json(path)
        else:
            raise UsageError(f"{path}: an EDSL results file is .csv, .json or .jsonl, "
                             f"not '{path.suffix}'")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(f"{path}: cannot be read: {first}") from None
    return frame, _questions_from_columns(frame)


def _read_json(path: Path) -> pd.DataFrame:
    """EDSL's `Dataset.to_json()` (a list of one-column dicts) or a list of records."""
    import pandas as pd

    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list) and data and all(isinstance(d, dict) and len(d) == 1
                                               and isinstance(next(iter(d.values())), list)
                                               for d in data):
        columns = {k: v for d in data for k, v in d.items()}
    elif isinstance(data, list):
        columns = pd.DataFrame.from_records(data).to_dict(orient="list")
    elif isinstance(data, dict):
        columns = data
    else:
        raise DataError(f"{path}: not an EDSL results export (expected a list or an object)")
    return pd.DataFrame({k: [_cell(v) for v in vs] for k, vs in columns.items()})


def _read_jsonl(path: Path) -> tuple[pd.DataFrame, dict[str, dict]]:
    """EDSL's `Results.to_jsonl()`: header lines, one line per question, one per result."""
    import pandas as pd

    questions: dict[str, dict] = {}
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}: line {number} is not JSON ({error.msg})") from None
        if "question_name" in record and "answer" not in record:
            questions[record["question_name"]] = {
                "options": record.get("question_options"), "type": record.get("question_type")}
        elif "answer" in record and isinstance(record["answer"], dict):
            rows.append(_flatten_result(record))
        elif "answer" not in record and not record.get("__header__") and rows == [] \
                and any("." in k for k in record):
            rows.append({k: _cell(v) for k, v in record.items()})  # flat records
    if not rows:
        raise DataError(f"{path}: no results found (expected EDSL's Results.to_jsonl())")
    return pd.DataFrame(rows).fillna(""), questions


def _flatten_result(record: dict) -> dict[str, str]:
    row: dict[str, str] = {}
    for name, value in record["answer"].items():
        row[f"answer.{name}"] = _cell(value)
    agent = record.get("agent", {})
    for name, value in agent.get("traits", {}).items():
        row[f"agent.{name}"] = _cell(value)
    indices = record.get("indices", {})
    if "agent" in indices:
        row["agent.agent_index"] = _cell(indices["agent"])
    for name, value in record.get("scenario", {}).items():
        if name not in ("edsl_version", "edsl_class_name"):
            row[f"scenario.{name}"] = _cell(value)
    model = record.get("model", {})
    row["model.model"] = _cell(model.get("model", ""))
    for name, value in model.get("parameters", {}).items():
        row[f"model.{name}"] = _cell(value)
    row["iteration.iteration"] = _cell(record.get("iteration", 0))
    return row


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _questions_from_columns(frame: pd.DataFrame) -> dict[str, dict]:
    questions: dict[str, dict] = {}
    for column in frame.columns:
        match = re.fullmatch(r"question_options\.(.+)_question_options", str(column))
        if match:
            options = _options(frame[column])
            questions.setdefault(match.group(1), {})["options"] = options
        match = re.fullmatch(r"question_type\.(.+)_question_type", str(column))
        if match:
            kinds = [v for v in frame[column] if v]
            questions.setdefault(match.group(1), {})["type"] = kinds[0] if kinds else None
    return questions


def _options(column) -> list | None:
    for text in column:
        if not text:
            continue
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, TypeError):
            try:
                value = pyast.literal_eval(text)
            except (ValueError, SyntaxError):
                continue
        if isinstance(value, list | tuple):
            return [str(_cell(v)) for v in value]
    return None


# --- typing ------------------------------------------------------------------------------


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v != ""))


def _binary_recode(values: list[str]) -> tuple[tuple[str, str], ...] | None:
    """Yes/No-like pairs: yes = 1. None when the pair is not of that kind."""
    lowered = {v.strip().lower() for v in values}
    if lowered <= YES | NO and lowered & YES and lowered & NO:
        return tuple((v, "1" if v.strip().lower() in YES else "0") for v in values
                     if not re.fullmatch(r"[01]", v.strip()))
    return None


def infer_variable(name: str, column: str, values: list[str], origin: str,
                   question: dict | None = None) -> tuple[ProposedVariable | None, str | None]:
    """The variable a column holds, or None with the reason it is not one."""
    question = question or {}
    distinct = _distinct(values)
    options = question.get("options")
    qtype = question.get("type")
    if len(distinct) < 2 and origin != "answer":
        return None, f"{column} has one value ({distinct[0] if distinct else 'empty'})"
    if qtype == "numerical" or (not options and all(_as_number(v) is not None
                                                    for v in distinct)):
        numbers = [_as_number(v) for v in distinct]
        whole = all(n is not None and n.is_integer() for n in numbers)
        if whole and set(numbers) <= {0.0, 1.0} and len(distinct) == 2:
            return ProposedVariable(name, column, "binary", origin=origin), None
        if whole and qtype != "numerical" and len(distinct) <= 11:
            low, high = int(min(numbers)), int(max(numbers))
            return ProposedVariable(name, column, "ordinal", (str(low), str(high)),
                                    origin=origin), None
        if whole and min(numbers) >= 0:
            return ProposedVariable(name, column, "count", origin=origin), None
        return ProposedVariable(name, column, "continuous", origin=origin), None
    choices = [str(o) for o in options] if options else distinct
    if qtype in ORDERED_TYPES and options:
        if all(_as_number(o) is not None for o in choices):
            numbers = [int(float(o)) for o in choices]
            return ProposedVariable(name, column, "ordinal",
                                    (str(min(numbers)), str(max(numbers))), origin=origin), None
        recode = tuple((o, str(i + 1)) for i, o in enumerate(choices))
        return ProposedVariable(name, column, "ordinal", ("1", str(len(choices))), recode,
                                origin=origin), None
    if len(choices) == 2:
        recode = _binary_recode(choices)
        if recode is None:
            recode = ((choices[0], "1"), (choices[1], "0"))
        return ProposedVariable(name, column, "binary", recode=recode, origin=origin), None
    return ProposedVariable(name, column, "categorical", tuple(choices), origin=origin), None


# --- the proposal ------------------------------------------------------------------------


def _population_name(value: str, taken: set[str], prefix: str) -> str:
    base = re.sub(r"\W+", "_", value).strip("_").lower() or prefix
    if not _NAME.match(base):
        base = f"{prefix}_{base}"
    name, k = base, 2
    while name in taken or name in _KEYWORDS:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


def propose(path: str | Path, split_by: str | None = None,
            out_dir: Path | None = None) -> Proposal:
    """A study proposal for the results at `path`; data files that must be written (one
    per population when split, or a CSV for JSON input) are returned in `data[i].frame`
    with the path they should have relative to `out_dir`."""
    import os

    path = Path(path)
    frame, questions = read_results(path)
    answers = [c for c in frame.columns if str(c).startswith("answer.")]
    if not answers:
        raise DataError(f"{path}: no answer.<question> columns: is this an EDSL results "
                        "export?")
    notes: list[str] = []
    variables: list[ProposedVariable] = []
    taken = set(_KEYWORDS)
    for origin in ("scenario", "agent", "answer"):
        for column in frame.columns:
            column = str(column)
            if not column.startswith(origin + ".") or column in BOOKKEEPING:
                continue
            stem = column.split(".", 1)[1]
            name = re.sub(r"\W", "_", stem)
            if not _NAME.match(name):
                name = f"{origin}_{name}"
            if name in taken:
                name = f"{origin}_{name}"
            variable, reason = infer_variable(name, column, list(frame[column]), origin,
                                              questions.get(stem) if origin == "answer"
                                              else None)
            if variable is None:
                notes.append(f"not a variable: {reason}")
                continue
            taken.add(variable.name)
            variables.append(variable)
    treatment = next((v.name for v in variables if v.origin == "scenario"), None)
    outcome = next((v.name for v in variables if v.origin == "answer"), None)
    if treatment is None:
        notes.append("no scenario field varies, so there is no randomised treatment: add "
                     "the effect of interest yourself")
    cluster = _cluster_column(frame, notes)
    split_column = SPLIT_ALIASES.get(split_by, split_by) if split_by else None
    if split_column is not None and split_column not in frame.columns:
        raise UsageError(f"--split-by {split_by}: the results have no column "
                         f"'{split_column}'")
    keep = [v.column for v in variables] + ([cluster] if cluster else [])
    if split_column is not None and split_column not in keep:
        keep.append(split_column)
    must_write = split_column is not None or path.suffix.lower() != ".csv"
    base = out_dir if out_dir is not None else Path.cwd()
    data: list[ProposedData] = []
    pops: set[str] = {"human"} | taken
    if split_column is None:
        models = _distinct(frame.get("model.model", []))
        name = _population_name(models[0], pops, "llm") if len(models) == 1 else "llm"
        if must_write:
            data.append(ProposedData(name, f"{path.stem}.csv", len(frame), frame[keep]))
        else:
            data.append(ProposedData(name, os.path.relpath(path.resolve(), base.resolve()),
                                     len(frame)))
    else:
        prefix = split_column.rsplit(".", 1)[-1]
        for value in _distinct(frame[split_column]):
            name = _population_name(value, pops, prefix)
            rows = frame[frame[split_column] == value][keep]
            data.append(ProposedData(name, f"{path.stem}_{name}.csv", len(rows), rows))
    return Proposal(str(path), tuple(variables), tuple(data), treatment, outcome, cluster,
                    tuple(notes))


def _cluster_column(frame: pd.DataFrame, notes: list[str]) -> str | None:
    """The agent column when an agent answers in several rows (iterations, scenarios or
    models), so that its rows are not counted as independent."""
    for column in ("agent.agent_index", "agent.agent_name"):
        if column in frame.columns:
            ids = frame[column]
            if ids.nunique() < len(ids):
                return column
            return None
    if "iteration.iteration" in frame.columns and frame["iteration.iteration"].nunique() > 1:
        notes.append("several iterations but no agent column to cluster them on: add "
                     "`cluster \"...\"` naming the column that identifies an agent")
    return None


# --- writing -----------------------------------------------------------------------------


def _write(p: Proposal) -> str:
    from transport.syntax.unparse import quote

    lines = [f"# Proposed by `transport import-edsl` from {Path(p.origin).name}.",
             "# Every type, recode and edge below is a proposal read off the results: check",
             "# each one. No mechanism is declared: `transport check` lists those the effect",
             "# depends on; state each as shared, differs or partial, with a reason.",
             "tdag 1", ""]
    width = max(len(d.population) for d in p.data + (ProposedData("human", "", 0),))
    for d in p.data:
        lines.append(f"population {d.population.ljust(width)} source "
                     f"{quote(f'LLM agents ({d.rows} rows of {Path(d.path).name})')}")
    lines.append(f"population {'human'.ljust(width)} target \"People\"")
    lines.append("")
    name_width = max(len(v.name) for v in p.variables)
    type_width = max(len(v.type_text()) for v in p.variables)
    for v in p.variables:
        role = " treatment" if v.name == p.treatment else " outcome" if v.name == p.outcome \
            else ""
        lines.append(f"var {v.name.ljust(name_width)} {v.type_text().ljust(type_width)}"
                     f"{role}".rstrip())
    lines.append("")
    causes = [v.name for v in p.variables if v.origin in ("scenario", "agent")]
    effects = [v.name for v in p.variables if v.origin == "answer"]
    if causes and effects:
        left = causes[0] if len(causes) == 1 else "{" + " ".join(causes) + "}"
        right = effects[0] if len(effects) == 1 else "{" + " ".join(effects) + "}"
        lines += ["# Proposed: every agent trait and scenario field may affect every answer.",
                  f"{left} -> {right}", ""]
    measured = ", ".join(v.name for v in p.variables)
    design = f"experiment({p.treatment})" if p.treatment else "observational"
    for d in p.data:
        lines.append(f"data {d.population} {quote(d.path)} {design} measures({measured})")
        bindings = ", ".join(f"{v.name} = {quote(v.column)}" for v in p.variables)
        lines.append(f"  columns {{ {bindings} }}")
        for v in p.variables:
            if v.recode:
                pairs = ", ".join(f"{quote(raw)} = {value}" for raw, value in v.recode)
                lines.append(f"  recode {v.name} {{ {pairs} }}")
        if p.cluster:
            lines.append(f"  cluster {quote(p.cluster)}")
    lines += ["", "# The human target has no data yet; for example:",
              f"# data human \"people.csv\" observational measures("
              f"{', '.join(v.name for v in p.variables if v.origin == 'agent') or '...'})"]
    for note in p.notes:
        lines.append(f"# Note: {note}")
    lines.append("")
    if p.treatment and p.outcome:
        query = f"estimate effect of {p.treatment} on {p.outcome} in human"
        treatment = next(v for v in p.variables if v.name == p.treatment)
        if treatment.kind == "categorical":
            first, second = treatment.levels[:2]
            query += f" contrast {_level(first)} vs {_level(second)}"
        lines.append(query)
    else:
        lines.append("# estimate effect of X on Y in human")
    return "\n".join(lines) + "\n"


__all__ = ["Proposal", "ProposedData", "ProposedVariable", "infer_variable", "propose",
           "read_results"]
