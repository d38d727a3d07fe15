"""report.html: one self-contained page (inline CSS, inline SVG, MathML; no script, no
network). Reads the report's content (the typed identification and estimate among it);
every user string is escaped by the builders in `transport.report.markup`."""

from __future__ import annotations

from typing import Any

from transport.identification.expr import to_text
from transport.report.content import ReportContent, suggestion_text, verdict_text
from transport.report.figures import Figures
from transport.report.html_estimate import estimates_section
from transport.report.markup import Html, badge, esc, join, section, table, tag
from transport.report.style import CSS

SECTIONS = (("study", "The study"), ("diagram", "Selection diagram"),
            ("assumptions", "Assumptions"), ("identification", "Identification"),
            ("estimates", "Estimates"), ("reproducibility", "Reproducibility"))


def population_label(study: dict[str, Any], name: str) -> str:
    for population in study["populations"]:
        if population["name"] == name:
            return population["label"] or name
    return name


def _summary(content: ReportContent) -> Html:
    """Cards at the top: identification verdict, the estimate, the data status."""
    ident, estimation = content.identification, content.estimation
    verdict = ("a transport formula follows from the stated assumptions"
               if ident.transportable else verdict_text(ident))
    cards = [("Transportable", badge("yes", "yes") if ident.transportable
              else badge(ident.status.replace("_", " "), "no"), verdict)]
    result = estimation.result
    if result is not None and result.effect is not None:
        effect = result.effect
        cards.append(("Effect in the target", f"{effect.mean:+.3f}",
                      f"95% HDI [{effect.hdi_95[0]:+.3f}, {effect.hdi_95[1]:+.3f}]"))
    else:
        cards.append(("Effect in the target", "not estimated",
                      {"missing_data": "data files are missing", "refused": "estimation refused",
                       "data_error": "the data could not be used"}.get(estimation.status, "")))
    files = content.study["data"]
    present = sum(1 for f in files if f["exists"])
    cards.append(("Data files", f"{present} of {len(files)} present",
                  "planning stage" if present < len(files) else "all bound"))
    return tag("div", *(tag("div", tag("div", label, cls="label"), tag("div", value, cls="value"),
                            tag("div", sub, cls="sub"), cls="card")
                        for label, value, sub in cards), cls="summary")


def study_section(content: ReportContent) -> Html:
    study = content.study
    populations = table(["population", "role", "description"],
                        [[tag("code", p["name"]), p["role"], p["label"] or "–"]
                         for p in study["populations"]])
    variables = table(
        ["variable", "type", "levels", "description", "role"],
        [[tag("code", v["name"]), v["kind"], ", ".join(v["levels"]) or "–", v["label"] or "–",
          "treatment" if v["treatment"] else "outcome" if v["outcome"] else ""]
         for v in study["variables"]])
    rows = []
    for item in study["data"]:
        if item["exists"]:
            rows_cell: object = (f"{item['rows']:,}" if item["rows"] is not None
                                 else join([badge("unreadable", "no"), " ", item["problem"]]))
        else:
            rows_cell = badge("missing", "missing")
        rows.append([tag("code", item["population"]), tag("code", item["path"]), item["design"],
                     ", ".join(item["measures"]), rows_cell])
    query = study["query"]
    contrast = (f" (contrast {query['contrast'][0]} vs {query['contrast'][1]})"
                if query["contrast"] else "")
    body: list[object] = [
        tag("p", "Effect of interest: the effect of ", tag("code", query["treatment"]), " on ",
            tag("code", query["outcome"]), " in ", tag("code", query["population"]), contrast,
            " (", population_label(study, query["population"]), ")."),
        tag("h3", "Populations"), populations, tag("h3", "Variables"), variables,
        tag("h3", "Data"), table(["population", "file", "design", "measures", "rows"], rows),
    ]
    if study["hypotheses"]:
        body += [tag("h3", "Hypotheses"), tag("ol", *(tag("li", x) for x in study["hypotheses"]))]
    if study["decision"]:
        body += [tag("p", "Decision rule: ", tag("code", study["decision"]))]
    return section(1, "study", "The study", *body)


def diagram_section(figures: Figures) -> Html:
    svg = Html(figures.svgs["diagram"] or "")
    renderer = {"graphviz": "Graphviz dot", "python": "the toolkit's layered layout"}[
        figures.renderer]
    caption = tag("figcaption", "The causal graph (the same in every population) with, for each "
                  "source, a selection node S at every mechanism that may differ from the "
                  "target's. Drawn with ", renderer, ".")
    return section(2, "diagram", "Selection diagram", tag("figure", svg, caption))


