"""`prereg_text(study)`: a preregistration in Markdown, organised under the section names
of the OSF Preregistration template, written from the `.tdag` file alone (so it works
before any data exist) and deterministic (no dates, no data, no timestamps): the same file
gives the same text."""

from __future__ import annotations

from transport.estimate.scope import borrows_through_partial, relevant_variables, unsupported_reason
from transport.estimate.synthesis.borrowing import ROBUST_WEIGHT
from transport.report.escape import md, md_block, md_code
from transport.report.markdown_page import md_table
from transport.report.sentences import assumption_sentences, join_words, population_name
from transport.study import Study, VariableMechanism

OSF_SECTIONS = ("Study Information", "Hypotheses", "Design Plan", "Sampling Plan", "Variables",
                "Analysis Plan", "Inference Criteria")


def _var(study: Study, name: str) -> str:
    """`name` (“label”) for Markdown."""
    variable = study.variable(name)
    return md_code(name) + (f" ({md(variable.label)})" if variable.label else "")


def _pop(study: Study, name: str) -> str:
    return md_code(name) + f" ({md(population_name(study, name))})"


def effect_scale(study: Study) -> str:
    outcome = study.variable(study.query.outcome)
    if outcome.kind == "binary":
        return "a difference in the probability of the outcome"
    return f"a difference in the mean of {outcome.name}, in its units"


def _contrast(study: Study) -> str:
    contrast = study.query.contrast
    if contrast is None:
        return "1 vs 0" if study.variable(study.query.treatment).kind == "binary" else "as declared"
    return f"{contrast[0]} vs {contrast[1]}"


def study_information(study: Study) -> list[str]:
    info, query = study.info, study.query
    out = ["## Study Information", "", f"- **Title:** {md(info.title or 'Untitled study')}"]
    out.append(f"- **Authors:** {md(', '.join(info.authors)) if info.authors else 'not stated'}")
    if info.question:
        out.append(f"- **Research question:** {md(info.question)}")
    out.append(f"- **Effect of interest:** the effect of {_var(study, query.treatment)} on "
               f"{_var(study, query.outcome)} in {_pop(study, query.population)}, contrast "
               f"{md(_contrast(study))}, as {effect_scale(study)}.")
    out.append("- **Populations:**")
    for population in study.populations:
        role = "target (the people the claim is about)" if population.role == "target" \
            else "source (LLM agents)"
        out.append(f"  - {_pop(study, population.name)}: {role}")
    return out + [""]


def hypotheses(study: Study) -> list[str]:
    out = ["## Hypotheses", ""]
    if not study.hypotheses:
        return out + ["No `hypothesis` statements: the study estimates the effect without a "
                      "directional prediction.", ""]
    return out + [f"{i}. {md(text)}" for i, text in enumerate(study.hypotheses, 1)] + [""]


def design_sentence(study: Study, index: int) -> str:
    spec = study.data[index]
    measures = join_words([md_code(v) for v in spec.measures])
    if spec.randomized:
        randomized = join_words([_var(study, v) for v in spec.randomized])
        design = f"an experiment that randomizes {randomized} and measures {measures}"
    else:
        design = f"observational data (nothing randomized) that measure {measures}"
    return f"- {_pop(study, spec.population)}, file {md(spec.path)}: {design}."


def design_plan(study: Study) -> list[str]:
    out = ["## Design Plan", "", "**Study type.** A transport study: what is learned from "
           "LLM agents (the source populations) is carried to the target population only "
           "through the generalization assumptions stated below; everything else comes from "
           "the target's own data.", "", "**Data by population.**", ""]
    out += [design_sentence(study, i) for i in range(len(study.data))] or ["- none declared yet"]
    without = [p.name for p in study.populations if not study.data_for(p.name)]
    if without:
        out.append(f"- No data statement for {join_words([md_code(p) for p in without])}.")
    edges = [f"{a} -> {b}" for a, b in study.directed] + [f"{a} <-> {b}"
                                                          for a, b in study.bidirected]
    out += ["", "**Causal graph** (the same in every population; `<->` is an unmeasured common "
            "cause):", "", md_block("\n".join(edges)), "",
            "**Generalization assumptions.** Each is between one source and the target; a "
            "mechanism the file says nothing about is treated as differing.", ""]
    for row, sentence in assumption_sentences(study):
        notes = []
        if row.sharing.because:
            notes.append(f"Reason: {md(row.sharing.because)}.")
        if row.sharing.cite:
            notes.append(f"Citation: {md(row.sharing.cite)}.")
        out.append(f"- {md(sentence)}" + (" " + " ".join(notes) if notes else ""))
    return out + [""]


