"""Mixed-subjects designs: human answers, each source's per-unit predictions of them, and
unlabelled units with predictions only. PPI++ (`ppi`) and a Bayesian joint model
(`bayes_ppi`), both cluster-robust and weighted, on the inputs of `inputs` and returning the
values of `results`; numpy and scipy only, no Study objects. docs/mixed_subjects.md gives
the theory."""
