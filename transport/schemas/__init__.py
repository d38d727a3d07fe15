"""JSON Schemas (draft 2020-12) of every JSON output, shipped with the package.

`schema(name)` loads one (graph, identify, estimate, check, calibrate, report, common);
`validate(instance, name)` checks a document against it with `jsonschema` (installed with
the `test` extra; imported only here), resolving the schemas' `$ref`s between each other
from these files, never from the network.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

NAMES = ("common", "graph", "identify", "estimate", "check", "calibrate", "report")
BASE = "https://transport.invalid/schemas/"


@cache
def _text(name: str) -> str:
    if name not in NAMES:
        raise KeyError(f"no schema named {name!r} (known: {', '.join(NAMES)})")
    return resources.files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8")


def schema(name: str) -> dict[str, Any]:
    """The schema of output `name` as a new dict."""
    return json.loads(_text(name))


def validate(instance: Any, name: str) -> None:
    """Raise jsonschema.ValidationError when `instance` does not follow schema `name`."""
    import jsonschema
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (f"{BASE}{n}.schema.json", Resource.from_contents(schema(n))) for n in NAMES
    )
    validator = jsonschema.Draft202012Validator(schema(name), registry=registry,
                                                format_checker=None)
    validator.validate(instance)


__all__ = ["NAMES", "schema", "validate"]