def sampling_plan(study: Study) -> list[str]:
    out = ["## Sampling Plan", ""]
    for spec in study.data:
        out.append(f"- {_pop(study, spec.population)}: rows in {md(spec.path)} "
                   f"({md(spec.design())}).")
    if not study.data:
        out.append("- No data statements yet.")
    return out + ["", "*Sample size and stopping rule: not fixed by the study file; the authors "
                  "state them here before data collection.*", ""]


def variables(study: Study) -> list[str]:
    randomized = sorted({v for spec in study.data for v in spec.randomized})
    out = ["## Variables", "", "**Manipulated variables:** "
           + (join_words([_var(study, v) for v in randomized]) if randomized
              else "none (no experiment declared)") + ".", "", "**All variables:**", ""]
    rows = []
    for variable in study.variables:
        measured_in = [f"{s.population}:{s.path}" for s in study.data
                       if variable.name in s.measures]
        role = "treatment" if variable.is_treatment else "outcome" if variable.is_outcome else ""
        rows.append([md_code(variable.name), variable.kind,
                     md(", ".join(str(x) for x in variable.levels)), md(variable.label), role,
                     md(", ".join(measured_in)) if measured_in else
                     ("latent (never measured)" if not variable.observed else "not measured")])
    return out + md_table(["variable", "type", "levels", "description", "role", "measured in"],
                          rows)


def _exact(study: Study, identification) -> bool:
    if not identification.transportable:
        return False
    outcome = study.query.outcome
    return all(study.variable(v).discrete for use in identification.uses
               for v in use.variables if v != outcome)


def _parametric_priors() -> str:
    try:
        from transport.estimate import mechanisms
    except ImportError:  # pragma: no cover - the parametric path is optional
        return "weakly informative Normal priors"
    logit = getattr(mechanisms, "LOGIT_SCALE", None)
    continuous = getattr(mechanisms, "CONTINUOUS_SCALE", None)
    if logit is None:
        return "weakly informative Normal priors"
    return (f"Normal(0, {logit:g}) priors on logit-scale intercepts and coefficients"
            + (f" and Normal(0, {continuous:g}) outcome-sd priors on continuous-outcome "
               "coefficients" if continuous is not None else ""))


def identification_lines(study: Study, identification) -> list[str]:
    out = ["### What follows from the assumptions", ""]
    if identification.transportable:
        from transport.identification.expr import to_latex, to_text

        out += ["Under these assumptions the effect is **transportable**: it equals the "
                "transport formula", "", "$$", to_latex(identification.estimand), "$$", "",
                md_block(to_text(identification.estimand)), "", "which reads:", ""]
        for use in identification.uses:
            design = (f"experiment({', '.join(use.experiment)})" if use.experiment
                      else "observational data")
            out.append(f"- {_pop(study, use.population)} {md(design)}: "
                       f"{md(', '.join(use.variables))}")
        return out + [""]
    if identification.status == "not_transportable":
        out += ["Under these assumptions the effect is **not transportable**: no formula "
                "exists.", ""]
        if identification.witness:
            out += [f"Why: {md(identification.witness)}", ""]
    else:
        out += ["Under these assumptions **no transport formula was found** with what the data "
                "statements measure (a limit of the search, not a proof).", ""]
    if identification.suggestions:
        from transport.report.content import suggestion_text

        out += ["Any one of these would make it transportable:", ""]
        out += [f"- {md(suggestion_text(s))}" for s in identification.suggestions]
        out.append("")
    return out