def assumptions_section(content: ReportContent) -> Html:
    rows = []
    for row in content.assumptions:
        status = badge(row["status"], row["status"])
        if row["status"] == "partial" and row["sd"] is not None:
            status = join([status, f" sd {row['sd']:g}"])
        mechanism = join([tag("code", row["mechanism"]),
                          tag("div", row["sentence"], cls="sentence")])
        rows.append([mechanism, tag("code", row["source"]), status, row["because"] or "–",
                     row["cite"] or "–"])
    intro = tag("p", "One row per mechanism and source: whether the source shares it with the "
                "target, and why. Undeclared mechanisms are treated as differing.")
    return section(3, "assumptions", "Assumptions", intro,
                   table(["mechanism", "source", "status", "reason", "citation"], rows))


def identification_section(content: ReportContent, mathml: str | None) -> Html:
    ident = content.identification
    kind = "ok" if ident.transportable else "bad" if ident.status == "not_transportable" \
        else "warn"
    body: list[object] = [tag("div", tag("strong", "Verdict: "), verdict_text(ident), ".",
                              cls=f"notice {kind}")]
    if ident.estimand is not None:
        body += [tag("h3", "Transport formula")]
        if mathml:
            body.append(tag("div", Html(mathml), cls="math"))
        body.append(tag("pre", to_text(ident.estimand), cls="formula"))
        reads = [tag("li", tag("code", u.population), " ",
                     f"experiment({', '.join(u.experiment)})" if u.experiment
                     else "observational", ": ", ", ".join(u.variables))
                 for u in ident.uses]
        body += [tag("p", "It reads:"), tag("ul", *reads)]
    if ident.witness:
        body += [tag("h3", "Why not"), tag("p", ident.witness)]
    if ident.suggestions:
        body += [tag("h3", "Any one of these would make it transportable"),
                 tag("ul", *(tag("li", suggestion_text(s)) for s in ident.suggestions))]
    if ident.trace:
        body += [tag("h3", "Derivation"),
                 tag("ol", *(tag("li", step) for step in ident.trace), cls="trace")]
    return section(4, "identification", "Identification", *body)


def reproducibility_section(content: ReportContent) -> Html:
    repro = content.reproducibility
    rows: list[list[object]] = [
        ["toolkit", f"{repro['toolkit']} {repro['toolkit_version']} (Python {repro['python']})"],
        ["study file", join([tag("code", repro["tdag"]["path"] or "–"), " sha256 ",
                             tag("span", repro["tdag"]["sha256"] or "–", cls="hash")])],
    ]
    for item in repro["data_files"]:
        digest = tag("span", item["sha256"], cls="hash") if item["sha256"] else \
            badge("missing", "missing")
        rows.append(["data file", join([tag("code", item["path"]), " sha256 ", digest])])
    rows += [["seed", str(repro["seed"])],
             ["command line", tag("code", repro["command_line"] or "–")],
             ["diagram drawn by", repro["diagram_renderer"]]]
    return section(6, "reproducibility", "Reproducibility",
                   table(["what", "value"], rows))


def render_html(content: ReportContent, figures: Figures, mathml: str | None) -> str:
    """The whole page."""
    study = content.study
    title = study["title"] or "Untitled study"
    header = [tag("p", "transport · study report", cls="kicker"), tag("h1", title)]
    if study["question"]:
        header.append(tag("p", study["question"], cls="question"))
    if study["authors"]:
        header.append(tag("p", "By ", ", ".join(study["authors"]), cls="meta"))
    toc = tag("nav", tag("ol", *(tag("li", tag("a", name, href=f"#{key}"))
                                 for key, name in SECTIONS)), cls="toc")
    main = tag("main", tag("header", *header, cls="top"), _summary(content), toc,
               study_section(content), diagram_section(figures), assumptions_section(content),
               identification_section(content, mathml), estimates_section(content, figures),
               reproducibility_section(content),
               tag("footer", "Generated by transport ",
                   content.reproducibility["toolkit_version"],
                   ". Every number here follows from the study file, its data and the seed "
                   "above; see report.json for the same content as data."))
    head = (f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{esc(title)} · transport report</title>'
            f"<style>{CSS}</style>")
    return f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{main}</body></html>\n'
