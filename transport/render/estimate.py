"""An estimation result as terminal text."""

from __future__ import annotations

from transport.estimate.result import EstimateResult


def _interval(values) -> str:
    low, high = values
    return f"[{low:+.3f}, {high:+.3f}]"


def _basis_lines(data: dict) -> list[str]:
    """Whose rows carry the estimate and which claims it rests on, checked or not."""
    basis = data.get("basis") or {}
    if not basis:
        return []
    lines = [f"  carried by: {basis['carried_by']}"]
    claims = []
    for item in data.get("borrowing") or []:
        if item["checked_by_target_rows"]:
            how = f"checked by {data['query']['population']} rows, borrowing weight " \
                  f"{item['weight']:.2f}"
        else:
            how = f"no {data['query']['population']} rows can check it"
        claims.append(f"{item['statement']} ({how})")
    if claims:
        lines.append("  rests on: " + "; ".join(claims))
    return lines


def effective_sentences(result: dict) -> list[str]:
    """One plain sentence per mechanism whose rows clusters or per-unit predictions made
    worth a different number of observations (the estimate JSON's `effective_samples`)."""
    found = []
    for item in result.get("effective_samples") or []:
        cluster, powered = item.get("cluster"), item.get("prediction_powered")
        if not (cluster or powered):
            continue
        text = (f"{item['mechanism']} in {item['population']}: {item['rows']} rows worth "
                f"{item['effective_n']:.0f} observations")
        if cluster:
            text += (f"; {cluster['clusters']} clusters of {', '.join(cluster['columns'])}, "
                     f"design effect {cluster['design_effect']:.2f}")
        if powered:
            text += (f"; {powered['predictor']}'s predictions on {powered['unlabelled_rows']} "
                     f"unlabelled rows raise it from {powered['labelled_effective_n']:.0f}, "
                     f"assuming {powered['assumption']}")
        found.append(text + ".")
    return found


def _effective_lines(data: dict) -> list[str]:
    """Where clusters or per-unit predictions changed what a mechanism's rows are worth."""
    sentences = effective_sentences(data)
    if not sentences:
        return []
    return ["", "Rows at their effective size (clusters, per-unit predictions):",
            *(f"  {s}" for s in sentences)]


