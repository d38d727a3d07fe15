"""Section 5 of report.html: the estimate beside the sources' own effects and the naive
estimate, its density, the decision rule's verdict, assumption checks, the robustness curve
and diagnostics; or, without an estimate, why there is none."""

from __future__ import annotations

from transport.estimate.result import EstimateResult
from transport.render.estimate import effective_sentences
from transport.report.content import Estimation, ReportContent
from transport.report.figures import Figures
from transport.report.markup import (
    Html,
    badge,
    code_spans,
    interval,
    join,
    num,
    section,
    table,
    tag,
)
from transport.report.other_estimates import other_rows
from transport.report.wording import (
    diagnostic_label,
    plain_number,
    robustness_sentence,
)


def _figure(svg: str | None, caption: str) -> list[Html]:
    return [tag("figure", Html(svg), tag("figcaption", caption))] if svg else []


def no_estimate(estimation: Estimation) -> list[Html]:
    """What is shown when there is no estimate: the missing files or the refusal."""
    status = estimation.status
    if status == "missing_data" and not estimation.missing_files:
        return [tag("div", tag("strong", "Planning stage: not estimated yet. "),
                    "The study has no data statements; add them (",
                    tag("code", 'data POP "file" ...'), ") and rebuild this report once the "
                    "files exist.", cls="notice warn")]
    if status == "missing_data":
        return [tag("div", tag("strong", "Planning stage: not estimated yet. "),
                    "These data files do not exist: ",
                    join([tag("code", path) for path in estimation.missing_files], ", "),
                    ". Everything above needs no data; rebuild this report once they exist.",
                    cls="notice warn")]
    title = {"refused": "Estimation refused. ", "data_error": "The data could not be used. "}
    return [tag("div", tag("strong", title.get(status, "Not estimated. ")),
                estimation.message or "", cls="notice bad")]


def _headline(result: EstimateResult) -> Html:
    effect, query = result.effect, result.query
    contrast = list(query.contrast or ())
    versus = f" ({contrast[0]} vs {contrast[1]})" if len(contrast) == 2 else ""
    text = [f"Under the stated assumptions, the effect of {query.treatment}{versus} on "
            f"{query.outcome} in {query.population} is ",
            tag("strong", num(effect.mean, signed=True)),
            f", 95% HDI {interval(effect.hdi_95)}, posterior sd {num(effect.sd)}, "
            f"P(effect > {effect.null:g}) = {num(effect.prob_positive)} "
            f"({result.effect_scale})."]
    naive = result.naive
    if naive:
        text.append(f" Taking {naive.source}'s own effect as the human effect (the naive "
                    f"estimate) would give {num(naive.mean, signed=True)} "
                    f"{interval(naive.hdi_95)}.")
    return tag("p", *text)


def _effects_table(result: EstimateResult) -> Html:
    effect = result.effect
    label = f"{result.query.population} ({result.basis().label})"
    rows: list[list[object]] = [[tag("strong", label),
                                 num(effect.mean, signed=True), num(effect.sd),
                                 interval(effect.hdi_95)]]
    for source, summary in result.source_effects.items():
        rows.append([f"{source}: own experiment", num(summary.mean, signed=True),
                     num(summary.sd), interval(summary.hdi_95)])
    naive = result.naive
    if naive:
        rows.append([f"naive: {naive.source} taken as the target",
                     num(naive.mean, signed=True), "–", interval(naive.hdi_95)])
    others = other_rows(result)
    for other in others:
        rows.append([other.label, num(other.mean, signed=True), num(other.sd),
                     interval(other.interval)])
    notes = [tag("p", other.note, cls="note") for other in others]
    return tag("div", table(["estimate", "mean", "sd", "95% interval"], rows), *notes)


