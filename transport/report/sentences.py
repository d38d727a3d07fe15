"""Generalization assumptions as plain-English sentences, one per (mechanism, source).

The preregistration and the report quote the same sentences, so that what a reader signs
off on is exactly what the toolkit computed with. Variables and populations are named by
their labels when the file gives them, by their names otherwise.
"""

from __future__ import annotations

from transport.study import (
    Assumption,
    CoefficientMechanism,
    ConfounderMechanism,
    Study,
    VariableMechanism,
)


def population_name(study: Study, name: str) -> str:
    """A population's label, else its name."""
    for population in study.populations:
        if population.name == name:
            return population.label or name
    return name


def _mid_sentence(text: str) -> str:
    """Lower-case the first letter of a capitalized first word ("Age", "A") but not of an
    acronym ("GPT-class", "US")."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and (len(word) == 1 or word[1:] == word[1:].lower()):
        return text[0].lower() + text[1:]
    return text


#: A label reads as a noun phrase inside a sentence ("given age group, ...") when it is
#: short and not itself a statement. A binary variable's label states when it is 1
#: ("Chooses the risky programme B"), so it is a statement; such labels are quoted where
#: they are the subject and replaced by names where they are listed.
PHRASE_WORDS = 4


def _cut(label: str) -> str:
    for stop in (":", " (", ","):
        label = label.split(stop)[0]
    return label.strip()


def reads_as_phrase(label: str) -> bool:
    """Short enough to sit in a list mid-sentence, and no sentence of its own."""
    words = label.split()
    return 0 < len(words) <= PHRASE_WORDS and not label.rstrip().endswith((".", "?", "!"))


def listed_names(study: Study, names: list[str]) -> list[str]:
    """Variables as a sentence lists them: all by their short labels when every one reads
    as a phrase, else all by their names (a mix of the two reads as a typo)."""
    labels = [_label(study, n) for n in names]
    if all(reads_as_phrase(label) for label in labels):
        return [_mid_sentence(label) for label in labels]
    return list(names)


def _label(study: Study, name: str) -> str:
    """A variable's label cut before its details, else its name; "" for a binary
    variable's label (a statement, never a phrase)."""
    try:
        variable = study.variable(name)
    except KeyError:
        return name
    if variable.label and variable.kind == "binary":
        return ""
    return _cut(variable.label or "") or name


def populations_phrase(study: Study, source: str, target: str) -> str:
    """"for SOURCE and for TARGET", by labels when both read as phrases, else by names."""
    labels = [_cut(population_name(study, source)), _cut(population_name(study, target))]
    if all(reads_as_phrase(label) for label in labels):
        return f"for {labels[0]} and for {labels[1]}"
    return f"for {source} and for {target}"


def short_label(study: Study, name: str) -> str:
    """A variable's label up to its first colon, comma or parenthesis, starting lower case (for use
    mid-sentence), else its name."""
    try:
        label = study.variable(name).label
    except KeyError:
        return name
    if not label:
        return name
    for stop in (":", " (", ","):
        label = label.split(stop)[0]
    return _mid_sentence(label.strip() or name)


def variable_phrase(study: Study, name: str) -> str:
    """What a variable's mechanism produces: "the probability of “label” (name)" for a
    binary variable, "the distribution of ..." otherwise."""
    try:
        variable = study.variable(name)
    except KeyError:
        return f"the distribution of {name}"
    shown = f"“{variable.label}” ({name})" if variable.label else name
    if variable.kind == "binary":
        if not variable.label:
            return f"the probability that {name} = 1"
        return f"the probability of {shown}"
    if variable.kind == "latent":
        return f"the distribution of the unmeasured {shown}"
    return f"the distribution of {shown}"


def join_words(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _subject(study: Study, row: Assumption) -> tuple[str, str]:
    """(condition clause, the thing that is or is not the same)."""
    mechanism = row.mechanism
    if isinstance(mechanism, VariableMechanism):
        parents = listed_names(study, list(study.parents(mechanism.variable)))
        given = f", given {join_words(parents)}, " if parents else " "
        return given, variable_phrase(study, mechanism.variable)
    if isinstance(mechanism, ConfounderMechanism):
        pair = join_words(listed_names(study, [mechanism.first, mechanism.second]))
        return " ", f"the distribution of the unmeasured common cause of {pair}"
    assert isinstance(mechanism, CoefficientMechanism)
    return ", in the parametric model, ", (
        f"the coefficient of {short_label(study, mechanism.tail)} in the mechanism of "
        f"{short_label(study, mechanism.head)}")


def assumption_sentence(study: Study, row: Assumption) -> str:
    """One plain sentence stating what the file assumes about a mechanism for a source."""
    given, thing = _subject(study, row)
    pair = populations_phrase(study, row.source, study.target.name)
    status = row.sharing.status
    if status == "shared":
        return f"We assume that{given}{thing} is the same {pair}."
    if status == "partial":
        sd = row.sharing.sd
        return (f"We assume that{given}{thing} is similar but not identical {pair}: the "
                f"target's model parameters are the source's plus a shift with prior scale "
                f"{sd:g}; identification treats it as differing.")
    if status == "differs":
        return f"We do not assume that{given}{thing} is the same {pair}: it may differ."
    return (f"The study states nothing about whether{given}{thing} is the same {pair}; it "
            f"is therefore treated as possibly differing.")


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def assumption_sentences(study: Study) -> list[tuple[Assumption, str]]:
    """Every assumption row of the study (variables, `<->` confounders, then edge-level
    coefficients) with its sentence, in the study's order."""
    rows = list(study.assumptions) + list(study.coefficients)
    return [(row, _capitalized(assumption_sentence(study, row))) for row in rows]
