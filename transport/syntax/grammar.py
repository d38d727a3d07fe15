"""Locate and compile the grammar file (`grammar/tdag.lark`, shipped inside the wheel)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark

_PACKAGED = Path(__file__).resolve().parent.parent / "grammar" / "tdag.lark"
_REPOSITORY = Path(__file__).resolve().parents[2] / "grammar" / "tdag.lark"

STATEMENT_KEYWORDS = frozenset(
    {
        "tdag", "study", "population", "var", "shared", "differs", "partial", "data",
        "estimate", "fit", "hypothesis", "decide", "calibration", "model",
    }
)


def grammar_path() -> Path:
    """The grammar inside the installed package, else the repository's copy."""
    for candidate in (_PACKAGED, _REPOSITORY):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("the tdag grammar file is missing from this installation")


#: How the parser is built; part of the cache key (parser_cache.cache_path).
PARSER_OPTIONS = {
    "parser": "lalr",
    "lexer": "contextual",
    "keep_all_tokens": True,
    "maybe_placeholders": False,
}


@cache
def parser() -> Lark:
    """The LALR parser, built once per process (or loaded from the per-user cache, which
    holds JSON, never a pickle: see parser_cache); it returns our AST directly (the
    transformer runs as rules are reduced)."""
    from transport.syntax.build import ToAst
    from transport.syntax.parser_cache import cache_folder, cached_parser

    grammar = grammar_path().read_text(encoding="utf-8")
    return cached_parser(grammar, PARSER_OPTIONS, ToAst(), cache_folder())
