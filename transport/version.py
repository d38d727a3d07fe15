"""The toolkit's version, written once: the package metadata (pyproject's dynamic version),
`transport --version` and every report read it from here."""

__version__ = "0.1.0"
