"""The report as values: the study's sections, the typed Identification and the estimation
(an EstimateResult when there is one), which the HTML and Markdown renderers read and from
which `report.json` is produced at the edge (`ReportContent.to_json`), so the three files
cannot disagree.

`build_content` runs the pipeline stages the report shows (identification always;
estimation only when every data file exists) and never fails for a study that checks: a
planning-stage study gets a report that says which files are missing, and a refusal to
estimate is reported with its reason.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transport.errors import DataError
from transport.identification.api import Identification
from transport.identification.suggest import Suggestion
from transport.report.sentences import assumption_sentences
from transport.study import Study

if TYPE_CHECKING:
    from transport.estimate.result import EstimateResult

#: Version of the report.json layout (fields may be added; none removed or renamed).
SCHEMA_VERSION = 1

_VERDICT = {
    "transportable": "transportable",
    "not_transportable": "not transportable (proved: no formula exists under these "
    "assumptions and data)",
    "not_found": "no formula found (the data measure too little for the complete algorithms; "
    "not a proof that none exists)",
}


@dataclass(frozen=True)
class Estimation:
    """Whether the report has an estimate: `status` is estimated, missing_data, refused or
    data_error; `message` says why there is none; `result` is the estimate itself."""

    status: str
    message: str | None = None
    missing_files: tuple[str, ...] = ()
    result: EstimateResult | None = None

    def to_json(self, density: str | None) -> dict[str, Any]:
        """The `estimation` section of report.json (`density`: how the density figure was
        drawn, None without one)."""
        return {"status": self.status, "message": self.message,
                "missing_files": list(self.missing_files),
                "result": None if self.result is None else self.result.to_json(),
                "density": density}


@dataclass(frozen=True)
class ReportContent:
    """Every section of the report: the study, its assumptions and the reproducibility
    record as plain sections, the identification and the estimation as typed values."""

    study: dict[str, Any]
    assumptions: list[dict[str, Any]]
    identification: Identification
    estimation: Estimation
    reproducibility: dict[str, Any]

    @property
    def result(self) -> EstimateResult | None:
        """The estimate, when there is one (the figures are drawn from it)."""
        return self.estimation.result

    def to_json(self, diagram: dict[str, Any], figures: dict[str, str],
                density: str | None) -> dict[str, Any]:
        """report.json: the same values the HTML and Markdown show, with the diagram's
        nodes and edges, the figure files written and how the density was drawn."""
        return {
            "schema_version": SCHEMA_VERSION,
            "study": self.study,
            "diagram": diagram,
            "assumptions": self.assumptions,
            "identification": identification_section(self.identification),
            "estimation": self.estimation.to_json(density),
            "reproducibility": self.reproducibility,
            "figures": figures,
        }


def sha256_of(path: Path) -> str | None:
    """Hex sha256 of a file's bytes, None when it does not exist."""
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_rows(path: Path) -> tuple[int | None, str | None]:
    """(rows, problem): rows of a readable table, or why it could not be read."""
    from transport.data.load import read_table

    try:
        return len(read_table(path)), None
    except DataError as error:
        return None, str(error)


def study_section(study: Study, known_rows: dict[tuple[str, str], int] | None = None
                  ) -> dict[str, Any]:
    """Title, question, authors, populations, variables, data statements (with whether each
    file exists, its rows and digest), hypotheses and the decision rule. `known_rows` are
    row counts the estimate already has (so large files are not read twice)."""
    from transport.data.load import resolve

    known_rows = known_rows or {}
    data = []
    for spec in study.data:
        path = resolve(spec, study)
        exists = path.is_file()
        rows, problem = None, None
        if (spec.population, spec.path) in known_rows:
            rows = known_rows[(spec.population, spec.path)]
        elif exists:
            rows, problem = _count_rows(path)
        data.append({
            "population": spec.population, "path": spec.path, "design": spec.design(),
            "randomized": list(spec.randomized), "measures": list(spec.measures),
            "exists": exists, "rows": rows, "problem": problem, "sha256": sha256_of(path),
        })
    query = study.query
    return {
        "title": study.info.title,
        "question": study.info.question,
        "authors": list(study.info.authors),
        "file": study.path.name if study.path else None,
        "populations": [{"name": p.name, "role": p.role, "label": p.label}
                        for p in study.populations],
        "variables": [{"name": v.name, "kind": v.kind, "label": v.label,
                       "levels": [str(level) for level in v.levels],
                       "treatment": v.is_treatment, "outcome": v.is_outcome}
                      for v in study.variables],
        "directed": [list(edge) for edge in study.directed],
        "bidirected": [list(edge) for edge in study.bidirected],
        "data": data,
        "query": {"treatment": query.treatment, "outcome": query.outcome,
                  "population": query.population,
                  "contrast": [str(c) for c in query.contrast] if query.contrast else None},
        "hypotheses": list(study.hypotheses),
        "decision": study.decision.describe() if study.decision else None,
    }


