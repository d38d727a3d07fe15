"""Snapshots of every diagnostic the checker can emit, rendered exactly as users see them.

Each case is a minimal `.tdag` text and the full rendered output for it: the
`file:line:col: severity[CODE]: message` head, the source line with its gutter, the caret line
and the `= help:` line. When a message is improved on purpose, update its snapshot here.
"""
# The snapshots must match the output byte for byte, so some of their lines are long.
# ruff: noqa: E501

from __future__ import annotations

import re
from pathlib import Path

import pytest
from design_message_cases import DESIGN_CASES
from shared_fixtures import MINIMAL_STUDY

from transport.api import check_file, check_source
from transport.errors import Diagnostic, TdagError
from transport.source import Source

ROOT = Path(__file__).resolve().parents[2]


def diagnostics_of(text: str, name: str = "t.tdag") -> tuple[Source, tuple[Diagnostic, ...]]:
    """Every diagnostic for a text: syntax errors (raised) or the checker's findings."""
    source = Source(text, name)
    try:
        result = check_source(source)
    except TdagError as error:
        return error.source, error.diagnostics
    return source, result.diagnostics


def render_all(text: str, name: str = "t.tdag") -> str:
    """The rendered diagnostics of a text, each followed by a newline ('' when clean)."""
    source, diagnostics = diagnostics_of(text, name)
    return "".join(d.render(source) + "\n" for d in diagnostics)


HEAD = MINIMAL_STUDY

# a continuous parent and a latent one of y, for the `model` statement's cases
MODEL_HEAD = """\
var w continuous
var u latent
w -> y
u -> y
differs w, u
"""

PREFIX = """\
population gpt source
population human target
"""

