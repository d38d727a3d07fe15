"""An estimation result as terminal text, read from the result's fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from transport.estimate.result import EstimateResult

if TYPE_CHECKING:
    from transport.estimate.synthesis.effective import EffectiveSample


def _interval(values) -> str:
    low, high = values
    return f"[{low:+.3f}, {high:+.3f}]"


def _basis_lines(result: EstimateResult) -> list[str]:
    """Whose rows carry the estimate and which claims it rests on, checked or not."""
    lines = [f"  carried by: {result.basis().carried_by}"]
    target = result.query.population
    claims = []
    for item in result.borrowing:
        if item.checked:
            how = f"checked by {target} rows, borrowing weight {item.weight:.2f}"
        else:
            how = f"no {target} rows can check it"
        claims.append(f"{item.statement} ({how})")
    if claims:
        lines.append("  rests on: " + "; ".join(claims))
    return lines


def effective_sentences(samples: Sequence[EffectiveSample]) -> list[str]:
    """One plain sentence per mechanism whose rows clusters or per-unit predictions made
    worth a different number of observations (the estimate's `effective_samples`)."""
    found = []
    for item in samples:
        cluster, powered = item.effective.cluster, item.effective.prediction
        if cluster is None and powered is None:
            continue
        text = (f"{item.mechanism} in {item.population}: {item.rows} rows worth "
                f"{item.effective.effective_n:.0f} observations")
        if cluster is not None:
            text += (f"; {cluster.clusters} clusters of {', '.join(cluster.columns)}, "
                     f"design effect {cluster.pooled:.2f}")
        if powered is not None:
            text += (f"; {powered.predictor}'s predictions on {powered.unlabelled_rows} "
                     f"unlabelled rows raise it from {powered.labelled_effective_n:.0f}, "
                     f"assuming {powered.assumption}")
        found.append(text + ".")
    return found


def _effective_lines(result: EstimateResult) -> list[str]:
    """Where clusters or per-unit predictions changed what a mechanism's rows are worth."""
    sentences = effective_sentences(result.effective_samples)
    if not sentences:
        return []
    return ["", "Rows at their effective size (clusters, per-unit predictions):",
            *(f"  {s}" for s in sentences)]


def _other_lines(result: EstimateResult) -> list[str]:
    """The naive, calibrated, prediction-powered and frequentist estimates beside it."""
    lines = []
    if result.source_effects:
        lines += ["", "Each source's own effect (its experiment, taken as is):"]
        for source, summary in result.source_effects.items():
            lines.append(f"  {source:<12} {summary.mean:+.3f}  95% HDI "
                         f"{_interval(summary.hdi_95)}")
    if result.naive:
        lines.append(f"  naive estimate (from {result.naive.source}): {result.naive.mean:+.3f}")
    for item in result.calibrated:
        if item.applies:
            lines.append(
                f"  calibrated from {item.source} ({item.calibration}): "
                f"{item.summary.mean:+.3f}  95% HDI {_interval(item.summary.hdi_95)}  "
                f"(human = a + b x LLM; b = {item.slope_mean:.2f})"
            )
        else:
            lines.append(f"  calibration {item.calibration}: not applied ({item.reason})")
    ppi = result.ppi
    if ppi is not None and ppi.applies:
        classical = ppi.classical
        lines += [
            "",
            f"Prediction-powered estimate (PPI++, {ppi.kind}; predictor {ppi.predictor}):",
            f"  {ppi.estimate:+.3f}  95% CI {_interval(ppi.ci_95)}  (human data "
            f"alone: {classical.estimate:+.3f} {_interval(classical.ci)})",
            f"  effective human n {ppi.effective_human_n:.0f} from {ppi.n_labelled} "
            f"labelled units ({ppi.llm_worth_n:+.0f} from the predictions)"
            + (f"; clusters: {ppi.cluster}" if ppi.cluster else "")
            + ("; weighted" if ppi.weighted else ""),
            f"  assumes: {ppi.assumption}",
        ]
        lines += [f"  note: {w}" for w in ppi.warnings]
    bayes = result.bayes_ppi
    if bayes:
        lines.append(f"  Bayesian counterpart ({bayes.predictor}): {bayes.mean:+.3f}  "
                     f"95% HDI {_interval(bayes.hdi_95)}")
    frequentist = result.frequentist
    if frequentist:
        lines += ["", f"Frequentist cross-check (bootstrap of {frequentist.bootstrap}, "
                  f"{frequentist.source}'s experiment reweighted to the target sample):"]
        for name in ("ipsw", "g_transport", "aipsw"):
            item = getattr(frequentist, name)
            if item:
                lines.append(f"  {name.upper().replace('_', '-'):<12} {item.estimate:+.3f}  "
                             f"95% CI {_interval(item.ci_95)}")
    return lines


def _check_lines(result: EstimateResult) -> list[str]:
    """The graph's implications and the sharing claims against the data."""
    lines = []
    if result.implications:
        tested = [i for i in result.implications if i.verdict != "not_testable"]
        violated = [i for i in tested if i.verdict == "violated"]
        lines += ["", f"The graph against the data: {len(tested)} implied "
                  f"independenc{'y' if len(tested) == 1 else 'ies'} tested, {len(violated)} "
                  "violated (Holm-adjusted)"]
        lines += [f"  violated: {i.statement} in {i.population}"
                  + (f"; {i.fix}" if i.fix else "") for i in violated]
    if result.assumption_checks:
        lines += ["", "Sharing claims against the data:"]
        for check in result.assumption_checks:
            first, second = check.between
            head = f"  {check.mechanism}: {first} vs {second} ({check.declared}): "
            if check.verdict == "not_testable":
                lines.append(head + f"not testable ({check.reason})")
                continue
            lines.append(head + f"{check.verdict} ({check.summary()})")
            without = check.without
            if without:
                if without.mean is not None:
                    lines.append(f"    without it: {without.mean:+.3f} "
                                 f"{_interval(without.hdi_95)}")
                else:
                    lines.append("    without it the effect is not transportable")
    if result.contributions:
        lines += ["", "What each source contributed:"]
        for item in result.contributions:
            if item.effect_without:
                mean, interval = item.effect_without
                shown = f"{mean:+.3f} {_interval(interval)}"
            else:
                shown = "not estimable"
            lines.append(f"  without {item.population}: {shown}; {item.note}")
    return lines


def _robustness_lines(result: EstimateResult, null: float) -> list[str]:
    """How far the sharing claims may fail before the conclusion flips."""
    curve = result.robustness
    if not curve:
        return []
    lines = ["", "How wrong may the sharing claims be?"]
    if not curve.applies:
        lines.append(f"  {curve.note}")
    elif curve.tipping_points:
        lines.append(f"  criterion: {curve.criterion}")
        for point in curve.tipping_points:
            if point.conclusion is None:
                lines.append(f"  {point.statement}: the estimate draws no conclusion "
                             f"(its interval includes {null:g}), so there is none to flip")
            elif point.sd_at_flip is None:
                lines.append(f"  {point.statement}: the conclusion holds at every shift "
                             f"scale tried (up to {point.scales[-1]:g})")
            else:
                lines.append(
                    f"  {point.statement}: the conclusion flips at shift scale "
                    f"{point.sd_at_flip:.2f}: it holds unless {point.population}'s "
                    f"{point.mechanism} differs from the target's enough to move the "
                    f"effect by more than {point.effect_gap_at_flip:.3f}"
                )
    elif curve.scale_at_flip is None:
        lines.append(f"  the 95% interval excludes {null:g} at every shift scale tried "
                     f"(up to {curve.scales[-1]:g})")
    elif curve.scale_at_flip == 0:
        lines.append(f"  the 95% interval already includes {null:g} with no shift of the "
                     "shared mechanisms")
    else:
        lines.append(f"  the 95% interval first includes {null:g} at shift scale "
                     f"{curve.scale_at_flip:g} ({curve.units})")
        for mechanism, scale in curve.by_mechanism.items():
            shown = "never within the range tried" if scale is None else f"at {scale:g}"
            lines.append(f"    {mechanism} alone: {shown}")
    return lines


def estimate_text(result: EstimateResult) -> str:
    """The estimate as the terminal shows it."""
    query = result.query
    a, b = query.contrast if query.contrast else ("a", "b")
    effect = result.effect
    lines = [
        f"Effect of {query.treatment} ({a} vs {b}) on {query.outcome} in "
        f"{query.population} ({result.effect_scale}):",
        f"  {effect.mean:+.3f}  sd {effect.sd:.3f}  95% HDI {_interval(effect.hdi_95)}"
        f"  P(effect > {effect.null:g}) = {effect.prob_positive:.3f}",
        f"  method: {result.method}",
        "  identified by: " + (result.estimand or "no nonparametric formula (not transportable "
                               "from the data statements alone); the estimate rests on the "
                               "`partial` claims"),
    ]
    lines += _basis_lines(result)
    if result.decision:
        rule = result.decision
        verdict = "met" if rule.holds else "not met"
        lines.append(
            f"  decision rule '{rule.rule.describe()}': {verdict} "
            f"(posterior probability {rule.probability:.3f})"
        )
    prior = result.prior
    if prior and prior.contraction is not None:
        shown = ">99%" if 0.995 <= prior.contraction < 1 else f"{prior.contraction:.0%}"
        lines.append(
            f"  the data narrow the prior's spread of the effect by {shown} (prior sd "
            f"{prior.sd:.3f})"
        )
    lines += _other_lines(result)
    lines += _check_lines(result)
    lines += _effective_lines(result)
    lines += _robustness_lines(result, effect.null)
    diagnostics = result.diagnostics
    lines += ["", f"Draws: {result.draws} (seed {result.seed}); "
              + (diagnostics.note or
                 f"R-hat max {diagnostics.rhat_max:.3f}, ESS bulk min "
                 f"{diagnostics.ess_bulk_min:.0f}, ESS tail min "
                 f"{diagnostics.ess_tail_min:.0f}, divergences {diagnostics.divergences}")]
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