def _claim_lines(study: Study) -> list[str]:
    """Each claim that lets a source's rows into a target mechanism, with its prior weight of
    failing in the robust mixture."""
    out = []
    relevant = set(relevant_variables(study))
    for row in study.assumptions:
        status = row.sharing.status
        if (status not in ("shared", "partial") or not isinstance(row.mechanism,
                                                                  VariableMechanism)
                or row.mechanism.variable not in relevant):
            continue
        weight = ROBUST_WEIGHT if row.sharing.robust is None else row.sharing.robust
        source = md_code(row.source)
        what = (f"the same parameters in {source} and the target" if status == "shared" else
                f"the target's parameters are {source}'s plus a shift of standard deviation "
                f"{row.sharing.sd:g}")
        out.append(f"- {md(row.mechanism.describe())}: {what}; prior probability that the "
                   f"claim fails {weight:g}" + (" (stated: `robust`)"
                                                if row.sharing.robust is not None else ""))
    return out


def _joint_model_lines(study: Study) -> list[str]:
    """The joint model of every population under the declared ties (estimate/synthesis)."""
    fit = study.fit
    seed = str(fit.seed) if fit.seed is not None else "none declared (the toolkit then uses 0)"
    claims = _claim_lines(study)
    return [
        "One joint model of every population's mechanisms under the declared ties (no MCMC: "
        "exact conjugate draws where they exist, Laplace approximations for regressions). "
        "Each mechanism P(v | parents) has parameters per population: a `shared` claim gives "
        "the source and the target the same parameters, so their rows pool; `partial v sd X` "
        "makes the target's parameters the source's plus a shift of standard deviation X; "
        "`differs` keeps them separate. Every data statement updates the parameters it "
        "informs (randomized variables have their incoming edges cut in that dataset). "
        "Discrete mechanisms get Dirichlet-multinomial cells pooled towards a lower-order "
        "model where cells are sparse; continuous parents enter through penalised splines "
        "(or the file's `model` statements), continuous covariates as Bayesian-bootstrap "
        "atoms. The target effect is the g-formula over the target's mechanisms, once per "
        "posterior draw, so every identifying route in the data is combined by the "
        "likelihood, whatever the order of the file's statements.",
        "",
        "Where the target's own rows inform a tied mechanism, the tie enters through a robust "
        "mixture (as in RBesT's robustified priors): with its prior probability the claim "
        "fails — a `shared` source's rows are then not borrowed, a `partial` shift has the "
        "wide component of a heavy-tailed mixture of the same standard deviation — and the "
        "target's rows weigh the two. The claims:",
        "",
        *(claims or ["- none: no source's rows can enter a target mechanism"]),
        "",
        f"- Effect: {effect_scale(study)}, contrast {md(_contrast(study))}.",
        f"- Draws: {fit.chains * fit.draws} independent draws (chains × draws in `fit`); "
        f"seed: {md(seed)}.",
        "- Reported beside the estimate: each source's own effect, the estimate without each "
        "source (leave-one-population-out) and its worth in human participants, and for "
        "every claim the shift scale at which the conclusion flips, in the effect's units.",
    ]


def analysis_plan(study: Study) -> list[str]:
    from transport.identification.from_study import identify_study

    identification = identify_study(study)
    fit = study.fit
    seed = str(fit.seed) if fit.seed is not None else "none declared (the toolkit then uses 0)"
    out = ["## Analysis Plan", "", *identification_lines(study, identification),
           "### Statistical model", ""]
    joint = unsupported_reason(study) is None and (
        identification.transportable
        or borrows_through_partial(study, relevant_variables(study)))
    if joint:
        out += _joint_model_lines(study)
    elif _exact(study, identification):
        out += [
            "The exact conjugate path (no MCMC): each discrete table the formula reads gets a "
            "Dirichlet(1 + counts) posterior (one per value of the randomized variables for an "
            "experiment); a continuous or count outcome's cell means get the Jeffreys-prior "
            "posterior of a normal mean (Student-t(n − 1) around the cell mean, scale s/√n). "
            "The formula is evaluated once per posterior draw.",
            "",
            f"- Effect: {effect_scale(study)}, contrast {md(_contrast(study))}.",
            f"- Draws: {fit.chains * fit.draws} independent draws (chains × draws in `fit`); "
            f"seed: {md(seed)}.",
        ]
    elif identification.transportable:
        out += [
            "The transport formula involves continuous variables other than the outcome, so "
            "the parametric Bayesian model is used: one regression per mechanism and "
            "population (logistic, ordered logistic, softmax, Poisson or normal by type), "
            f"with {_parametric_priors()}; a shared mechanism has one parameter set, a "
            "`partial` one the source's parameters plus a Normal(0, sd) shift.",
            "",
            f"- Sampler: {md(fit.sampler)}, {fit.chains} chains × {fit.draws} draws after "
            f"{fit.tune} tuning steps, target_accept {fit.target_accept:g}; seed: {md(seed)}.",
        ]
    else:
        out += ["No estimate will be computed under these assumptions: the toolkit refuses "
                "rather than produce a number the stated assumptions do not license. The "
                "authors will report this, and any estimate obtained after changing an "
                "assumption will be labelled as such.", ""]
    out += [
        "- The 95% highest-density interval, the posterior mean and sd, and P(effect > 0) are "
        "reported, beside each source's own experimental effect and the naive estimate (the "
        "source's effect taken as the target's).",
        "- Rows with a missing value in a measured variable stop the analysis unless the "
        "authors state here that they are dropped (`--drop-missing`); dropped rows are "
        "reported.",
        "",
        "### Checks of the assumptions",
        "",
        *(_joint_checks() if joint else _formula_checks()),
        "",
    ]
    return out


