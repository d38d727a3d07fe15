"""Snapshots of the diagnostics for the version 2 clauses (predictions, cluster, weight,
recode, scale) and the post-treatment covariate rule, rendered exactly as users see them.

`tests/check/test_messages.py` runs these with its own cases (and counts their codes as
snapshotted); they live here so that this round's language changes stay in one place.
"""
# The snapshots must match the output byte for byte, so some of their lines are long.
# ruff: noqa: E501

from __future__ import annotations

import pytest
from shared_fixtures import MINIMAL_STUDY

HEAD = MINIMAL_STUDY
PREFIX = """\
population gpt source
population human target
"""

DESIGN_CASES = [
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x)
  predictions { y by human = "gpt_y" }
""",
        """\
t.tdag:8:22: error[E100]: 'human' is the target; predictions come from a source population
 8 |   predictions { y by human = "gpt_y" }
   |                      ^^^^^
   = help: name a source: gpt
""",
        id="E100-predictions-by-the-target",
    ),
    pytest.param(
        HEAD + """\
var u latent
u -> y
shared u
data human "h.csv" experiment(x)
  predictions { u by gpt = "gpt_u" }
""",
        """\
t.tdag:11:17: error[E101]: 'u' is latent: there is no observed answer for a prediction of it to predict
 11 |   predictions { u by gpt = "gpt_u" }
    |                 ^
    = help: predictions are of observed variables, such as the outcome
""",
        id="E101-prediction-of-a-latent-variable",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x)
  predictions { x by gpt = "gpt_x" }
""",
        """\
t.tdag:8:17: error[E102]: 'x' is randomized in this data statement: its values are set by the design, not predicted
 8 |   predictions { x by gpt = "gpt_x" }
   |                 ^
""",
        id="E102-prediction-of-a-randomized-variable",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x) columns { y = "answer" }
  predictions { y by gpt = "answer" }
""",
        """\
t.tdag:8:28: error[E103]: column 'answer' is bound to 'y' by columns { }; a prediction needs a column of its own
 8 |   predictions { y by gpt = "answer" }
   |                            ^^^^^^^^
   = help: a column holds either 'y' or a prediction of it, not both
""",
        id="E103-prediction-column-bound-to-a-variable",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x)
  predictions { y by gpt = "y" }
""",
        """\
t.tdag:8:28: error[E103]: column 'y' holds 'y' (it is named like the variable); a prediction needs a column of its own
 8 |   predictions { y by gpt = "y" }
   |                            ^^^
   = help: a column holds either 'y' or a prediction of it, not both
""",
        id="E103-prediction-column-named-like-a-variable",
    ),
    pytest.param(
        HEAD + """\
population claude source
data human "h.csv" experiment(x)
  predictions { y by gpt = "gpt_y", y by gpt = "gpt_y2", y by claude = "gpt_y" }
""",
        """\
t.tdag:9:37: error[E104]: gpt's prediction of 'y' is already given
 9 |   predictions { y by gpt = "gpt_y", y by gpt = "gpt_y2", y by claude = "gpt_y" }
   |                                     ^^^^^^^^^^^^^^^^^^^
t.tdag:9:72: error[E104]: column 'gpt_y' already holds the prediction y by gpt
 9 |   predictions { y by gpt = "gpt_y", y by gpt = "gpt_y2", y by claude = "gpt_y" }
   |                                                                        ^^^^^^^
""",
        id="E104-prediction-given-twice",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x)
  predictions { y by gpt = "gpt_y" }
""",
        """\
t.tdag:8:3: error[E105]: predictions belong to data of the target's units, and 'gpt' is a source
 8 |   predictions { y by gpt = "gpt_y" }
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: put the LLM's per-unit predictions on the data statement of the human units they predict
""",
        id="E105-predictions-on-source-data",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x)
  cluster "x"
""",
        """\
t.tdag:8:11: error[E106]: column 'x' holds 'x' (it is named like the variable); the cluster column must be a column of its own
 8 |   cluster "x"
   |           ^^^
""",
        id="E106-cluster-column-of-a-variable",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x)
  predictions { y by gpt = "gpt_y" }
  cluster "id"
  weight "id"
""",
        """\
t.tdag:10:10: error[E106]: column 'id' is already the cluster column; the weight column must be a column of its own
 10 |   weight "id"
    |          ^^^^
""",
        id="E106-weight-column-is-the-cluster-column",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" observational measures(x)
  recode y { "Yes" = 1, "No" = 0 }
""",
        """\
t.tdag:8:10: error[E107]: 'y' is not measured here: this data statement has no column of it to recode
 8 |   recode y { "Yes" = 1, "No" = 0 }
   |          ^
   = help: add 'y' to measures(...), or drop the recode
""",
        id="E107-recode-of-an-unmeasured-variable",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var y ordinal(1..5) outcome
var c categorical(red, blue)
{x c} -> y
shared y, c
data human "h.csv" experiment(x)
  recode y { "Strongly disagree" = 1, "Agree" = 6 }
  recode c { "Red" = red, "Blue" = bleu }
  recode x { "Shown" = yes }
""",
        """\
t.tdag:9:49: error[E108]: 6 is not a value of 'y' (ordinal: a whole number from 1 to 5)
 9 |   recode y { "Strongly disagree" = 1, "Agree" = 6 }
   |                                                 ^
