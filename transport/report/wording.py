"""Words the HTML and Markdown reports share, so the two say the same thing: names for the
sampler's diagnostics (never raw field names), plain numbers, and the robustness verdict."""

from __future__ import annotations

from transport.estimate.robustness_value import Robustness

DIAGNOSTIC_LABELS = {
    "rhat_max": "largest R-hat (below 1.01 is converged)",
    "ess_bulk_min": "smallest bulk effective sample size",
    "ess_tail_min": "smallest tail effective sample size",
    "divergences": "divergent transitions",
    "sampler": "sampler",
    "ok": "convergence checks passed",
}


def diagnostic_label(key: str) -> str:
    """The reader's name of a diagnostics field (an unknown field: its name in words)."""
    return DIAGNOSTIC_LABELS.get(key, key.replace("_", " "))


def plain_number(value: object) -> str:
    """4000.0 → "4000"; None → "–"; True/False → "yes"/"no"; anything else as written."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def robustness_sentence(curve: Robustness, null: float = 0.0) -> str:
    """Where the 95% interval first includes the null (0 for a difference, 1 for a ratio)
    as the shared mechanisms are shifted; an interval that includes it with no shift at all
    is said so, not as 'at scale 0'."""
    flip = curve.scale_at_flip
    scales = curve.scales
    if flip is None:
        top = f" (up to {max(scales):g})" if scales else ""
        return f"The 95% interval excludes {null:g} at every scale tried{top}."
    if flip == 0:
        return (f"The 95% interval already includes {null:g} with no shift, so no shift of "
                f"the shared mechanisms is needed for {null:g} to be a plausible effect.")
    return f"The 95% interval first includes {null:g} at shift scale {flip:g}."


def md_code_spans(text: str) -> str:
    """Markdown of a message whose `backticked` parts are code: those as code spans, the
    rest escaped; unpaired backticks are escaped as written."""
    from transport.report.escape import md, md_code

    pieces = str(text).split("`")
    if len(pieces) % 2 == 0:
        return md(text)
    def prose(part: str) -> str:  # md folds spaces away; keep one at each joint
        lead = " " if part[:1].isspace() else ""
        tail = " " if part[-1:].isspace() and part.strip() else ""
        return lead + md(part) + tail

    return "".join(md_code(p) if i % 2 else prose(p) for i, p in enumerate(pieces))