CASES = [
    pytest.param(
        HEAD + """\
calibration "calib.txt"
estimate effect of x on y
""",
        """\
t.tdag:7:13: error[E093]: a calibration is a .json file from `transport calibrate` or a .csv of paired effects
 7 | calibration "calib.txt"
   |             ^^^^^^^^^^^
""",
        id="E093-calibration-file-type",
    ),
    pytest.param(
        HEAD + """\
calibration "pairs.csv" columns { llm = "pred", humna = "h" }
estimate effect of x on y
""",
        """\
t.tdag:7:13: error[E094]: a .csv calibration needs columns for human, se
 7 | calibration "pairs.csv" columns { llm = "pred", humna = "h" }
   |             ^^^^^^^^^^^
   = help: for example: columns { llm = "pred:gpt-4", human = "human_effect", se = "human_se" }
t.tdag:7:49: error[E094]: unknown calibration column role 'humna'
 7 | calibration "pairs.csv" columns { llm = "pred", humna = "h" }
   |                                                 ^^^^^
   = help: did you mean 'human'?
""",
        id="E094-calibration-csv-columns",
    ),
    pytest.param(
        HEAD + """\
calibration "a.json" for gpt
calibration "b.json" for gpt
estimate effect of x on y
""",
        """\
t.tdag:8:1: error[E095]: a calibration for gpt is already given on line 7
 8 | calibration "b.json" for gpt
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
""",
        id="E095-two-calibrations",
    ),
    pytest.param(
        HEAD + """\
hypothesis "  "
estimate effect of x on y
""",
        """\
t.tdag:7:12: error[E090]: the hypothesis is empty
 7 | hypothesis "  "
   |            ^^^^
""",
        id="E090-empty-hypothesis",
    ),
    pytest.param(
        HEAD + """\
decide transported if prob(effect > 0) > 0.95
decide yes if prob(effect > 0.1) > 0.9
estimate effect of x on y
""",
        """\
t.tdag:8:1: error[E091]: a study has one decision rule; the first is on line 7
 8 | decide yes if prob(effect > 0.1) > 0.9
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
""",
        id="E091-two-decisions",
    ),
    pytest.param(
        HEAD + """\
decide transported if prob(effect > 0) > 95
estimate effect of x on y
""",
        """\
t.tdag:7:42: error[E092]: the probability threshold must be between 0 and 1, not 95
 7 | decide transported if prob(effect > 0) > 95
   |                                          ^^
   = help: for example: decide transported if prob(effect > 0) > 0.95
""",
        id="E092-probability-threshold",
    ),
    pytest.param(
        HEAD + """\
x -> y;
""",
        """\
t.tdag:7:7: error[E002]: unexpected character ';'
 7 | x -> y;
   |       ^
""",
        id="E002-unexpected-character",
    ),
    pytest.param(
        """\
population gpt source "GPT
population human target
""",
        """\
t.tdag:1:23: error[E003]: unterminated string
 1 | population gpt source "GPT
   |                       ^
   = help: close the string with " on the same line
""",
        id="E003-unterminated-string",
    ),
    pytest.param(
        HEAD + """\
x ->
""",
        """\
t.tdag:7:5: error[E004]: the statement is not finished; expected a name, '{'
 7 | x ->
   |     ^
""",
        id="E004-unfinished-edge-at-end",
    ),
    pytest.param(
        """\
study "A" {
  question "Q"
""",
        """\
t.tdag:2:15: error[E004]: the statement is not finished; expected a name, '}'
 2 |   question "Q"
   |               ^
""",
        id="E004-unclosed-study-block",
    ),
    pytest.param(
        """\
population gpt sauce
population human target
var x binary treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:1:16: error[E005]: unexpected name 'sauce'; expected 'source', 'target'
 1 | population gpt sauce
   |                ^^^^^
   = help: did you mean 'source'?
""",
        id="E005-misspelt-role-keyword",
    ),
    pytest.param(
        HEAD + """\
shraed y
""",
        """\
t.tdag:7:8: error[E005]: unexpected name 'y'; expected an arrow ('->', '<-' or '<->')
 7 | shraed y
   |        ^
   = help: 'shraed' is read as a variable starting an edge; did you mean 'shared'?
""",
        id="E005-misspelt-statement-keyword",
    ),
    pytest.param(
        HEAD + """\
estimate effect x on y
""",
        """\
t.tdag:7:17: error[E005]: unexpected name 'x'; expected 'of'
 7 | estimate effect x on y
   |                 ^
""",
        id="E005-missing-of",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var y binary outcome
{x -> y
""",
        """\
t.tdag:5:4: error[E005]: unexpected '->'; expected a name, ',', '}'
 5 | {x -> y
   |    ^^
""",
        id="E005-unclosed-node-set",
    ),
    pytest.param(
        """\
tdag 2
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:1:6: error[E010]: unsupported language version 2; this toolkit reads tdag 1
 1 | tdag 2
   |      ^
""",
        id="E010-unsupported-version",
    ),
    pytest.param(
        """\
study "A"
study "B"
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:2:1: error[E011]: the study is already described on line 1
 2 | study "B"
   | ^^^^^^^^^
""",
        id="E011-second-study",
    ),
    pytest.param(
        """\
study "A" { autor "Me" }
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:1:13: error[E012]: unknown study field 'autor'
 1 | study "A" { autor "Me" }
   |             ^^^^^
   = help: did you mean 'author'?
""",
        id="E012-unknown-study-field",
    ),
    pytest.param(
        HEAD + """\
tdag 1
""",
        """\
t.tdag:7:1: error[E013]: 'tdag' must be the first statement, and only once
 7 | tdag 1
   | ^^^^^^
""",
        id="E013-version-not-first",
    ),
    pytest.param(
        """\
study "A" {
  question "Q"
  question "R"
}
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:3:3: error[E014]: the study field 'question' is given twice
 3 |   question "R"
   |   ^^^^^^^^
""",
        id="E014-study-field-twice",
    ),
    pytest.param(
        HEAD + """\
population gpt source
""",
        """\
t.tdag:7:12: error[E020]: population 'gpt' is already declared on line 1
 7 | population gpt source
   |            ^^^
""",
        id="E020-duplicate-population",
    ),
    pytest.param(
        """\
population gpt source
var x binary treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:1:1: error[E021]: no target population: declare the humans the claim is about
 1 | population gpt source
   | ^^^^^^^^^^^^^^^^^^^^^
   = help: add a line such as: population human target "US adults"
""",
        id="E021-no-target",
    ),
    pytest.param(
        HEAD + """\
population people target
""",
        """\
t.tdag:7:19: error[E022]: several target populations ('human' and 'people'); a study has exactly one
 7 | population people target
   |                   ^^^^^^
   = help: make the others sources, or write a separate study for each target
""",
        id="E022-several-targets",
    ),
    pytest.param(
        """\
population human target
var x binary treatment
var y binary outcome
x -> y
""",
        """\
t.tdag:1:1: error[E023]: no source population: declare at least one LLM population
 1 | population human target
   | ^^^^^^^^^^^^^^^^^^^^^^^
   = help: add a line such as: population gpt source "GPT-class agents"
""",
        id="E023-no-source",
    ),
    pytest.param(
        HEAD + """\
differs x for gtp
""",
        """\
t.tdag:7:15: error[E024]: unknown population 'gtp'
 7 | differs x for gtp
   |               ^^^
   = help: did you mean 'gpt'?
""",
        id="E024-unknown-population-in-for",
    ),
    pytest.param(
        HEAD + """\
differs x for y
""",
        """\
t.tdag:7:15: error[E024]: unknown population 'y'
 7 | differs x for y
   |               ^
   = help: 'y' is a variable, not a population
""",
        id="E024-variable-used-as-population",
    ),
    pytest.param(
        HEAD + """\
data humans "h.csv" observational
""",
        """\
t.tdag:7:6: error[E024]: unknown population 'humans'
 7 | data humans "h.csv" observational
   |      ^^^^^^
   = help: did you mean 'human'?
""",
        id="E024-unknown-population-in-data",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y in humna
""",
        """\
t.tdag:7:30: error[E024]: unknown population 'humna'
 7 | estimate effect of x on y in humna
   |                              ^^^^^
   = help: did you mean 'human'?
""",
        id="E024-unknown-population-in-estimate",
    ),
    pytest.param(
        HEAD + """\
var x continuous
""",
        """\
t.tdag:7:5: error[E030]: variable 'x' is already declared on line 3
 7 | var x continuous
   |     ^
""",
        id="E030-duplicate-variable",
    ),
    pytest.param(
        HEAD + """\
var z binery
z -> y
shared z
""",
        """\
t.tdag:7:7: error[E031]: unknown type 'binery'
 7 | var z binery
   |       ^^^^^^
   = help: did you mean 'binary'?
""",
        id="E031-misspelt-type",
    ),
    pytest.param(
        HEAD + """\
var z numeric
z -> y
shared z
""",
        """\
t.tdag:7:7: error[E031]: unknown type 'numeric'
 7 | var z numeric
   |       ^^^^^^^
   = help: the types are: binary, continuous, count, categorical, ordinal, latent
""",
        id="E031-unknown-type",
    ),
    pytest.param(
        HEAD + """\
var z ordinal(5..1)
z -> y
shared z
""",
        """\
t.tdag:7:15: error[E032]: ordinal(5..1): the lower bound must be below the upper bound
 7 | var z ordinal(5..1)
   |               ^^^^
""",
        id="E032-ordinal-reversed",
    ),
    pytest.param(
        HEAD + """\
var z ordinal(1.5..3)
z -> y
shared z
""",
        """\
t.tdag:7:15: error[E032]: the bounds of an ordinal range must be whole numbers
 7 | var z ordinal(1.5..3)
   |               ^^^^^^
""",
        id="E032-ordinal-fractional",
    ),
    pytest.param(
        HEAD + """\
var z ordinal
z -> y
shared z
""",
        """\
t.tdag:7:7: error[E032]: ordinal needs one range, as in ordinal(1..7)
 7 | var z ordinal
   |       ^^^^^^^
""",
        id="E032-ordinal-without-range",
    ),
    pytest.param(
        HEAD + """\
var z categorical()
z -> y
shared z
""",
        """\
t.tdag:7:7: error[E032]: categorical needs at least two levels, as in categorical(low, mid, high)
 7 | var z categorical()
   |       ^^^^^^^^^^^^^
""",
        id="E032-categorical-empty",
    ),
    pytest.param(
        HEAD + """\
var z categorical(a)
z -> y
shared z
""",
        """\
t.tdag:7:7: error[E032]: categorical needs at least two levels, as in categorical(low, mid, high)
 7 | var z categorical(a)
   |       ^^^^^^^^^^^^^^
""",
        id="E032-categorical-one-level",
    ),
    pytest.param(
        HEAD + """\
var z categorical(a, b, a)
z -> y
shared z
""",
        """\
t.tdag:7:25: error[E032]: level 'a' appears twice
 7 | var z categorical(a, b, a)
   |                         ^
""",
        id="E032-categorical-repeated-level",
    ),
    pytest.param(
        HEAD + """\
var z binary(2)
z -> y
shared z
""",
        """\
t.tdag:7:7: error[E032]: type 'binary' takes no arguments
 7 | var z binary(2)
   |       ^^^^^^^^^
""",
        id="E032-arguments-to-binary",
    ),
    pytest.param(
        HEAD + """\
var a-b binary
a-b -> y
""",
        """\
t.tdag:7:5: error[E033]: variable name 'a-b' contains '-', which dagitty reads as an edge
 7 | var a-b binary
   |     ^^^
   = help: use 'a_b'
""",
        id="E033-dash-in-variable",
    ),
    pytest.param(
        HEAD + """\
population gpt-4 source
""",
        """\
t.tdag:7:12: error[E033]: population name 'gpt-4' contains '-', which dagitty reads as an edge
 7 | population gpt-4 source
   |            ^^^^^
   = help: use 'gpt_4'
""",
        id="E033-dash-in-population",
    ),
    pytest.param(
        HEAD + """\
var data binary
""",
        """\
t.tdag:7:5: error[E034]: 'data' is a keyword and cannot name a variable
 7 | var data binary
   |     ^^^^
   = help: use another name, such as 'data_'
t.tdag:7:5: warning[W102]: variable 'data' is not connected to anything
 7 | var data binary
   |     ^^^^
   = help: add its edges, or remove it
""",
        id="E034-keyword-as-variable",
    ),
    pytest.param(
        HEAD + """\
var data binary
data -> y
""",
        """\
t.tdag:8:6: error[E005]: unexpected '->'; expected a name
 8 | data -> y
   |      ^^
   = help: 'data' starts a data statement, so it cannot name a variable (rename it, e.g. 'data_')
""",
        id="E005-keyword-variable-in-edge",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment treatment
var y binary outcome
x -> y
shared y
""",
        """\
t.tdag:3:24: error[E035]: 'treatment' is given twice
 3 | var x binary treatment treatment
   |                        ^^^^^^^^^
""",
        id="E035-role-twice",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment outcome
var y binary
x -> y
shared y
estimate effect of x on y
""",
        """\
t.tdag:3:24: error[E035]: 'x' cannot be both the treatment and the outcome
 3 | var x binary treatment outcome
   |                        ^^^^^^^
t.tdag:7:25: error[E074]: 'x' is marked outcome, but the estimate statement's outcome is 'y'
 7 | estimate effect of x on y
   |                         ^
   = help: make them agree: mark 'y' as outcome or estimate the effect on 'x'
""",
        id="E035-treatment-and-outcome",
    ),
    pytest.param(
        HEAD + """\
x -> yy
""",
        """\
t.tdag:7:6: error[E040]: unknown variable 'yy'
 7 | x -> yy
   |      ^^
   = help: did you mean 'y'?
""",
        id="E040-unknown-in-edge-did-you-mean",
    ),
    pytest.param(
        HEAD + """\
z -> y
""",
        """\
t.tdag:7:1: error[E040]: unknown variable 'z'
 7 | z -> y
   | ^
   = help: declare it: var z binary
""",
        id="E040-unknown-in-edge-declare-it",
    ),
    pytest.param(
        HEAD + """\
human -> y
""",
        """\
t.tdag:7:1: error[E040]: unknown variable 'human'
 7 | human -> y
   | ^^^^^
   = help: 'human' is a population, not a variable
""",
        id="E040-population-in-edge",
    ),
    pytest.param(
        HEAD + """\
shared y, yy
""",
        """\
t.tdag:7:8: warning[W104]: 'y' is already declared shared for gpt on line 6
 7 | shared y, yy
   |        ^
t.tdag:7:11: error[E040]: unknown variable 'yy'
 7 | shared y, yy
   |           ^^
   = help: did you mean 'y'?
""",
        id="E040-unknown-in-assumption",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" observational measures(x, why)
""",
        """\
t.tdag:7:46: error[E040]: unknown variable 'why'
 7 | data human "h.csv" observational measures(x, why)
   |                                              ^^^
   = help: declare it: var why binary
""",
        id="E040-unknown-in-data",
    ),
    pytest.param(
        HEAD + """\
estimate effect of xx on y in human
""",
        """\
t.tdag:7:20: error[E040]: unknown variable 'xx'
 7 | estimate effect of xx on y in human
   |                    ^^
   = help: did you mean 'x'?
""",
        id="E040-undeclared-treatment-in-estimate",
    ),
    pytest.param(
        HEAD + """\
var a binary
var b binary
y -> a -> b -> x
shared a, b, x
""",
        """\
t.tdag:9:11: error[E041]: directed cycle: a -> b -> x -> y -> a
 9 | y -> a -> b -> x
   |           ^^^^^^
   = help: the directed edges must form a DAG: model feedback as an unmeasured common cause (X <-> Y) or split a variable by time
""",
        id="E041-cycle-names-every-node",
    ),
    pytest.param(
        HEAD + """\
y -> x
""",
        """\
t.tdag:7:1: error[E041]: directed cycle: x -> y -> x
 7 | y -> x
   | ^^^^^^
   = help: the directed edges must form a DAG: model feedback as an unmeasured common cause (X <-> Y) or split a variable by time
""",
        id="E041-two-cycle",
    ),
    pytest.param(
        HEAD + """\
y -> y
""",
        """\
t.tdag:7:1: error[E042]: an edge from 'y' to itself
 7 | y -> y
   | ^^^^^^
""",
        id="E042-self-edge",
    ),
    pytest.param(
        HEAD + """\
y <-> y
""",
        """\
t.tdag:7:1: error[E042]: a confounding arc from 'y' to itself
 7 | y <-> y
   | ^^^^^^^
""",
        id="E042-self-arc",
    ),
    pytest.param(
        HEAD + """\
shared y -> x
""",
        """\
t.tdag:7:8: error[E050]: there is no edge y -> x in the graph
 7 | shared y -> x
   |        ^^^^^^
   = help: add 'y -> x' to the graph, or name a variable's mechanism
""",
        id="E050-no-such-edge",
    ),
    pytest.param(
        HEAD + """\
shared x <-> y
""",
        """\
t.tdag:7:8: error[E050]: there is no confounding arc x <-> y in the graph
 7 | shared x <-> y
   |        ^^^^^^^
   = help: add 'x <-> y' to the graph, or name a variable's mechanism
""",
        id="E050-no-such-arc",
    ),
    pytest.param(
        HEAD + """\
differs x for human
""",
        """\
t.tdag:7:15: error[E051]: 'human' is the target; 'for' names source populations
 7 | differs x for human
   |               ^^^^^
   = help: assumptions always compare a source with the target
""",
        id="E051-target-in-for",
    ),
    pytest.param(
        HEAD + """\
differs y for gpt
""",
        """\
t.tdag:7:9: error[E052]: 'y' is declared shared for gpt on line 6 but differs for gpt here
 7 | differs y for gpt
   |         ^
   = help: a mechanism is either shared with the target or not: keep one declaration
""",
        id="E052-shared-and-differs",
    ),
    pytest.param(
        HEAD + """\
partial x sd 1 for gpt
partial x sd 2
""",
        """\
t.tdag:8:9: error[E052]: 'x' is declared partial for gpt with sd 1 on line 7 and sd 2 here
 8 | partial x sd 2
   |         ^
""",
        id="E052-partial-with-two-sds",
    ),
    pytest.param(
        HEAD + """\
partial x
""",
        """\
t.tdag:7:1: error[E053]: 'partial' needs a positive sd: how far the target may drift from the source
 7 | partial x
   | ^^^^^^^
   = help: add, for example: sd 0.5
""",
        id="E053-partial-without-sd",
    ),
    pytest.param(
        HEAD + """\
partial x sd 0
""",
        """\
t.tdag:7:14: error[E053]: sd must be positive, not 0
 7 | partial x sd 0
   |              ^
""",
        id="E053-partial-sd-zero",
    ),
    pytest.param(
        HEAD + """\
partial x sd -1
""",
        """\
t.tdag:7:14: error[E053]: sd must be positive, not -1
 7 | partial x sd -1
   |              ^^
""",
        id="E053-partial-sd-negative",
    ),
    pytest.param(
        HEAD + """\
partial x sd 1e999
""",
        """\
t.tdag:7:14: error[E053]: sd must be a finite number, not 1e999
 7 | partial x sd 1e999
   |              ^^^^^
   = help: a very large sd is the same as 'differs'
""",
        id="E053-partial-sd-infinite",
    ),
    pytest.param(
        HEAD + """\
shared x sd 1
""",
        """\
t.tdag:7:10: error[E054]: 'sd' belongs to 'partial', not 'shared'
 7 | shared x sd 1
   |          ^^^^
   = help: write 'partial ...' instead of 'shared ...', or drop the sd
""",
        id="E054-sd-on-shared",
    ),
    pytest.param(
        HEAD + """\
shared x because "a" because "b"
""",
        """\
t.tdag:7:22: error[E055]: 'because' is given twice
 7 | shared x because "a" because "b"
   |                      ^^^^^^^^^^^
""",
        id="E055-clause-twice",
    ),
    pytest.param(
        HEAD + """\
partial x sd 0.5 robust 1
""",
        """\
t.tdag:7:25: error[E056]: robust must be at least 0 and below 1, not 1
 7 | partial x sd 0.5 robust 1
   |                         ^
   = help: robust 1 says the claim always fails: write 'differs'
""",
        id="E056-robust-one",
    ),
    pytest.param(
        HEAD + """\
shared x robust -0.2
""",
        """\
t.tdag:7:17: error[E056]: robust must be at least 0 and below 1, not -0.2
 7 | shared x robust -0.2
   |                 ^^^^
   = help: the prior probability that the claim fails, for example robust 0.2; robust 0 uses the claim exactly as stated
""",
        id="E056-robust-negative",
    ),
    pytest.param(
        HEAD + """\
differs x robust 0.2
""",
        """\
t.tdag:7:11: error[E057]: 'robust' belongs to 'shared' and 'partial', not 'differs'
 7 | differs x robust 0.2
   |           ^^^^^^^^^^
   = help: a 'differs' claim borrows nothing, so there is nothing to protect: drop the robust clause
""",
        id="E057-robust-on-differs",
    ),
    pytest.param(
        HEAD + """\
shared x -> y robust 0.2
""",
        """\
t.tdag:7:8: error[E057]: 'robust' weighs the claim about a whole mechanism, not an edge or an arc
 7 | shared x -> y robust 0.2
   |        ^^^^^^
   = help: drop it: an edge-level claim is used as stated, in the parametric model
""",
        id="E057-robust-on-an-edge",
    ),
    pytest.param(
        HEAD + """\
shared y robust 0.2
""",
        """\
t.tdag:7:8: error[E052]: 'y' is declared shared for gpt with the default robust weight on line 6 and robust 0.2 here
 7 | shared y robust 0.2
   |        ^
""",
        id="E052-robust-differs-between-declarations",
    ),
    pytest.param(
        HEAD + """\
partial x sd 0.5 robust 0.2 robust 0.3
""",
        """\
t.tdag:7:29: error[E055]: 'robust' is given twice
 7 | partial x sd 0.5 robust 0.2 robust 0.3
   |                             ^^^^^^^^^^
""",
        id="E055-robust-twice",
    ),
    pytest.param(
        HEAD + """\
var u latent
u -> y
shared u
data human "h.csv" observational measures(x, y, u)
""",
        """\
t.tdag:10:49: error[E060]: 'u' is latent: no data can measure it
 10 | data human "h.csv" observational measures(x, y, u)
    |                                                 ^
    = help: declare 'u' with an observed type if it was measured
""",
        id="E060-latent-measured",
    ),
    pytest.param(
        HEAD + """\
var u latent
u -> y
shared u
data gpt "g.csv" experiment(u)
""",
        """\
t.tdag:10:29: error[E060]: 'u' is latent: no data can randomize it
 10 | data gpt "g.csv" experiment(u)
    |                             ^
    = help: declare 'u' with an observed type if it was measured
""",
        id="E060-latent-randomized",
    ),
    pytest.param(
        HEAD + """\
var u latent
u -> y
shared u
data gpt "g.csv" experiment(x) columns { u = "U" }
""",
        """\
t.tdag:10:42: error[E060]: 'u' is latent: no data can measure it
 10 | data gpt "g.csv" experiment(x) columns { u = "U" }
    |                                          ^
    = help: declare 'u' with an observed type if it was measured
""",
        id="E060-latent-given-a-column",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv"
""",
        """\
t.tdag:7:1: error[E061]: the data statement does not say its design
 7 | data human "h.csv"
   | ^^^^^^^^^^^^^^^^^^
   = help: add experiment(X, ...) naming the randomized variables, or observational
""",
        id="E061-no-design",
    ),
    pytest.param(
        HEAD + """\
data human "h.csv" observational experiment(x)
""",
        """\
t.tdag:7:34: error[E061]: a data statement is either an experiment or observational, not both
 7 | data human "h.csv" observational experiment(x)
   |                                  ^^^^^^^^^^^^^
""",
        id="E061-two-designs",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment()
""",
        """\
t.tdag:7:18: error[E061]: experiment() must name the randomized variables
 7 | data gpt "g.csv" experiment()
   |                  ^^^^^^^^^^^^
""",
        id="E061-empty-experiment",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x) measures(y)
""",
        """\
t.tdag:7:29: error[E062]: 'x' is randomized but not in measures(...)
 7 | data gpt "g.csv" experiment(x) measures(y)
   |                             ^
   = help: add 'x' to measures(...)
""",
        id="E062-randomized-not-measured",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x) measures(x) columns { y = "Y" }
""",
        """\
t.tdag:7:54: error[E063]: 'y' has a column but is not in measures(...)
 7 | data gpt "g.csv" experiment(x) measures(x) columns { y = "Y" }
   |                                                      ^
   = help: add 'y' to measures(...), or drop its column
""",
        id="E063-column-not-measured",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x) experiment(x)
""",
        """\
t.tdag:7:32: error[E065]: 'experiment' is given twice
 7 | data gpt "g.csv" experiment(x) experiment(x)
   |                                ^^^^^^^^^^^^^
""",
        id="E065-data-clause-twice",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x) columns { x = "X", x = "X2" }
""",
        """\
t.tdag:7:51: error[E066]: 'x' is bound to a column twice
 7 | data gpt "g.csv" experiment(x) columns { x = "X", x = "X2" }
   |                                                   ^
""",
        id="E066-variable-bound-twice",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x) columns { x = "" }
""",
        """\
t.tdag:7:46: error[E066]: the column name is empty
 7 | data gpt "g.csv" experiment(x) columns { x = "" }
   |                                              ^^
""",
        id="E066-empty-column",
    ),
    pytest.param(
        HEAD + """\
data gpt "g.csv" experiment(x) columns { x = "c", y = "c" }
""",
        """\
t.tdag:7:55: error[E066]: column 'c' is already bound to 'x'
 7 | data gpt "g.csv" experiment(x) columns { x = "c", y = "c" }
   |                                                       ^^^
""",
        id="E066-column-bound-twice",
    ),
    pytest.param(
        HEAD + """\
data gpt "" experiment(x)
""",
        """\
t.tdag:7:10: error[E067]: the data path is empty
 7 | data gpt "" experiment(x)
   |          ^^
""",
        id="E067-empty-path",
    ),
    pytest.param(
        HEAD + """\
data gpt "runs.xlsx" experiment(x)
""",
        """\
t.tdag:7:10: error[E068]: unsupported data file type '.xlsx'
 7 | data gpt "runs.xlsx" experiment(x)
   |          ^^^^^^^^^^^
   = help: export the sheet as CSV (in a spreadsheet: Save As, CSV)
""",
        id="E068-spreadsheet-data-file",
    ),
    pytest.param(
        HEAD + """\
data gpt "runs" experiment(x)
""",
        """\
t.tdag:7:10: error[E068]: unsupported data file type without a suffix
 7 | data gpt "runs" experiment(x)
   |          ^^^^^^
   = help: data files are .csv, .tsv, .parquet or .pq
""",
        id="E068-no-suffix",
    ),
    pytest.param(
        HEAD + """\
data gpt "runs.txt" experiment(x)
""",
        """\
t.tdag:7:10: error[E068]: unsupported data file type '.txt'
 7 | data gpt "runs.txt" experiment(x)
   |          ^^^^^^^^^^
   = help: data files are .csv, .tsv, .parquet or .pq
""",
        id="E068-data-file-type",
    ),
    pytest.param(
        HEAD + """\
data gpt "../elsewhere/runs.csv" experiment(x)
""",
        """\
t.tdag:7:10: warning[W107]: the data file '../elsewhere/runs.csv' is outside the study's folder
 7 | data gpt "../elsewhere/runs.csv" experiment(x)
   |          ^^^^^^^^^^^^^^^^^^^^^^^
   = help: keep data beside the .tdag file (in it or below), so that the study travels as one folder
""",
        id="W107-data-outside-the-folder",
    ),
    pytest.param(
        HEAD + """\
data gpt "/srv/runs.csv" experiment(x)
""",
        """\
t.tdag:7:10: warning[W107]: the data file '/srv/runs.csv' is outside the study's folder
 7 | data gpt "/srv/runs.csv" experiment(x)
   |          ^^^^^^^^^^^^^^^
   = help: keep data beside the .tdag file (in it or below), so that the study travels as one folder
""",
        id="W107-absolute-data-path",
    ),
    pytest.param(
        PREFIX + """\
var x binary
var y binary
x -> y
shared y
""",
        """\
t.tdag:3:5: error[E070]: no effect of interest: there is no estimate statement and no variable marked treatment or outcome
 3 | var x binary
   |     ^
   = help: add a line such as: estimate effect of X on Y in human
""",
        id="E070-no-treatment-no-outcome",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var y binary
x -> y
shared y
""",
        """\
t.tdag:3:5: error[E070]: no effect of interest: there is no estimate statement and no variable marked outcome
 3 | var x binary treatment
   |     ^
   = help: add a line such as: estimate effect of X on Y in human
""",
        id="E070-outcome-missing",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var z binary treatment
var y binary outcome
{x z} -> y
shared y, z
""",
        """\
t.tdag:4:14: error[E070]: several variables are marked treatment ('x', 'z') and there is no estimate statement to choose between them
 4 | var z binary treatment
   |              ^^^^^^^^^
   = help: mark one only, or add: estimate effect of X on Y in human
""",
        id="E070-two-treatments",
    ),
    pytest.param(
        PREFIX + """\
var u latent treatment
var y binary outcome
u -> y
shared y
""",
        """\
t.tdag:3:14: error[E071]: latent variable 'u' cannot be a treatment: it is never observed
 3 | var u latent treatment
   |              ^^^^^^^^^
""",
        id="E071-latent-treatment-role",
    ),
    pytest.param(
        PREFIX + """\
var u latent
var y binary outcome
u -> y
shared y, u
estimate effect of u on y
""",
        """\
t.tdag:7:20: error[E071]: the treatment 'u' is latent: its effect cannot be estimated
 7 | estimate effect of u on y
   |                    ^
""",
        id="E071-latent-treatment-in-estimate",
    ),
    pytest.param(
        PREFIX + """\
var x binary
var y binary
x -> y
shared y
estimate effect of y on y
""",
        """\
t.tdag:7:1: error[E072]: the treatment and the outcome are the same variable
 7 | estimate effect of y on y
   | ^^^^^^^^^^^^^^^^^^^^^^^^^
""",
        id="E072-treatment-is-outcome",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y in gpt
""",
        """\
t.tdag:7:30: error[E073]: 'gpt' is a source; the effect of interest is in the target population
 7 | estimate effect of x on y in gpt
   |                              ^^^
   = help: write: in human
""",
        id="E073-estimate-in-source",
    ),
    pytest.param(
        HEAD + """\
var z binary
z -> y
shared z
estimate effect of z on y
""",
        """\
t.tdag:3:5: warning[W101]: no assumption about P(x | parents) for gpt: it is treated as differing
 3 | var x binary treatment
   |     ^
   = help: state it, for example: shared x for gpt because "...", or differs ...
t.tdag:10:20: error[E074]: 'x' is marked treatment, but the estimate statement's treatment is 'z'
 10 | estimate effect of z on y
    |                    ^
    = help: make them agree: mark 'z' as treatment or estimate the effect of 'x'
""",
        id="E074-roles-disagree",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y contrast 2 vs 0
""",
        """\
t.tdag:7:36: error[E075]: '2' is not a value of 'x' (1, 0)
 7 | estimate effect of x on y contrast 2 vs 0
   |                                    ^
""",
        id="E075-not-a-binary-value",
    ),
    pytest.param(
        PREFIX + """\
var z categorical(low, high) treatment
var y binary outcome
z -> y
shared y
estimate effect of z on y contrast hihg vs low
""",
        """\
t.tdag:7:36: error[E075]: 'hihg' is not a value of 'z' (low, high)
 7 | estimate effect of z on y contrast hihg vs low
   |                                    ^^^^
   = help: did you mean 'high'?
""",
        id="E075-misspelt-level",
    ),
    pytest.param(
        PREFIX + """\
var x continuous
var y binary
x -> y
shared y
estimate effect of x on y contrast high vs low
""",
        """\
t.tdag:7:36: error[E075]: 'x' is continuous: the contrast needs numbers
 7 | estimate effect of x on y contrast high vs low
   |                                    ^^^^
t.tdag:7:44: error[E075]: 'x' is continuous: the contrast needs numbers
 7 | estimate effect of x on y contrast high vs low
   |                                            ^^^
""",
        id="E075-names-for-continuous",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y contrast 1 vs 1
""",
        """\
t.tdag:7:27: error[E075]: the contrast compares a value with itself
 7 | estimate effect of x on y contrast 1 vs 1
   |                           ^^^^^^^^^^^^^^^
""",
        id="E075-same-value",
    ),
    pytest.param(
        PREFIX + """\
var x ordinal(1..5)
var y binary
x -> y
shared y
estimate effect of x on y
""",
        """\
t.tdag:7:1: error[E076]: the treatment 'x' is ordinal: say which values to compare
 7 | estimate effect of x on y
   | ^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: add: contrast A vs B
""",
        id="E076-no-contrast-for-ordinal",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y
estimate effect of x on y in human
""",
        """\
t.tdag:8:1: error[E077]: a study has one effect of interest; the first is on line 7
 8 | estimate effect of x on y in human
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
""",
        id="E077-two-estimates",
    ),
    pytest.param(
        HEAD + """\
estimate effect of x on y in human in human
""",
        """\
t.tdag:7:36: error[E078]: 'in' is given twice
 7 | estimate effect of x on y in human in human
   |                                    ^^^^^^^^
""",
        id="E078-in-twice",
    ),
    pytest.param(
        HEAD + """\
fit chains 4 chains 2
""",
        """\
t.tdag:7:14: error[E080]: 'chains' is given twice
 7 | fit chains 4 chains 2
   |              ^^^^^^^^
""",
        id="E080-fit-option-twice",
    ),
    pytest.param(
        HEAD + """\
fit chains 0
""",
        """\
t.tdag:7:12: error[E081]: chains must be a whole number of at least 1, not 0
 7 | fit chains 0
   |            ^
""",
        id="E081-chains-zero",
    ),
    pytest.param(
        HEAD + """\
fit draws 2.5
""",
        """\
t.tdag:7:11: error[E081]: draws must be a whole number of at least 1, not 2.5
 7 | fit draws 2.5
   |           ^^^
""",
        id="E081-draws-fractional",
    ),
    pytest.param(
        HEAD + """\
fit sampler stan
""",
        """\
t.tdag:7:13: error[E081]: unknown sampler 'stan'
 7 | fit sampler stan
   |             ^^^^
   = help: the samplers are: pymc, nutpie
""",
        id="E081-unknown-sampler",
    ),
    pytest.param(
        HEAD + """\
fit sampler numpie
""",
        """\
t.tdag:7:13: error[E081]: unknown sampler 'numpie'
 7 | fit sampler numpie
   |             ^^^^^^
   = help: did you mean 'nutpie'?
""",
        id="E081-misspelt-sampler",
    ),
    pytest.param(
        HEAD + """\
fit draws 100000000
""",
        """\
t.tdag:7:11: error[E081]: draws must be at most 100,000, not 100000000
 7 | fit draws 100000000
   |           ^^^^^^^^^
   = help: set TRANSPORT_MAX_DRAWS to raise the limit
""",
        id="E081-draws-over-the-limit",
    ),
    pytest.param(
        HEAD + """\
fit chains 8 draws 20000
""",
        """\
t.tdag:7:14: error[E081]: chains x draws is 160,000, more than the limit of 100,000 posterior draws
 7 | fit chains 8 draws 20000
   |              ^^^^^^^^^^^
   = help: set TRANSPORT_MAX_DRAWS to raise the limit
""",
        id="E081-chains-times-draws",
    ),
    pytest.param(
        HEAD + """\
fit seed 4294967296
""",
        """\
t.tdag:7:10: error[E081]: seed must be at most 4294967295, not 4294967296
 7 | fit seed 4294967296
   |          ^^^^^^^^^^
""",
        id="E081-seed-too-large",
    ),
    pytest.param(
        HEAD + """\
var w ordinal(1..10000)
w -> y
shared w
""",
        """\
t.tdag:7:15: error[E032]: ordinal(1..10000) has 10,000 levels, more than the limit of 200
 7 | var w ordinal(1..10000)
   |               ^^^^^^^^
   = help: declare it count or continuous, or set TRANSPORT_MAX_LEVELS to raise the limit
""",
        id="E032-ordinal-too-many-levels",
    ),
    pytest.param(
        HEAD + """\
fit target_accept 1.5
""",
        """\
t.tdag:7:19: error[E081]: target_accept must be between 0 and 1, not 1.5
 7 | fit target_accept 1.5
   |                   ^^^
""",
        id="E081-target-accept-out-of-range",
    ),
    pytest.param(
        HEAD + """\
fit chains 2
fit draws 10
""",
        """\
t.tdag:8:1: error[E082]: fit settings are already given on line 7
 8 | fit draws 10
   | ^^^^^^^^^^^^
""",
        id="E082-fit-twice",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var y binary outcome
x -> y
""",
        """\
t.tdag:4:5: warning[W101]: no assumption about P(y | parents) for gpt: it is treated as differing
 4 | var y binary outcome
   |     ^
   = help: state it, for example: shared y for gpt because "...", or differs ...
""",
        id="W101-undeclared-mechanism",
    ),
    pytest.param(
        """\
population gpt source
population claude source
population human target
var x binary treatment
var y binary outcome
x -> y
shared y for gpt
""",
        """\
t.tdag:5:5: warning[W101]: no assumption about P(y | parents) for claude: it is treated as differing
 5 | var y binary outcome
   |     ^
   = help: state it, for example: shared y for claude because "...", or differs ...
""",
        id="W101-undeclared-for-one-source",
    ),
    pytest.param(
        HEAD + """\
var z binary
z -> y
z <-> y
shared z
""",
        """\
t.tdag:9:1: warning[W101]: no assumption about the common cause behind z <-> y for gpt: it is treated as differing
 9 | z <-> y
   | ^^^^^^^
   = help: state it, for example: shared z <-> y for gpt because "...", or differs ...
""",
        id="W101-undeclared-confounder",
    ),
    pytest.param(
        HEAD + """\
var w binary
y -> w
""",
        "",
        id="W101-irrelevant-mechanism-not-reported",
    ),
    pytest.param(
        HEAD + """\
var z binary
""",
        """\
t.tdag:7:5: warning[W102]: variable 'z' is not connected to anything
 7 | var z binary
   |     ^
   = help: add its edges, or remove it
""",
        id="W102-unconnected-variable",
    ),
    pytest.param(
        HEAD + """\
shared y
""",
        """\
t.tdag:7:8: warning[W104]: 'y' is already declared shared for gpt on line 6
 7 | shared y
   |        ^
""",
        id="W104-repeated-declaration",
    ),
    pytest.param(
        PREFIX + """\
var x binary treatment
var y binary outcome
y -> x
shared y
""",
        """\
t.tdag:4:5: warning[W105]: 'y' does not descend from 'x': the graph says the effect is zero
 4 | var y binary outcome
   |     ^
   = help: add the causal path from 'x' to 'y'
""",
        id="W105-outcome-not-downstream",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
model y ~ x * w
model y ~ x
estimate effect of x on y
""",
        """\
t.tdag:13:1: error[E120]: 'y' already has a model on line 12
 13 | model y ~ x
    | ^^^^^^^^^^^
""",
        id="E120-two-models",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
var z binary
z -> x
differs z
model y ~ x + z + W
estimate effect of x on y
""",
        """\
t.tdag:15:15: error[E121]: 'z' is not a parent of 'y' (its parents: u, w, x)
 15 | model y ~ x + z + W
    |               ^
    = help: add the edge z -> y, or drop the factor
t.tdag:15:19: error[E040]: unknown variable 'W'
 15 | model y ~ x + z + W
    |                   ^
    = help: did you mean 'w'?
""",
        id="E121-not-a-parent",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
model y ~ x * splin(w, 6)
estimate effect of x on y
""",
        """\
t.tdag:12:15: error[E122]: unknown function 'splin' in a model term
 12 | model y ~ x * splin(w, 6)
    |               ^^^^^
    = help: did you mean 'spline'?
""",
        id="E122-unknown-function",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
model y ~ spline(x) + x^2 + u
estimate effect of x on y
""",
        """\
t.tdag:12:11: error[E123]: 'x' is binary: spline() applies to a continuous or count parent
 12 | model y ~ spline(x) + x^2 + u
    |           ^^^^^^^^^
    = help: write x alone: a binary parent enters by its levels
t.tdag:12:23: error[E123]: 'x' is binary: a power applies to a continuous or count parent
 12 | model y ~ spline(x) + x^2 + u
    |                       ^^^
    = help: write x alone: a binary parent enters by its levels
t.tdag:12:29: error[E123]: 'u' is latent: a model term names observed parents
 12 | model y ~ spline(x) + x^2 + u
    |                             ^
""",
        id="E123-shape-of-a-discrete-parent",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
model y ~ x * spline(w, 2) + w^1.5
estimate effect of x on y
""",
        """\
t.tdag:12:25: error[E124]: a spline's basis size is a whole number from 4 to 40
 12 | model y ~ x * spline(w, 2) + w^1.5
    |                         ^
t.tdag:12:32: error[E124]: a power is a whole number from 2 to 4
 12 | model y ~ x * spline(w, 2) + w^1.5
    |                                ^^^
    = help: write w for its linear term
""",
        id="E124-sizes",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
w -> x
model x ~ w
estimate effect of x on y
""",
        """\
t.tdag:13:7: error[E125]: 'x' is the treatment: the effect sets it, so its mechanism is not modelled
 13 | model x ~ w
    |       ^
""",
        id="E125-treatment",
    ),
    pytest.param(
        HEAD + MODEL_HEAD + """\
var v binary
v -> w
differs v
model w ~ v
estimate effect of x on y
""",
        """\
t.tdag:15:7: error[E126]: 'w' is a continuous covariate: the joint model takes its distribution from its rows, so it has no model to state
 15 | model w ~ v
    |       ^
    = help: a model states the form of the outcome's mechanism or of a discrete one
""",
        id="E126-continuous-covariate",
    ),
    *DESIGN_CASES,
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rendered_message(text: str, expected: str) -> None:
    assert render_all(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [(case.id, case.values[1]) for case in CASES],
    ids=[case.id for case in CASES],
)
def test_case_shows_the_code_it_is_named_after(name: str, expected: str) -> None:
    code = name.split("-", 1)[0]
    if name == "W101-irrelevant-mechanism-not-reported":  # checks the warning's absence
        assert expected == ""
        return
    assert f"[{code}]:" in expected


def test_the_shared_prefix_is_clean() -> None:
    assert render_all(HEAD) == ""


def _emitted_codes() -> set[str]:
    pattern = re.compile(r"""["']([EW]\d{3})["']""")
    codes: set[str] = set()
    for path in (ROOT / "transport").rglob("*.py"):
        codes.update(pattern.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_code_in_the_code_base_has_a_snapshot() -> None:
    emitted = _emitted_codes()
    assert emitted, "no diagnostic codes found under transport/"
    snapshotted = {
        match
        for case in CASES
        for match in re.findall(r"\[([EW]\d{3})\]:", case.values[1])
    }
    snapshotted.add("E001")  # test_non_utf8_file, below
    assert sorted(emitted - snapshotted) == []


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.tdag"
    path.write_bytes(b"population gpt source\npopulation h\xe9 target\n")
    with pytest.raises(TdagError) as caught:
        check_file(path)
    error = caught.value
    assert [d.code for d in error.diagnostics] == ["E001"]
    rendered = error.render().replace(str(path), "bad.tdag")
    # The offending line is shown with the bad byte replaced by U+FFFD, caret under it.
    assert rendered == "\n".join(
        [
            "bad.tdag:2:13: error[E001]: the file is not valid UTF-8 (byte 0xe9)",
            " 2 | population h\ufffd target",
            "   |             ^",
            "   = help: save the file as UTF-8",
        ]
    )
    diagnostic = error.diagnostics[0]
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 13)


SEVERAL_ERRORS = """\
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> yy
var x continuous
shared z
"""


def test_several_errors_are_all_reported_sorted_by_position() -> None:
    assert render_all(SEVERAL_ERRORS) == """\
t.tdag:4:5: warning[W101]: no assumption about P(y | parents) for gpt: it is treated as differing
 4 | var y binary outcome
   |     ^
   = help: state it, for example: shared y for gpt because "...", or differs ...
t.tdag:4:5: warning[W102]: variable 'y' is not connected to anything
 4 | var y binary outcome
   |     ^
   = help: add its edges, or remove it
t.tdag:4:5: warning[W105]: 'y' does not descend from 'x': the graph says the effect is zero
 4 | var y binary outcome
   |     ^
   = help: add the causal path from 'x' to 'y'
t.tdag:5:6: error[E040]: unknown variable 'yy'
 5 | x -> yy
   |      ^^
   = help: did you mean 'y'?
t.tdag:6:5: error[E030]: variable 'x' is already declared on line 3
 6 | var x continuous
   |     ^
t.tdag:7:8: error[E040]: unknown variable 'z'
 7 | shared z
   |        ^
   = help: declare it: var z binary
"""
    _, diagnostics = diagnostics_of(SEVERAL_ERRORS)
    positions = [(d.span.line, d.span.column) for d in diagnostics]
    assert positions == sorted(positions)
    assert [d.code for d in diagnostics if d.is_error] == ["E040", "E030", "E040"]


SEVERAL_SYNTAX_ERRORS = """\
population gpt sauce
population human target
var x binary $
x ->
"""


def test_several_syntax_errors_are_all_reported_sorted_by_position() -> None:
    assert render_all(SEVERAL_SYNTAX_ERRORS) == """\
t.tdag:1:16: error[E005]: unexpected name 'sauce'; expected 'source', 'target'
 1 | population gpt sauce
   |                ^^^^^
   = help: did you mean 'source'?
t.tdag:3:14: error[E002]: unexpected character '$'
 3 | var x binary $
   |              ^
t.tdag:4:5: error[E004]: the statement is not finished; expected a name, '{'
 4 | x ->
   |     ^
"""


def test_syntax_errors_come_as_one_tdag_error_with_every_diagnostic() -> None:
    with pytest.raises(TdagError) as caught:
        check_source(Source(SEVERAL_SYNTAX_ERRORS, "t.tdag"))
    assert [d.code for d in caught.value.diagnostics] == ["E005", "E002", "E004"]
    assert str(caught.value) == render_all(SEVERAL_SYNTAX_ERRORS).rstrip("\n")


def test_errors_block_the_study_and_warnings_do_not() -> None:
    errors = check_source(Source(SEVERAL_ERRORS, "t.tdag"))
    assert errors.study is None and errors.errors
    warned = check_source(Source(HEAD + "var z binary\n", "t.tdag"))
    assert warned.study is not None
    assert [d.code for d in warned.warnings] == ["W102"] and not warned.errors


def test_non_utf8_position_counts_old_mac_line_endings(tmp_path: Path) -> None:
    """Line endings are normalised before positions are computed, for the bad byte too."""
    path = tmp_path / "bad.tdag"
    path.write_bytes("₀\r".encode() + b"\x80# comment\n")
    with pytest.raises(TdagError) as caught:
        check_file(path)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 1)