t.tdag:10:36: error[E108]: 'bleu' is not a level of 'c' (red, blue)
 10 |   recode c { "Red" = red, "Blue" = bleu }
    |                                    ^^^^
    = help: did you mean 'blue'?
t.tdag:11:24: error[E108]: 'x' is binary: a recode gives it a number, not 'yes'
 11 |   recode x { "Shown" = yes }
    |                        ^^^
""",
        id="E108-recode-value-not-of-the-type",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x)
  recode y { "Yes" = 1, "yes" = 1, "Yes" = 0 }
  recode y { "No" = 0 }
""",
        """\
t.tdag:8:36: error[E109]: "Yes" is recoded twice for 'y'
 8 |   recode y { "Yes" = 1, "yes" = 1, "Yes" = 0 }
   |                                    ^^^^^
t.tdag:9:10: error[E109]: 'y' is already recoded on line 8
 9 |   recode y { "No" = 0 }
   |          ^
   = help: give one recode per variable, with every raw value in it
""",
        id="E109-recode-key-twice",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y scale ratios
""",
        """\
t.tdag:7:33: error[E110]: unknown scale 'ratios'
 7 | estimate effect of x on y scale ratios
   |                                 ^^^^^^
   = help: did you mean 'ratio'?
""",
        id="E110-unknown-scale",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var y continuous outcome
x -> y
shared y
estimate effect of x on y contrast 1 vs 0 scale odds_ratio
""",
        """\
t.tdag:7:49: error[E111]: scale odds_ratio compares probabilities, and the outcome 'y' is continuous, not binary
 7 | estimate effect of x on y contrast 1 vs 0 scale odds_ratio
   |                                                 ^^^^^^^^^^
   = help: an odds ratio needs a binary outcome; use scale difference
""",
        id="E111-ratio-scale-for-a-continuous-outcome",
    ),
    pytest.param(
        HEAD + """\
var seen binary "Noticed the message"
x -> seen <-> y
shared seen, seen <-> y
data human "h.csv" experiment(x) measures(x, y, seen)
""",
        """\
t.tdag:10:49: error[E112]: 'seen' is adjusted for as a covariate (it is measured beside 'x' and 'y'), but the graph makes it an effect of the treatment that is tied to 'y': holding it fixed biases the effect
 10 | data human "h.csv" experiment(x) measures(x, y, seen)
    |                                                 ^^^^
    = help: a covariate must be fixed before the treatment: drop 'seen' from this data statement's measures(...), or, if 'x' cannot affect 'seen', remove the path from 'x' to it
""",
        id="E112-post-treatment-covariate",
    ),
    pytest.param(
        HEAD + """\
var gpt_y binary
x -> gpt_y <-> y
shared gpt_y, gpt_y <-> y
data human "h.csv" experiment(x)
""",
        """\
t.tdag:10:6: error[E112]: 'gpt_y' is adjusted for as a covariate (it is measured beside 'x' and 'y'), but the graph makes it an effect of the treatment that is tied to 'y': holding it fixed biases the effect
 10 | data human "h.csv" experiment(x)
    |      ^^^^^^^^^^^^^
    = help: if 'gpt_y' holds an LLM's prediction of 'y' for each unit, it is not a variable: declare it on the data statement as predictions { y by gpt = "gpt_y" } and drop 'var gpt_y'
""",
        id="E112-post-treatment-prediction",
    ),
    pytest.param(
        HEAD + """\
var regret binary "Regrets the choice"
{x y} -> regret
shared regret
data human "h.csv" observational
""",
        """\
t.tdag:10:6: error[E112]: 'regret' is adjusted for as a covariate (it is measured beside 'x' and 'y'), but the graph makes it an effect of the treatment that is tied to 'y': holding it fixed biases the effect
 10 | data human "h.csv" observational
    |      ^^^^^^^^^^^^^
    = help: a covariate must be fixed before the treatment: list this data statement's measures(...) without 'regret', or, if 'x' cannot affect 'regret', remove the path from 'x' to it
""",
        id="E112-descendant-of-the-outcome",
    ),
    pytest.param(
        HEAD + """\
var y_pred binary
x -> y_pred -> y
shared y_pred
data human "h.csv" experiment(x) columns { y_pred = "gpt.y" }
""",
        """\
t.tdag:10:6: warning[W106]: 'y_pred' looks like an LLM's prediction of 'y', but the graph makes it a mediator, on a path from 'x' to 'y': a prediction does not cause the answer it predicts
 10 | data human "h.csv" experiment(x) columns { y_pred = "gpt.y" }
    |      ^^^^^^^^^^^^^
    = help: declare it as predictions { y by gpt = "gpt.y" } on the data statement and drop 'var y_pred'; if it really is a mediator, rename it
""",
        id="W106-prediction-as-mediator",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y scale difference scale ratio
""",
        """\
t.tdag:7:44: error[E078]: 'scale' is given twice
 7 | estimate effect of x on y scale difference scale ratio
   |                                            ^^^^^^^^^^^
""",
        id="E078-scale-given-twice",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" experiment(x) cluster "id" cluster "id2"
""",
        """\
t.tdag:7:47: error[E065]: 'cluster' is given twice
 7 | data human "h.csv" experiment(x) cluster "id" cluster "id2"
   |                                               ^^^^^^^^^^^^^
""",
        id="E065-cluster-given-twice",
    ),
]
