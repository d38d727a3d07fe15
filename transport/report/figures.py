"""Every figure of a report, drawn once and shared by the HTML (inline) and the Markdown
(files beside it): the selection diagram, and when there is an estimate the forest plot,
the posterior density and the robustness curve."""

from __future__ import annotations

from dataclasses import dataclass

from transport.report.content import ReportContent
from transport.report.diagram_model import diagram_model
from transport.report.diagram_svg import diagram_svg
from transport.study import Study

#: File names of the figures in the output folder (Markdown links to them).
FIGURE_FILES = {"diagram": "diagram.svg", "forest": "forest.svg", "density": "density.svg",
                "robustness": "robustness.svg"}


@dataclass(frozen=True)
class Figures:
    """SVG text per figure (None when a figure does not apply) and notes on how they were
    made."""

    svgs: dict[str, str | None]
    renderer: str
    density_how: str | None = None

    def present(self) -> dict[str, str]:
        return {name: svg for name, svg in self.svgs.items() if svg}


def draw_diagram(study: Study, renderer: str = "auto") -> tuple[str, str]:
    """(svg, renderer used): Graphviz when `renderer` is "auto" or "graphviz" and dot is
    installed, else the pure-Python layout."""
    model = diagram_model(study)
    if renderer in ("auto", "graphviz"):
        from transport.report.graphviz import graphviz_svg

        svg = graphviz_svg(model)
        if svg is not None:
            return svg, "graphviz"
    return diagram_svg(model), "python"


def draw_figures(study: Study, content: ReportContent, renderer: str = "auto") -> Figures:
    """The diagram always; the estimate's figures when there is an estimate (and
    matplotlib can be imported)."""
    diagram, used = draw_diagram(study, renderer)
    svgs: dict[str, str | None] = {"diagram": diagram, "forest": None, "density": None,
                                   "robustness": None}
    result = content.result
    if result is None or result.effect is None:
        return Figures(svgs, used)
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # matplotlib missing: tables only
        return Figures(svgs, used, "figures need matplotlib (pip install matplotlib)")
    from transport.report.plots import density_svg, forest_svg, robustness_svg

    target = study.target.name
    sources = [p.name for p in study.sources]
    naive_draws = (result.source_draws or {}).get(result.naive.source) if result.naive else None
    threshold = study.decision.effect_threshold if study.decision else None
    svgs["forest"] = forest_svg(result, target, sources)
    svgs["density"], how = density_svg(result, target, result.effect_draws, naive_draws,
                                       threshold)
    svgs["robustness"] = robustness_svg(result.robustness)
    return Figures(svgs, used, how)