def estimate_text(result: EstimateResult) -> str:
    data = result.to_json()
    query = data["query"]
    a, b = query["contrast"] if query["contrast"] else ("a", "b")
    effect = data["effect"]
    lines = [
        f"Effect of {query['treatment']} ({a} vs {b}) on {query['outcome']} in "
        f"{query['population']} ({data['effect_scale']}):",
        f"  {effect['mean']:+.3f}  sd {effect['sd']:.3f}  95% HDI {_interval(effect['hdi_95'])}"
        f"  P(effect > {effect.get('null', 0):g}) = {effect['prob_positive']:.3f}",
        f"  method: {data['method']}",
        "  identified by: " + (data["estimand"] or "no nonparametric formula (not transportable "
                               "from the data statements alone); the estimate rests on the "
                               "`partial` claims"),
    ]
    lines += _basis_lines(data)
    if data.get("decision"):
        rule = data["decision"]
        verdict = "met" if rule["holds"] else "not met"
        lines.append(
            f"  decision rule '{rule['rule']}': {verdict} "
            f"(posterior probability {rule['probability']:.3f})"
        )
    if data["prior"] and data["prior"]["contraction"] is not None:
        contraction = data["prior"]["contraction"]
        shown = ">99%" if 0.995 <= contraction < 1 else f"{contraction:.0%}"
        lines.append(
            f"  the data narrow the prior's spread of the effect by {shown} (prior sd "
            f"{data['prior']['sd']:.3f})"
        )
    if data["source_effects"]:
        lines += ["", "Each source's own effect (its experiment, taken as is):"]
        for source, summary in data["source_effects"].items():
            lines.append(f"  {source:<12} {summary['mean']:+.3f}  95% HDI "
                         f"{_interval(summary['hdi_95'])}")
    if data["naive"]:
        naive = data["naive"]
        lines.append(f"  naive estimate (from {naive['source']}): {naive['mean']:+.3f}")
    for item in data.get("calibrated", []):
        if item["applies"]:
            lines.append(
                f"  calibrated from {item['source']} ({item['calibration']}): "
                f"{item['mean']:+.3f}  95% HDI {_interval(item['hdi_95'])}  (human = a + b x LLM; "
                f"b = {item['slope']['mean']:.2f})"
            )
        else:
            lines.append(f"  calibration {item['calibration']}: not applied ({item['reason']})")
    ppi = data.get("ppi")
    if ppi and ppi.get("applies"):
        classical = ppi["classical"]
        lines += [
            "",
            f"Prediction-powered estimate (PPI++, {ppi['kind']}; predictor "
            f"{ppi['predictor']}):",
            f"  {ppi['estimate']:+.3f}  95% CI {_interval(ppi['ci_95'])}  (human data "
            f"alone: {classical['estimate']:+.3f} {_interval(classical['ci_95'])})",
            f"  effective human n {ppi['effective_human_n']:.0f} from {ppi['n_labelled']} "
            f"labelled units ({ppi['llm_worth_n']:+.0f} from the predictions)"
            + (f"; clusters: {ppi['cluster']}" if ppi.get("cluster") else "")
            + ("; weighted" if ppi.get("weighted") else ""),
            f"  assumes: {ppi['assumption']}",
        ]
        lines += [f"  note: {w}" for w in ppi.get("warnings", [])]
    bayes = data.get("bayes_ppi")
    if bayes:
        lines.append(f"  Bayesian counterpart ({bayes['predictor']}): {bayes['mean']:+.3f}  "
                     f"95% HDI {_interval(bayes['hdi_95'])}")
    frequentist = data.get("frequentist")
    if frequentist:
        lines += ["", f"Frequentist cross-check (bootstrap of {frequentist['bootstrap']}, "
                  f"{frequentist['source']}'s experiment reweighted to the target sample):"]
        for name in ("ipsw", "g_transport", "aipsw"):
            item = frequentist.get(name)
            if item:
                lines.append(f"  {name.upper().replace('_', '-'):<12} {item['estimate']:+.3f}  "
                             f"95% CI {_interval(item['ci_95'])}")
    implications = data.get("implications") or []
    if implications:
        tested = [i for i in implications if i["verdict"] != "not_testable"]
        violated = [i for i in tested if i["verdict"] == "violated"]
        lines += ["", f"The graph against the data: {len(tested)} implied "
                  f"independenc{'y' if len(tested) == 1 else 'ies'} tested, {len(violated)} "
                  "violated (Holm-adjusted)"]
        lines += [f"  violated: {i['statement']} in {i['population']}"
                  + (f"; {i['fix']}" if i.get("fix") else "") for i in violated]
    if data["assumption_checks"]:
        lines += ["", "Sharing claims against the data:"]
        for check in data["assumption_checks"]:
            first, second = check["between"]
            head = f"  {check['mechanism']}: {first} vs {second} ({check['declared']}): "
            if check["verdict"] == "not_testable":
                lines.append(head + f"not testable ({check['reason']})")
                continue
            lines.append(head + f"{check['verdict']} ({check['summary']})")
            without = check.get("without")
            if without:
                if without.get("mean") is not None:
                    lines.append(f"    without it: {without['mean']:+.3f} "
                                 f"{_interval(without['hdi_95'])}")
                else:
                    lines.append("    without it the effect is not transportable")
    if data.get("contributions"):
        lines += ["", "What each source contributed:"]
        for item in data["contributions"]:
            without = item["effect_without"]
            shown = (f"{without['mean']:+.3f} {_interval(without['hdi_95'])}" if without
                     else "not estimable")
            lines.append(f"  without {item['population']}: {shown}; {item['note']}")
    lines += _effective_lines(data)
    null = effect.get("null", 0)
    curve = data["robustness"]
    if curve:
        lines += ["", "How wrong may the sharing claims be?"]
        if not curve.get("applies", True):
            lines.append(f"  {curve['note']}")
        elif curve.get("tipping_points"):
            lines.append(f"  criterion: {curve['criterion']}")
            for point in curve["tipping_points"]:
                if point["conclusion"] is None:
                    lines.append(f"  {point['statement']}: the estimate draws no conclusion "
                                 f"(its interval includes {null:g}), so there is none to flip")
                elif point["sd_at_flip"] is None:
                    lines.append(f"  {point['statement']}: the conclusion holds at every shift "
                                 f"scale tried (up to {point['scales'][-1]:g})")
                else:
                    lines.append(
                        f"  {point['statement']}: the conclusion flips at shift scale "
                        f"{point['sd_at_flip']:.2f}: it holds unless {point['population']}'s "
                        f"{point['mechanism']} differs from the target's enough to move the "
                        f"effect by more than {point['effect_gap_at_flip']:.3f}"
                    )
        elif curve["scale_at_flip"] is None:
            lines.append(f"  the 95% interval excludes {null:g} at every shift scale tried "
                         f"(up to {curve['scales'][-1]:g})")
        elif curve["scale_at_flip"] == 0:
            lines.append(f"  the 95% interval already includes {null:g} with no shift of the "
                         "shared mechanisms")
        else:
            lines.append(f"  the 95% interval first includes {null:g} at shift scale "
                         f"{curve['scale_at_flip']:g} ({curve['units']})")
            for mechanism, scale in curve.get("by_mechanism", {}).items():
                shown = "never within the range tried" if scale is None else f"at {scale:g}"
                lines.append(f"    {mechanism} alone: {shown}")
    diagnostics = data["diagnostics"]
    lines += ["", f"Draws: {data['draws']} (seed {data['seed']}); "
              + (diagnostics.get("note") or
                 f"R-hat max {diagnostics['rhat_max']:.3f}, ESS bulk min "
                 f"{diagnostics['ess_bulk_min']:.0f}, ESS tail min "
                 f"{diagnostics['ess_tail_min']:.0f}, divergences {diagnostics['divergences']}")]
    for warning in data["warnings"]:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
