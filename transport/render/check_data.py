"""`transport check --data` as terminal text: each data file, then each implication of the
graph with its test and verdict, then a one-line summary."""

from __future__ import annotations

from transport.diagnose.check_data import DataCheck

_VERDICT = {"consistent": "consistent", "violated": "VIOLATED", "not_testable": "not testable"}


def _p(value: float | None) -> str:
    if value is None:
        return "-"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def check_data_text(check: DataCheck, name: str) -> str:
    """The data files, the implications and a summary line for the study file `name`."""
    lines = ["Data files:"]
    for item in check.files:
        where = f'  {item.spec.population} "{item.spec.path}" {item.spec.design()}'
        if item.ok:
            dropped = f", {item.dropped} dropped for missing values" if item.dropped else ""
            lines.append(f"{where}: {item.rows} rows{dropped}")
        else:
            lines.append(f"{where}: error")
            lines += [f"    {line}" for line in str(item.error).splitlines()]
    report = check.implications
    tested = len(report.tested)
    lines += ["", f"Independencies the graph implies (Holm's correction over {tested} "
              f"test{'s' * (tested != 1)}, alpha {report.alpha:g}):"]
    if not report.tests:
        lines.append("  none: every pair of measured variables is joined or confounded")
    for test in report.tests:
        verdict = _VERDICT[test.verdict]
        if test.verdict == "not_testable":
            where = f" in {test.population}" if test.population else ""
            lines.append(f"  {verdict:<12}  {test.statement}{where}: {test.reason}")
            continue
        result = test.result
        lines.append(f"  {verdict:<12}  {test.statement} in {test.population} "
                     f"({result.test}, n = {result.n}, {_p(test.p_value)}, "
                     f"Holm {_p(test.p_holm)})")
        if test.fix:
            lines.append(f"                {test.fix}")
    failed = sum(not f.ok for f in check.files)
    counts = {k: sum(t.verdict == k for t in report.tests) for k in _VERDICT}
    lines += ["", f"{name}: data {'ok' if check.ok else 'failed'}: "
              f"{len(check.files) - failed} file{'s' * (len(check.files) - failed != 1)} read, "
              f"{failed} failed; implications: {counts['consistent']} consistent, "
              f"{counts['violated']} violated, {counts['not_testable']} not testable"]
    return "\n".join(lines)
