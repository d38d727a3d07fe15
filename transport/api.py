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
    path = Path(path)
    if not path.exists() and path.is_symlink():
        try:
            path.stat()
        except OSError as error:  # a loop of links, or a link to nothing
            raise UsageError(f"cannot read {path}: {error.strerror} (a symbolic link)") from None
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a .tdag file")
    _readable_source(path)
    try:
        return Source.from_path(path)
    except PermissionError:
        raise UsageError(f"cannot read {path}: permission denied") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _readable_source(path: Path) -> None:
    """UsageError for a FIFO, device or socket (reading blocks or never ends) and for a file
    above the size limit (transport.limits.SOURCE_BYTES)."""
    import stat

    from transport.limits import SOURCE_BYTES

    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else (
            "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
        raise UsageError(f"{path} is not a regular file ({kind}); give the path of a .tdag file")
    if info.st_size > SOURCE_BYTES.value():
        raise UsageError(
            f"{path} is {info.st_size:,} bytes, more than the limit of "
            f"{SOURCE_BYTES.value():,} for a .tdag file; set {SOURCE_BYTES.variable} to raise it")


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


def selection_diagram(study: Study):
    """The study's selection diagram (a value; see transport.graph.diagram)."""
    from transport.graph.diagram import selection_diagram as build

    return build(study)


def export_graph(study: Study, fmt: str = "dot", source: str | None = None) -> str:
    """The selection diagram in `fmt` (dot, dagitty, json, graphml, mermaid), for one source
    or for all."""
    from transport.graph.export import FORMATS, export

    if fmt not in FORMATS:
        raise UsageError(f"unknown graph format '{fmt}'; choose one of {', '.join(FORMATS)}")
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


def identify(study: Study):
    """Is the study's target effect transportable from what its data statements provide?
    Returns an Identification (status, estimand, uses, witness, suggestions, trace)."""
    from transport.identification import identify as run
    from transport.identification.from_study import problem_from_study

    return run(problem_from_study(study))


def estimate_study(study: Study, **options):
    """The posterior of the study's target effect under its stated assumptions (an
    EstimateResult); options: seed, draws, drop_missing, checks, robustness. Raises
    NotEstimable when no formula exists and nothing licenses borrowing strength."""
    from transport.estimate.run import estimate_study as run

    return run(study, **options)


def write_report(study_path: str | Path, out_dir: str | Path, **options):
    """Write report.html, report.md and report.json (and figures) for a `.tdag` file."""
    from transport.report.build import write_report as run

    return run(study_path, out_dir, **options)


def prereg_text(study: Study) -> str:
    """Preregistration text (OSF template sections) for a study; needs no data."""
    from transport.report.prereg import prereg_text as run

    return run(study)


def import_dagitty(text: str, origin: str = "a dagitty model") -> str:
    """A `.tdag` skeleton from a dagitty model."""
    from transport.graph.dagitty import dagitty_to_tdag

    return dagitty_to_tdag(text, origin)