def decision_block(result: EstimateResult) -> Html:
    """The decision rule's verdict, or that none was declared."""
    rule = result.decision
    if not rule:
        return tag("p", "No decision rule declared: the 95% interval above is the result.")
    verdict = badge("met", "met") if rule.holds else badge("not met", "notmet")
    label = rule.rule.label
    conclusion = (f"conclude “{label}”" if rule.holds else f"do not conclude “{label}”")
    return tag("div", tag("strong", "Decision rule "), tag("code", rule.rule.describe()), ": ",
               verdict, f" (posterior probability {num(rule.probability)}): {conclusion}.",
               cls="notice ok" if rule.holds else "notice warn")


def checks_table(result: EstimateResult) -> Html:
    checks = result.assumption_checks
    if not checks:
        return tag("p", "No shared or partial mechanism could be checked against data.")
    rows = []
    for check in checks:
        note: list[object] = [check.reason or ""]
        without = check.without
        if without:
            note.append(f" Without it: {num(without.mean, signed=True)} "
                        f"{interval(without.hdi_95)}." if without.mean is not None
                        else " Without it the effect is not estimable.")
        rows.append([tag("code", check.mechanism),
                     tag("code", " vs ".join(check.between)),
                     check.declared, badge(check.verdict.replace("_", " "), check.verdict),
                     check.summary() or "–", join(note)])
    return table(["mechanism", "between", "declared", "verdict", "evidence", "note"], rows)


def robustness_block(result: EstimateResult, figures: Figures) -> list[Html]:
    curve = result.robustness
    if not curve:
        return [tag("p", "No robustness curve was computed.")]
    if not curve.applies:
        note = curve.note or "the robustness curve does not apply"
        return [tag("p", note[:1].upper() + note[1:] + ".")]
    null = result.effect.null if result.effect is not None else 0
    out = [tag("p", robustness_sentence(curve, null),
               f" Units: {curve.units}. Criterion: {curve.criterion}.")]
    out += _figure(figures.svgs.get("robustness"), "The 95% HDI of the effect as every shared "
                   "mechanism is shifted by random perturbations of growing scale.")
    alone = curve.by_mechanism
    if alone:
        out.append(table(["mechanism shifted alone", "scale at which 0 enters the interval"],
                         [[tag("code", m), "beyond range" if s is None else f"{s:g}"]
                          for m, s in alone.items()]))
    return out


def diagnostics_table(result: EstimateResult) -> Html:
    diagnostics = result.diagnostics
    rows = [[diagnostic_label(key), plain_number(value)]
            for key, value in diagnostics.statistics()]
    rows += [["draws", str(result.draws)], ["seed", str(result.seed)],
             ["method", result.method]]
    prior = result.prior
    if prior is not None and prior.contraction is not None:
        rows.append(["prior sd / contraction",
                     f"{num(prior.sd)} / {prior.contraction:.0%}"])
    items = [table(["diagnostic", "value"], rows)]
    if diagnostics.note:
        items.append(tag("p", diagnostics.note, cls="meta"))
    return join(items)


def estimates_section(content: ReportContent, figures: Figures) -> Html:
    estimation = content.estimation
    result = estimation.result
    if result is None or result.effect is None:
        return section(5, "estimates", "Estimates", *no_estimate(estimation))
    body: list[object] = [_headline(result), _effects_table(result)]
    body += _figure(figures.svgs.get("forest"), "Mean and 95% HDI: the transported effect in "
                    "the target, each source's own experimental effect, and the naive estimate.")
    body += _figure(figures.svgs.get("density"),
                    f"Posterior of the effect in the target ({figures.density_how}).")
    body += [tag("h3", "Decision"), decision_block(result)]
    effective = effective_sentences(result.effective_samples)
    if effective:
        body += [tag("h3", "Rows at their effective size"),
                 tag("ul", *[tag("li", sentence) for sentence in effective])]
    for warning in result.warnings:
        body.append(tag("div", tag("strong", "Warning: "), code_spans(warning),
                        cls="notice warn"))
    body += [tag("h3", "Assumption checks"), checks_table(result),
             tag("h3", "How wrong may the assumptions be?"), *robustness_block(result, figures),
             tag("h3", "Diagnostics"), diagnostics_table(result)]
    return section(5, "estimates", "Estimates", *body)
