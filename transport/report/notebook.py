"""Compact HTML for Jupyter (`_repr_html_`): a study, an identification and an estimate at a
glance. Scoped CSS, no script, every user string escaped; no figures, so nothing heavy is
imported when a notebook displays a value. Importing this module registers the three
renderers with `transport.display`, which the value types ask (they sit below this stage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transport.display import register_html
from transport.report.markup import Html, badge, interval, join, num, table, tag
from transport.report.style import NOTEBOOK_CSS
from transport.study import Study

if TYPE_CHECKING:
    from transport.estimate.result import EstimateResult
    from transport.identification.api import Identification

_VERDICT = {
    "transportable": ("transportable", "yes"),
    "not_transportable": ("not transportable (proved)", "no"),
    "not_found": ("no formula found (not a proof that none exists)", "not_found"),
}


def _wrap(*body: object) -> str:
    return str(Html(f"<style>{NOTEBOOK_CSS}</style>") + tag("div", *body, cls="transport-nb"))


def study_html(study: Study) -> str:
    """The study: title, question, populations, the effect of interest, and the assumption
    table (status, reason, citation) per mechanism and source."""
    info, query = study.info, study.query
    head: list[object] = [tag("h4", info.title or "Untitled study")]
    if info.question:
        head.append(tag("p", tag("em", info.question)))
    populations = join([join([tag("code", p.name),
                              f" {p.role}" + (f": {p.label}" if p.label else "")])
                        for p in study.populations], "; ")
    head.append(tag("p", tag("strong", "Populations: "), populations))
    head.append(tag("p", tag("strong", "Effect: "), tag("code", query.treatment), " → ",
                    tag("code", query.outcome), " in ", tag("code", query.population)))
    rows = []
    for row in list(study.assumptions) + list(study.coefficients):
        status = row.sharing.status
        shown = badge(status + (f" sd {row.sharing.sd:g}" if row.sharing.sd is not None else ""),
                      status)
        rows.append([tag("code", row.mechanism.describe()), tag("code", row.source), shown,
                     row.sharing.because or "–", row.sharing.cite or "–"])
    data_rows = [[tag("code", d.population), tag("code", d.path), d.design()]
                 for d in study.data]
    body = [*head, table(["mechanism", "source", "status", "reason", "citation"], rows, "")]
    if data_rows:
        body.append(table(["population", "file", "design"], data_rows, ""))
    return _wrap(*body)


def estimate_html(result: EstimateResult) -> str:
    """An EstimateResult: the effect with its interval beside each source's and the naive
    estimate, the decision rule's verdict, and the checks' verdicts."""
    query = result.query
    effect = result.effect
    if effect is None:
        return _wrap(tag("h4", "No estimate"))
    rows: list[list[object]] = [[tag("strong", f"{query.population} ({result.basis().label})"),
                                 num(effect.mean, signed=True), interval(effect.hdi_95),
                                 num(effect.prob_positive)]]
    for source, summary in result.source_effects.items():
        rows.append([f"{source}: own experiment", num(summary.mean, signed=True),
                     interval(summary.hdi_95), "–"])
    if result.naive:
        naive = result.naive
        rows.append([f"naive: {naive.source}", num(naive.mean, signed=True),
                     interval(naive.hdi_95), "–"])
    body: list[object] = [
        tag("h4", f"Effect of {query.treatment} on {query.outcome} in {query.population}"),
        table(["estimate", "mean", "95% HDI", f"P(effect > {effect.null:g})"], rows, ""),
        tag("p", result.effect_scale, "; ", result.method),
    ]
    if result.estimand:
        body.append(tag("pre", result.estimand))
    rule = result.decision
    if rule:
        body.append(tag("p", tag("strong", "Decision "), tag("code", rule.rule.describe()), ": ",
                        badge("met", "met") if rule.holds else badge("not met", "notmet"),
                        f" (probability {num(rule.probability)})"))
    checks = result.assumption_checks
    if checks:
        body.append(table(["mechanism", "source", "verdict"],
                          [[tag("code", c.mechanism), tag("code", c.source),
                            badge(c.verdict.replace("_", " "), c.verdict)]
                           for c in checks], ""))
    for warning in result.warnings:
        body.append(tag("p", "⚠ ", warning))
    return _wrap(*body)


def identification_html(identification: Identification) -> str:
    """An Identification: the verdict, the formula as MathML (with the effect of interest on
    its left), what it reads, and, when there is no formula, why not and what would help."""
    from transport.report.content import suggestion_text
    from transport.report.mathml import estimand_mathml, query_mathml

    treatment = ", ".join(identification.treatment)
    outcome = ", ".join(identification.outcome)
    target = identification.target
    words, kind = _VERDICT.get(identification.status, (identification.status, "missing"))
    body: list[object] = [
        tag("h4", f"Effect of {treatment} on {outcome} in {target}"),
        tag("p", tag("strong", "Transportable: "), badge(words, kind)),
    ]
    if identification.estimand is not None:
        lhs = query_mathml(target, outcome, treatment)
        body.append(tag("div", Html(estimand_mathml(identification.estimand, lhs)),
                        cls="formula"))
    if identification.uses:
        body.append(table(["population", "design", "reads"], [
            [tag("code", use.population),
             f"experiment({', '.join(use.experiment)})" if use.experiment
             else "observational",
             ", ".join(use.variables)] for use in identification.uses], ""))
    if identification.witness:
        body.append(tag("p", tag("strong", "Why not: "), identification.witness))
    if identification.suggestions:
        body.append(tag("p", tag("strong", "Any one of these would make it transportable:")))
        body.append(tag("ul", *(tag("li", suggestion_text(s))
                                for s in identification.suggestions)))
    return _wrap(*body)


register_html("study", study_html)
register_html("identification", identification_html)
register_html("estimate", estimate_html)
