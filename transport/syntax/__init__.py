"""Syntax: the grammar, the parser to our own AST, and the formatter."""
