"""An identification result as terminal text: the verdict, the formula, where each term
comes from, the derivation, and what would help when there is no formula."""

from __future__ import annotations

import textwrap

from transport.study import Study

_VERDICT = {
    "transportable": "yes",
    "not_transportable": "no (proved: no formula exists under these assumptions and data)",
    "not_found": "no formula found (the data measure too little for the complete algorithms; "
    "this is not a proof that none exists)",
}


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=92, initial_indent=indent, subsequent_indent=indent + "  ")


def identification_text(study: Study, result) -> str:
    """Plain text for `transport identify`."""
    data = result.to_json()
    query = study.query
    target = study.target
    lines = [
        f"Effect of interest: P_{target.name}({query.outcome} | do({query.treatment}))"
        + (f"  [{target.label}]" if target.label else ""),
        f"Transportable: {_VERDICT.get(result.status, result.status)}",
    ]
    if data["estimand"] is not None:
        lines += ["", "Formula:", "  " + data["estimand"]["text"]]
    if data["uses"]:
        lines += ["", "It reads:"]
        for use in data["uses"]:
            design = (f"experiment({', '.join(use['experiment'])})" if use["experiment"]
                      else "observational")
            lines.append(f"  {use['population']} {design}: {', '.join(use['variables'])}")
    if data["witness"]:
        lines += ["", "Why not:", _wrap(data["witness"])]
    if data["suggestions"]:
        lines += ["", "Any one of these would make it transportable:"]
        for suggestion in data["suggestions"]:
            variables = ", ".join(suggestion["variables"])
            what = {
                "share": f"declare shared for {suggestion['population']}: {variables}",
                "measure": f"measure in {suggestion['population']}: {variables}",
                "experiment": f"randomize in {suggestion['population']}: {variables}",
            }.get(suggestion["kind"], f"{suggestion['kind']} {variables}")
            lines.append(f"  - {what}")
    if data["trace"]:
        lines += ["", "Derivation:"]
        lines += [_wrap(f"{i}. {step}") for i, step in enumerate(data["trace"], 1)]
    return "\n".join(lines)