def assumptions_section(study: Study) -> list[dict[str, Any]]:
    """One row per mechanism and source, with the plain sentence it means."""
    rows = []
    for row, sentence in assumption_sentences(study):
        kind = type(row.mechanism).__name__.replace("Mechanism", "").lower()
        rows.append({
            "mechanism": row.mechanism.describe(), "kind": kind, "source": row.source,
            "status": row.sharing.status, "sd": row.sharing.sd,
            "because": row.sharing.because, "cite": row.sharing.cite, "sentence": sentence,
        })
    return rows


def suggestion_text(suggestion: Suggestion) -> str:
    """One suggestion of `identify` as a plain instruction."""
    variables = ", ".join(suggestion.variables)
    population = suggestion.population
    return {
        "share": f"declare shared for {population}: {variables}",
        "measure": f"measure in {population}: {variables}",
        "experiment": f"randomize in {population}: {variables}",
    }.get(suggestion.kind, f"{suggestion.kind} in {population}: {variables}")


def verdict_text(identification: Identification) -> str:
    """The identification's verdict in words."""
    return _VERDICT.get(identification.status, identification.status)


def identification_section(identification: Identification) -> dict[str, Any]:
    """Identification.to_json() plus the verdict and suggestions in words."""
    data = identification.to_json()
    data["verdict"] = verdict_text(identification)
    data["suggestions_text"] = [suggestion_text(s) for s in identification.suggestions]
    return data


def estimation_section(study: Study, seed: int | None, progress: Callable[[str], None],
                       identification: Any = None) -> Estimation:
    """The estimate, or why there is none: missing data files, a refusal, a data error."""
    from transport.data.load import missing_files, resolve
    from transport.estimate.run import NotEstimable, estimate_study

    absent = set(missing_files(study))
    missing = tuple(spec.path for spec in study.data if resolve(spec, study) in absent)
    if not study.data:
        return Estimation("missing_data", "Not estimated yet: the study has no data statements.",
                          missing)
    if missing:
        return Estimation("missing_data", "Not estimated yet: these data files do not exist: "
                          + ", ".join(missing), missing)
    progress("estimating the effect")
    try:
        result = estimate_study(study, seed=seed, identification=identification)
    except NotEstimable as error:
        return Estimation("refused", str(error), missing)
    except DataError as error:
        return Estimation("data_error", str(error), missing)
    return Estimation("estimated", None, missing, result)


def reproducibility_section(study: Study, seed: int, command_line: str | None,
                            renderer: str, data: list[dict[str, Any]]) -> dict[str, Any]:
    """What someone needs to rebuild this report: versions, digests (taken from the study
    section's data rows), seed, command line."""
    from transport.version import __version__

    files = [{"path": item["path"], "sha256": item["sha256"]} for item in data]
    return {
        "toolkit": "transport",
        "toolkit_version": __version__,
        "python": platform.python_version(),
        "tdag": {"path": study.path.name if study.path else None,
                 "sha256": sha256_of(study.path) if study.path else None},
        "data_files": files,
        "seed": seed,
        "command_line": command_line,
        "diagram_renderer": renderer,
    }


def effective_seed(study: Study, seed: int | None) -> int:
    """`seed`, else the file's `fit seed`, else 0 (as `transport estimate` does)."""
    if seed is not None:
        return seed
    return study.fit.seed if study.fit.seed is not None else 0


def build_content(study: Study, *, seed: int | None = None, command_line: str | None = None,
                  renderer: str = "python",
                  progress: Callable[[str], None] = lambda _: None,
                  identification: Identification | None = None,
                  result: EstimateResult | None = None) -> ReportContent:
    """Every section of the report (figures are drawn separately from the result).

    `identification` and `result` are the study's Identification and EstimateResult when
    the caller already has them (a notebook user who estimated once); they are computed
    otherwise. A given result is reported as it is, with the seed it was drawn with."""
    from transport.identification.from_study import identify_study

    if identification is None:
        progress("identifying the effect")
        identification = identify_study(study)
    if result is not None:
        used_seed = result.seed
        estimation = Estimation("estimated", None, (), result)
    else:
        used_seed = effective_seed(study, seed)
        estimation = estimation_section(study, used_seed, progress, identification)
    found = estimation.result
    known = {(d.population, d.path): d.rows for d in (found.data if found else ())}
    about = study_section(study, known)
    return ReportContent(
        study=about,
        assumptions=assumptions_section(study),
        identification=identification,
        estimation=estimation,
        reproducibility=reproducibility_section(study, used_seed, command_line, renderer,
                                                about["data"]),
    )
