"""`write_report`: a study's report as report.html (self-contained), report.md (with its
SVG figures beside it) and report.json (the same content as data), written as one set
(`files.write_set`: staged beside the folder and swapped in, so the folder never holds
files from two runs) and never over existing files unless `force`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from transport.errors import UsageError
from transport.files import refuse_foreign, write_set
from transport.json_text import json_text, non_finite_warning
from transport.report.content import build_content
from transport.report.diagram_model import diagram_model
from transport.report.figures import FIGURE_FILES, draw_figures
from transport.report.html_page import render_html
from transport.report.markdown_page import render_markdown
from transport.study import Study

REPORT_FILES = ("report.html", "report.md", "report.json")
#: Every file a report may write: a new set replaces an old one however many figures it had.
SET_FILES = (*REPORT_FILES, *FIGURE_FILES.values())


@dataclass(frozen=True)
class ReportPaths:
    """What was written: the three reports and the figure files; `problem` is the data
    error that stopped the estimate (the report says so, and the command exits 1), and
    `warnings` are problems with the output itself (non-finite numbers nulled)."""

    folder: Path
    html: Path
    markdown: Path
    json: Path
    figures: tuple[Path, ...]
    problem: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[Path, ...]:
        return (self.html, self.markdown, self.json, *self.figures)


def _progress(quiet: bool) -> Callable[[str], None]:
    """Progress lines on stderr, only for a person watching (a TTY) and not when quiet."""
    if quiet or not sys.stderr.isatty():
        return lambda _: None
    start = time.perf_counter()

    def say(step: str) -> None:
        print(f"transport report: {step} ({time.perf_counter() - start:.1f}s)", file=sys.stderr)

    return say


def _refuse_existing(paths: list[Path], force: bool) -> None:
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path} is a folder, not a file")
        if path.exists() and not force:
            raise UsageError(f"{path} already exists; use --force to replace it")


def _diagram_json(study, renderer: str) -> dict[str, Any]:
    model = diagram_model(study)
    return {
        "renderer": renderer,
        "file": FIGURE_FILES["diagram"],
        "nodes": [{"id": n.id, "kind": n.kind, "text": n.text, "sharing": n.sharing,
                   "role": n.role, "source": n.source or None, "status": n.status or None}
                  for n in model.nodes],
        "edges": [{"tail": e.tail, "head": e.head, "kind": e.kind, "source": e.source or None,
                   "status": e.status or None} for e in model.edges],
    }


def write_report(study: Study, out_dir: str | Path, *, force: bool = False,
                 quiet: bool = False, seed: int | None = None, command_line: str | None = None,
                 renderer: str = "auto", identification: Any = None,
                 result: Any = None) -> ReportPaths:
    """Build and write the report of a checked study into `out_dir`.

    Works at every stage: with missing data files it reports everything that needs no data
    and names the missing files; when estimation refuses it says why. `identification` and
    `result` (an EstimateResult) are reused when given, so a study estimated once in a
    notebook is reported without estimating again. Raises UsageError when an output file
    exists and `force` is off. `renderer` is "auto" (Graphviz if installed), "graphviz" or
    "python".
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    fixed = [folder / name for name in REPORT_FILES]
    _refuse_existing(fixed, force)
    if folder.is_dir():  # before the estimate: it may take a while
        refuse_foreign(folder, SET_FILES)
    say = _progress(quiet)
    if command_line is None:
        named = str(study.path) if study.path is not None else "<study>"
        command_line = (f"python: transport.write_report({named!r}, {str(out_dir)!r}, "
                        f"seed={seed!r})")
    content = build_content(study, seed=seed, command_line=command_line, progress=say,
                            identification=identification, result=result)
    say("drawing the figures")
    figures = draw_figures(study, content, renderer)
    content = replace(content, reproducibility=dict(content.reproducibility,
                                                    diagram_renderer=figures.renderer))
    drawn = figures.present()
    data = content.to_json(diagram=_diagram_json(study, figures.renderer),
                           figures={name: FIGURE_FILES[name] for name in drawn},
                           density=figures.density_how)
    figure_paths = [folder / FIGURE_FILES[name] for name in drawn]
    _refuse_existing(figure_paths, force)
    mathml = None
    if content.identification.estimand is not None:
        from transport.identification.expr import Prob
        from transport.report.mathml import estimand_mathml, query_mathml

        query = study.query
        estimand = content.identification.estimand
        is_query = estimand == Prob(query.population, (query.outcome,), (), (query.treatment,))
        lhs = None if is_query else query_mathml(query.population, query.outcome,
                                                   query.treatment)
        mathml = estimand_mathml(estimand, lhs)
    say("writing the report")
    written = json_text(data)
    files = {FIGURE_FILES[name]: svg + "\n" for name, svg in drawn.items()}
    files["report.json"] = written.text + "\n"
    files["report.md"] = render_markdown(content, figures)
    files["report.html"] = render_html(content, figures, mathml)
    write_set(folder, files, SET_FILES)
    estimation = content.estimation
    problem = estimation.message if estimation.status == "data_error" else None
    warnings = (non_finite_warning(written.replaced, "report.json"),) if written.replaced else ()
    return ReportPaths(folder, fixed[0], fixed[1], fixed[2], tuple(figure_paths), problem,
                       warnings)
