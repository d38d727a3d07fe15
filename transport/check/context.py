"""What the rules read: the document's declarations gathered once, in source order."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from transport.source import Span
from transport.syntax import ast


@dataclass(frozen=True)
class EdgeUse:
    """One edge as written (after expanding chains and groups); `kind` is '->' or '<->'."""

    tail: ast.Name
    head: ast.Name
    kind: str
    span: Span


@dataclass
class Context:
    """Declarations by kind; first declaration wins when a name is declared twice."""

    document: ast.Document
    versions: list[ast.Version] = field(default_factory=list)
    studies: list[ast.StudyDecl] = field(default_factory=list)
    population_decls: list[ast.PopulationDecl] = field(default_factory=list)
    variable_decls: list[ast.VariableDecl] = field(default_factory=list)
    edge_uses: list[EdgeUse] = field(default_factory=list)
    assumptions: list[ast.AssumptionDecl] = field(default_factory=list)
    data: list[ast.DataDecl] = field(default_factory=list)
    queries: list[ast.QueryDecl] = field(default_factory=list)
    fits: list[ast.FitDecl] = field(default_factory=list)
    hypotheses: list[ast.HypothesisDecl] = field(default_factory=list)
    decisions: list[ast.DecisionDecl] = field(default_factory=list)
    calibrations: list[ast.CalibrationDecl] = field(default_factory=list)
    models: list[ast.ModelDecl] = field(default_factory=list)

    @cached_property
    def populations(self) -> dict[str, ast.PopulationDecl]:
        found: dict[str, ast.PopulationDecl] = {}
        for decl in self.population_decls:
            found.setdefault(decl.name.text, decl)
        return found

    @cached_property
    def variables(self) -> dict[str, ast.VariableDecl]:
        found: dict[str, ast.VariableDecl] = {}
        for decl in self.variable_decls:
            found.setdefault(decl.name.text, decl)
        return found

    @cached_property
    def target_names(self) -> list[str]:
        return [n for n, d in self.populations.items() if d.role.text == "target"]

    @cached_property
    def source_names(self) -> list[str]:
        return [n for n, d in self.populations.items() if d.role.text == "source"]

    def is_latent(self, name: str) -> bool:
        decl = self.variables.get(name)
        return decl is not None and decl.type.kind.text == "latent"

    def known_edges(self) -> list[EdgeUse]:
        """Edges whose both ends are declared variables."""
        return self._known_edges

    @cached_property
    def _known_edges(self) -> list[EdgeUse]:
        names = self.variables
        return [e for e in self.edge_uses if e.tail.text in names and e.head.text in names]

    def directed_pairs(self) -> set[tuple[str, str]]:
        return self._directed_pairs

    @cached_property
    def _directed_pairs(self) -> set[tuple[str, str]]:
        return {(e.tail.text, e.head.text) for e in self.known_edges() if e.kind == "->"}

    def bidirected_pairs(self) -> set[tuple[str, str]]:
        return self._bidirected_pairs

    @cached_property
    def _bidirected_pairs(self) -> set[tuple[str, str]]:
        return {
            tuple(sorted((e.tail.text, e.head.text)))
            for e in self.known_edges()
            if e.kind == "<->"
        }


def gather(document: ast.Document) -> Context:
    """Sort every statement into the context, expanding edge chains into single edges."""
    context = Context(document)
    buckets = {
        ast.Version: context.versions,
        ast.StudyDecl: context.studies,
        ast.PopulationDecl: context.population_decls,
        ast.VariableDecl: context.variable_decls,
        ast.AssumptionDecl: context.assumptions,
        ast.DataDecl: context.data,
        ast.QueryDecl: context.queries,
        ast.FitDecl: context.fits,
        ast.HypothesisDecl: context.hypotheses,
        ast.DecisionDecl: context.decisions,
        ast.CalibrationDecl: context.calibrations,
        ast.ModelDecl: context.models,
    }
    for statement in document.statements:
        if isinstance(statement, ast.EdgeChain):
            context.edge_uses.extend(expand_chain(statement))
        else:
            buckets[type(statement)].append(statement)
    return context


def expand_chain(chain: ast.EdgeChain) -> list[EdgeUse]:
    """`{a b} -> c <- d` becomes a->c, b->c, d->c; `<->` edges keep their written order."""
    uses = []
    for left, arrow, right in zip(chain.groups, chain.arrows, chain.groups[1:], strict=False):
        for a in left.names:
            for b in right.names:
                span = a.span.union(b.span)
                if arrow.text == "->":
                    uses.append(EdgeUse(a, b, "->", span))
                elif arrow.text == "<-":
                    uses.append(EdgeUse(b, a, "->", span))
                else:
                    uses.append(EdgeUse(a, b, "<->", span))
    return uses