def _joint_checks() -> list[str]:
    return [
        "Every claim is checked between every pair of populations whose rows speak to the "
        "mechanism: the target against each source declared `shared` or `partial`, and two "
        "sources both tied to the target against each other (no human data needed). The "
        "statistic is the mechanism's treatment contrast (else its mean) standardised over "
        "one distribution of the other parents, from each population's own rows; a claim is "
        "*contradicted* when the gap's two-sided posterior p-value, after the shift a "
        "`partial` claim allows, is below 0.05, or, for `shared`, when the cell-by-cell Bayes "
        "factor favours separate mechanisms by more than 100. For every claim the tipping "
        "point is the smallest shift scale at which the conclusion changes.",
    ]


def _formula_checks() -> list[str]:
    return [
        "Every `shared` or `partial` mechanism that some source and the target both observe is "
        "checked on the target's observations: the exact leave-one-out elpd difference between "
        "the shared model and the target-alone model (with its standard error) and a posterior "
        "predictive check (Pearson discrepancy, 1,000 replications). A mechanism is "
        "*contradicted* when the shared model predicts worse by more than two standard errors "
        "and by more than 4 on the elpd scale, or, for a `shared` claim, when the posterior "
        "predictive p-value is below 0.05. The robustness curve reports the smallest shift "
        "scale (0 to 3) at which the 95% interval includes 0.",
    ]


#: Comparisons in words: prose reads "greater than", not a symbol Markdown must escape.
COMPARISON_WORDS = {">": "greater than", ">=": "at least", "<": "less than", "<=": "at most"}


def inference_criteria(study: Study) -> list[str]:
    out = ["## Inference Criteria", ""]
    if study.decision is not None:
        rule = study.decision
        out.append(f"Decision rule: {md_code(rule.describe())}. The authors will conclude "
                   f"“{md(rule.label)}” if the posterior probability that the effect is "
                   f"{COMPARISON_WORDS[rule.effect_comparison]} {rule.effect_threshold:g} is "
                   f"{COMPARISON_WORDS[rule.prob_comparison]} {rule.prob_threshold:g}, and will "
                   "not conclude "
                   "it otherwise.")
    else:
        out.append("No decision rule declared (`decide`): the 95% interval of the effect will "
                   "be reported as the result, with no decision attached.")
    out += ["", "**If an assumption check fails.** When the data contradict a `shared` "
            "mechanism, the authors will report the contradiction and the estimate without "
            "that assumption (identification re-run with the mechanism declared differing and, "
            "if still transportable, the effect re-estimated), beside the main estimate; if the "
            "effect is no longer transportable, they will say so and not present the main "
            "estimate as confirmed.", ""]
    return out


def prereg_text(study: Study) -> str:
    """The preregistration in Markdown (deterministic for the same study file)."""
    from transport.version import __version__

    name = study.path.name if study.path else "the study file"
    out = [f"# Preregistration: {md(study.info.title or 'Untitled study')}", "",
           f"*Written by transport {__version__} from {md(name)}; every "
           "assumption below is one the analysis uses, and no other.*", ""]
    out += study_information(study) + hypotheses(study) + design_plan(study)
    out += sampling_plan(study) + variables(study) + analysis_plan(study)
    out += inference_criteria(study)
    return "\n".join(out)
