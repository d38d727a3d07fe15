"""report.md: the same content as report.html for GitHub or OSF, with the figures as SVG
files beside it and the formula in LaTeX (`$$...$$`). User strings go through
`escape.md` (entities for HTML metacharacters, backslashes for Markdown punctuation)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from transport.identification.expr import to_latex, to_text
from transport.render.estimate import effective_sentences
from transport.report.content import ReportContent, suggestion_text, verdict_text
from transport.report.escape import md, md_block, md_code
from transport.report.figures import FIGURE_FILES, Figures
from transport.report.markup import interval, num
from transport.report.other_estimates import other_rows
from transport.report.wording import (
    diagnostic_label,
    md_code_spans,
    plain_number,
    robustness_sentence,
)

_BARE_PIPE = re.compile(r"(?<!\\)\|")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table; cells must already be Markdown-safe. A `|` that is still bare (inside
    a code span: `md_code` cannot escape it) is escaped here, since a table splits its
    cells at every unescaped pipe before it reads code spans (GFM)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_BARE_PIPE.sub(r"\\|", cell) if cell else "–" for cell in row)
              + " |" for row in rows]
    return lines + [""]


def _study(content: ReportContent) -> list[str]:
    study = content.study
    query = study["query"]
    out = ["## 1. The study", ""]
    contrast = (f" (contrast {md(query['contrast'][0])} vs {md(query['contrast'][1])})"
                if query["contrast"] else "")
    out += [f"Effect of interest: the effect of {md_code(query['treatment'])} on "
            f"{md_code(query['outcome'])} in {md_code(query['population'])}{contrast}.", ""]
    out += ["### Populations", ""]
    out += md_table(["population", "role", "description"],
                    [[md_code(p["name"]), p["role"], md(p["label"])]
                     for p in study["populations"]])
    out += ["### Variables", ""]
    out += md_table(["variable", "type", "levels", "description", "role"],
                    [[md_code(v["name"]), v["kind"], md(", ".join(v["levels"])), md(v["label"]),
                      "treatment" if v["treatment"] else "outcome" if v["outcome"] else ""]
                     for v in study["variables"]])
    out += ["### Data", ""]
    rows = []
    for item in study["data"]:
        count = (f"{item['rows']:,}" if item["rows"] is not None else
                 f"unreadable: {md(item['problem'])}") if item["exists"] else "**missing**"
        rows.append([md_code(item["population"]), md(item["path"]), md(item["design"]),
                     md(", ".join(item["measures"])), count])
    out += md_table(["population", "file", "design", "measures", "rows"], rows)
    if study["hypotheses"]:
        out += ["### Hypotheses", ""]
        out += [f"{i}. {md(text)}" for i, text in enumerate(study["hypotheses"], 1)] + [""]
    if study["decision"]:
        out += [f"Decision rule: {md_code(study['decision'])}", ""]
    return out


def _diagram(figures: Figures) -> list[str]:
    return ["## 2. Selection diagram", "",
            f"![Selection diagram: the causal graph with a selection node S for each source at "
            f"every mechanism that may differ from the target's]({FIGURE_FILES['diagram']})", ""]


def _assumptions(content: ReportContent) -> list[str]:
    rows = []
    for row in content.assumptions:
        status = row["status"] + (f" (sd {row['sd']:g})" if row["sd"] is not None else "")
        rows.append([md_code(row["mechanism"]), md_code(row["source"]), status,
                     md(row["because"]), md(row["cite"]), md(row["sentence"])])
    return ["## 3. Assumptions", "", *md_table(
        ["mechanism", "source", "status", "reason", "citation", "in words"], rows)]


def _identification(content: ReportContent) -> list[str]:
    ident = content.identification
    out = ["## 4. Identification", "", f"**Verdict:** {md(verdict_text(ident))}.", ""]
    if ident.estimand is not None:
        out += ["Transport formula:", "", "$$", to_latex(ident.estimand), "$$", "",
                md_block(to_text(ident.estimand)), "", "It reads:", ""]
        for use in ident.uses:
            design = (f"experiment({', '.join(use.experiment)})" if use.experiment
                      else "observational")
            out.append(f"- {md_code(use.population)} {md(design)}: "
                       f"{md(', '.join(use.variables))}")
        out.append("")
    if ident.witness:
        out += ["### Why not", "", md(ident.witness), ""]
    if ident.suggestions:
        out += ["### Any one of these would make it transportable", ""]
        out += [f"- {md(suggestion_text(s))}" for s in ident.suggestions] + [""]
    if ident.trace:
        out += ["### Derivation", ""]
        out += [f"{i}. {md(step)}" for i, step in enumerate(ident.trace, 1)] + [""]
    return out


def _estimates(content: ReportContent, figures: Figures) -> list[str]:
    estimation = content.estimation
    result = estimation.result
    out = ["## 5. Estimates", ""]
    if result is None or result.effect is None:
        if estimation.status == "missing_data" and not estimation.missing_files:
            return out + ["**Planning stage: not estimated yet.** The study has no data "
                          "statements.", ""]
        if estimation.status == "missing_data":
            files = ", ".join(md(p) for p in estimation.missing_files)
            return out + [f"**Planning stage: not estimated yet.** These data files do not "
                          f"exist: {files}. Everything above needs no data.", ""]
        return out + [f"**Not estimated.** {md(estimation.message)}", ""]
    effect, query = result.effect, result.query
    out += [f"Under the stated assumptions, the effect of {md_code(query.treatment)} on "
            f"{md_code(query.outcome)} in {md_code(query.population)} is "
            f"**{num(effect.mean, signed=True)}**, 95% HDI {interval(effect.hdi_95)}, "
            f"P(effect > {effect.null:g}) = {num(effect.prob_positive)} "
            f"({md(result.effect_scale)}).", ""]
    label = f"{md(query.population)} ({md(result.basis().label)})"
    rows = [[label, num(effect.mean, signed=True), interval(effect.hdi_95)]]
    rows += [[f"{md(s)}: own experiment", num(v.mean, signed=True), interval(v.hdi_95)]
             for s, v in result.source_effects.items()]
    if result.naive:
        naive = result.naive
        rows.append([f"naive: {md(naive.source)} taken as the target",
                     num(naive.mean, signed=True), interval(naive.hdi_95)])
    others = other_rows(result)
    rows += [[md(o.label), num(o.mean, signed=True), interval(o.interval)] for o in others]
    out += md_table(["estimate", "mean", "95% interval"], rows)
    out += [f"*{md(o.label)}:* {md(o.note)}" for o in others] + ([""] if others else [])
    for name, caption in (("forest", "Forest plot"), ("density", "Posterior density")):
        if figures.svgs.get(name):
            out += [f"![{caption}]({FIGURE_FILES[name]})", ""]
    if figures.svgs.get("density"):
        out += [f"Density: {md(figures.density_how)}.", ""]
    rule = result.decision
    out += ["### Decision", ""]
    if rule:
        verdict = "met" if rule.holds else "not met"
        out += [f"Rule {md_code(rule.rule.describe())}: **{verdict}** (posterior probability "
                f"{num(rule.probability)}).", ""]
    else:
        out += ["No decision rule declared: the 95% interval is the result.", ""]
    effective = effective_sentences(result.effective_samples)
    if effective:
        out += ["### Rows at their effective size", ""]
        out += [f"- {md(sentence)}" for sentence in effective] + [""]
    out += [f"> **Warning:** {md_code_spans(w)}" for w in result.warnings]
    out += ["", "### Assumption checks", ""]
    checks = result.assumption_checks
    out += md_table(["mechanism", "between", "declared", "verdict", "evidence", "note"],
                    [[md_code(c.mechanism), md_code(" vs ".join(c.between)),
                      md(c.declared), c.verdict, md(c.summary() or "–"),
                      md(c.reason)] for c in checks]) if checks else ["None.", ""]
    out += ["### How wrong may the assumptions be?", ""]
    curve = result.robustness
    if curve is not None and curve.applies:
        out += [robustness_sentence(curve, effect.null), ""]
        if figures.svgs.get("robustness"):
            out += [f"![Robustness curve]({FIGURE_FILES['robustness']})", ""]
    else:
        out += [md((curve.note if curve is not None else None)
                   or "The robustness curve does not apply."), ""]
    diagnostics = result.diagnostics
    out += ["### Diagnostics", ""]
    out += md_table(["diagnostic", "value"],
                    [[md(diagnostic_label(k)),
                      plain_number(v) if v is None or isinstance(v, int | float) else md(v)]
                     for k, v in diagnostics.statistics()])
    if diagnostics.note:
        out += [f"*{md(diagnostics.note)}*", ""]
    return out


def _reproducibility(content: ReportContent) -> list[str]:
    repro = content.reproducibility
    rows = [["toolkit", f"{repro['toolkit']} {repro['toolkit_version']} "
                        f"(Python {repro['python']})"],
            ["study file", f"{md(repro['tdag']['path'])} sha256 "
                           f"{md_code(repro['tdag']['sha256'])}"]]
    rows += [["data file", f"{md(f['path'])} sha256 "
                           + (md_code(f["sha256"]) if f["sha256"] else "**missing**")]
             for f in repro["data_files"]]
    rows += [["seed", str(repro["seed"])],
             ["command line", md_code(repro["command_line"] or "–")],
             ["diagram drawn by", md(repro["diagram_renderer"])]]
    return ["## 6. Reproducibility", "", *md_table(["what", "value"], rows)]


def render_markdown(content: ReportContent, figures: Figures) -> str:
    """The whole Markdown report."""
    study = content.study
    out = [f"# {md(study['title'] or 'Untitled study')}", ""]
    if study["question"]:
        out += [f"*{md(study['question'])}*", ""]
    if study["authors"]:
        out += [f"By {md(', '.join(study['authors']))}", ""]
    out += [f"**Transportable:** {md(verdict_text(content.identification))}.", ""]
    out += _study(content) + _diagram(figures) + _assumptions(content)
    out += _identification(content)
    out += _estimates(content, figures) + _reproducibility(content)
    out += ["---", "", f"Generated by transport {content.reproducibility['toolkit_version']}; "
            "report.json holds the same content as data.", ""]
    return "\n".join(out)
