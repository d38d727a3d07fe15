"""The public API, one function per pipeline stage: text → document → study → diagram."""

from __future__ import annotations

from pathlib import Path

from transport.check import CheckResult, check
from transport.errors import TdagError, UsageError
from transport.source import Source
from transport.study import Study
from transport.syntax import ast


def read_source(path: str | Path) -> Source:
    """The file's text; UsageError when it does not exist, TdagError when not UTF-8."""
    from transport.files import read_source as read

    return read(path)


def parse(source: Source | str) -> ast.Document:
    """The syntax tree; raises TdagError listing every syntax error."""
    from transport.syntax.parser import parse as parse_source

    return parse_source(source)


def check_source(source: Source, path: Path | None = None) -> CheckResult:
    """Every diagnostic for a text (syntax errors are raised as TdagError)."""
    return check(parse(source), path)


def check_file(path: str | Path) -> tuple[Source, CheckResult]:
    source = read_source(path)
    return source, check_source(source, Path(path).resolve())


def load(path: str | Path) -> Study:
    """The checked study in a `.tdag` file; raises TdagError if the file has errors."""
    source, result = check_file(path)
    if result.study is None:
        raise TdagError(result.errors, source)
    return result.study


def loads(text: str, name: str = "<input>") -> Study:
    """The checked study in a `.tdag` text."""
    source = Source(text, name)
    result = check_source(source)
    if result.study is None:
        raise TdagError(result.errors, source)
    return result.study


def format_source(source: Source | str) -> str:
    """Canonical layout of a `.tdag` text, every comment kept."""
    from transport.syntax.unparse import unparse

    if isinstance(source, str):
        source = Source(source)
    return unparse(parse(source), source.text)


StudyLike = Study | str | Path


def _study(study: StudyLike) -> Study:
    """A checked Study as given, or the one in the `.tdag` file at a path."""
    if isinstance(study, Study):
        return study
    if isinstance(study, str | Path):
        return load(study)
    raise UsageError(
        f"expected a Study or the path of a .tdag file, not {type(study).__name__}"
    )


def selection_diagram(study: StudyLike):
    """The study's selection diagram (a value; see transport.graph.diagram)."""
    from transport.graph.diagram import selection_diagram as build

    return build(_study(study))


GRAPH_FORMATS = ("dot", "dagitty", "json", "graphml", "mermaid", "svg")


def export_graph(study: StudyLike, fmt: str = "dot", source: str | None = None) -> str:
    """The selection diagram in `fmt` (dot, dagitty, json, graphml, mermaid, for one source
    or for all; or svg, the report's drawing of every source)."""
    from transport.graph.export import FORMATS, export

    study = _study(study)
    if fmt == "svg":
        if source is not None:
            raise UsageError("a source cannot be chosen for svg (it draws every source)")
        from transport.report.figures import draw_diagram

        return draw_diagram(study)[0]
    if fmt not in FORMATS:
        raise UsageError(f"unknown graph format '{fmt}'; choose one of {', '.join(GRAPH_FORMATS)}")
    diagram = selection_diagram(study)
    if source is not None:
        if source not in diagram.sources:
            from transport.errors import did_you_mean

            hint = did_you_mean(source, diagram.sources)
            raise UsageError(
                f"'{source}' is not a source population of this study"
                + (f"; {hint}" if hint else f" (sources: {', '.join(diagram.sources)})")
            )
        diagram = diagram.for_source(source)
    return export(diagram, study, fmt)


def identify(study: StudyLike):
    """Is the study's target effect transportable from what its data statements provide?
    `study` is a checked Study or the path of a `.tdag` file. Returns an Identification
    (status, estimand, uses, witness, suggestions, trace)."""
    from transport.identification.from_study import identify_study

    return identify_study(_study(study))


def estimate_study(study: StudyLike, **options):
    """The posterior of the study's target effect under its stated assumptions (an
    EstimateResult); options: seed, draws, drop_missing, checks, robustness, identification,
    generalize (the target is everyone sampled).
    Raises NotEstimable when no formula exists and nothing licenses borrowing strength."""
    from transport.estimate.run import estimate_study as run

    return run(_study(study), **options)


def write_report(study: StudyLike, out_dir: str | Path, **options):
    """Write report.html, report.md and report.json (and figures) for a study or a `.tdag`
    file. Options: force, quiet, seed, command_line, renderer, and `result` (an
    EstimateResult) and `identification` to report values already computed instead of
    estimating again. Returns the paths written (a ReportPaths)."""
    from transport.report.build import write_report as run

    return run(_study(study), out_dir, **options)


def prereg_text(study: StudyLike) -> str:
    """Preregistration text (OSF template sections) for a study; needs no data."""
    from transport.report.prereg import prereg_text as run

    return run(_study(study))


def calibrate(pairs_csv: str | Path, **options):
    """How LLM effects translated into human effects across paired studies (a
    CalibrationResult); options as `transport.calibrate.run_calibration` (llm, human, se,
    id, by, predict, level, seed, draws)."""
    from transport.calibrate import run_calibration

    return run_calibration(pairs_csv, **options)


def import_dagitty(text: str, origin: str = "a dagitty model") -> str:
    """A `.tdag` skeleton from a dagitty model."""
    from transport.graph.dagitty import dagitty_to_tdag

    return dagitty_to_tdag(text, origin)


def import_edsl(results: str | Path, split_by: str | None = None,
                output: str | Path | None = None, force: bool = False) -> str:
    """A proposed `.tdag` study for an EDSL results file (see docs/edsl.md). Data files the
    study needs beside it (one per population with `split_by`, or a CSV for JSON input)
    are written next to `output`, never over an existing file unless `force`."""
    from transport.bridges.edsl import propose
    from transport.files import write_new

    folder = Path(output).parent if output else None
    proposal = propose(results, split_by=split_by, out_dir=folder)
    pending = [d for d in proposal.data if d.frame is not None]
    if pending and folder is None:
        raise UsageError("this results file needs data files written beside the study "
                         "(JSON input or --split-by): give -o OUT.tdag")
    existing = [Path(output)] if output else []
    for target in existing + [folder / d.path for d in pending]:
        if target.exists() and not force:
            raise UsageError(f"{target} already exists; use --force to replace it")
    for data in pending:
        write_new(folder / data.path, data.frame.to_csv(index=False), force)
    return proposal.to_tdag()


def to_dowhy(study: Study, population: str, data=None):
    """A `dowhy.CausalModel` of the study's effect over `population`'s data (or `data`, a
    DataFrame with one column per variable): `<->` as explicit latent nodes, the edges into
    variables that population randomises cut. Needs the `dowhy` extra (docs/dowhy.md)."""
    from transport.bridges.dowhy import to_dowhy as run

    return run(study, population, data)


def dowhy_distribution_change(study: Study, source: str, **options):
    """DoWhy's GCM attribution of the change in the outcome's distribution between `source`
    and the target to each mechanism both measure, beside the study's own sharing
    statements (a DistributionChange); options: outcome, data, level, num_samples, seed."""
    from transport.bridges.dowhy import distribution_change

    return distribution_change(study, source, **options)
