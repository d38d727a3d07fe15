"""The `transport` command: a thin layer over the API. Exit codes: 0 success (warnings
allowed), 1 errors in the user's file or data, 2 usage errors, 3 internal errors."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from transport.errors import DataError, TdagError, UsageError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so main() owns the exit codes."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().strip()}")


def _seed(text: str) -> int:
    """--seed: a whole number from 0 to 2**32 - 1."""
    from transport.limits import MAX_SEED

    value = _whole(text)
    if value is None or not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_SEED}, "
                                         f"not {text}")
    return value


def _draws(text: str) -> int:
    """--draws: a whole number from MIN_DRAWS to the draws limit (transport.limits)."""
    from transport.limits import DRAWS, MIN_DRAWS

    value = _whole(text)
    if value is None or not MIN_DRAWS <= value <= DRAWS.value():
        raise argparse.ArgumentTypeError(
            f"must be a whole number from {MIN_DRAWS} to {DRAWS.value():,}, not {text} "
            f"(set {DRAWS.variable} to raise the limit)")
    return value


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _print_json(value: object) -> None:
    """Strict JSON on stdout (non-finite numbers as null, with a warning on stderr)."""
    from transport.json_text import json_text, non_finite_warning

    written = json_text(value)
    print(written.text)
    if written.replaced:
        print(f"transport: warning: {non_finite_warning(written.replaced)}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from transport.api import check_file

    if args.drop_missing and not args.data:
        raise UsageError("--drop-missing only applies with --data")
    reports, status = [], EXIT_OK
    for name in args.files:
        try:
            source, result = check_file(name)
            diagnostics = result.diagnostics
        except TdagError as error:
            source, diagnostics = error.source, error.diagnostics
        errors = sum(d.is_error for d in diagnostics)
        warnings = len(diagnostics) - errors
        if errors:
            status = EXIT_ERRORS
        data = None
        if args.data and not errors:
            from transport.diagnose import check_data

            data = check_data(result.study, drop_missing=args.drop_missing)
            status = status if data.ok else EXIT_ERRORS
        if args.format == "json":
            reports.append({"file": str(name), "errors": errors, "warnings": warnings,
                            "diagnostics": [d.to_json() for d in diagnostics],
                            **(data.to_json() if data is not None else {})})
            continue
        for diagnostic in diagnostics:
            print(diagnostic.render(source) + "\n")
        verdict = "ok" if not errors else "failed"
        print(f"{source.name}: {verdict}: {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}")
        if data is not None:
            from transport.render.check_data import check_data_text

            print("\n" + check_data_text(data, source.name))
    if args.format == "json":
        _print_json(reports[0] if len(reports) == 1 else reports)
    return status


def cmd_fmt(args: argparse.Namespace) -> int:
    from transport.api import format_source, read_source
    from transport.files import rewrite_file

    status = EXIT_OK
    for name in args.files:
        source = read_source(name)
        formatted = format_source(source)
        if args.stdout:
            sys.stdout.write(formatted)
        elif formatted != source.text:
            if args.check or args.diff:
                print(f"{name}: would be reformatted")
                if args.diff:
                    sys.stdout.writelines(_diff(source.text, formatted, str(name)))
                status = EXIT_ERRORS
            else:
                try:  # a link's target, hard links kept, read-only files refused
                    rewrite_file(Path(name), formatted)
                except UsageError as refusal:
                    print(f"transport: error: {refusal}", file=sys.stderr)
                    status = EXIT_ERRORS
                    continue
                print(f"{name}: reformatted")
        elif args.check or args.diff:
            print(f"{name}: already formatted")
    return status


def _diff(old: str, new: str, name: str) -> list[str]:
    """A unified diff from the file as written to its canonical layout."""
    import difflib

    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"{name} (as written)", f"{name} (formatted)")
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def cmd_graph(args: argparse.Namespace) -> int:
    from transport.api import export_graph, load

    study = load(args.file)
    if args.format == "svg" and args.source is not None:
        raise UsageError("--source is not available with --format svg (it draws every source)")
    text = export_graph(study, args.format, args.source)
    _emit(text, args)
    return EXIT_OK


def cmd_identify(args: argparse.Namespace) -> int:
    from transport.api import identify, load
    from transport.render.identification import identification_text

    study = load(args.file)
    if len(study.variables) > 200 and sys.stderr.isatty():  # seconds to minutes: say so
        print(f"transport identify: searching {len(study.variables):,} variables; this may "
              "take a while", file=sys.stderr)
    result = identify(study)
    if args.format == "json":
        _print_json(result.to_json())
    elif args.format == "latex":
        verdict = {"not_transportable": "not transportable", "not_found": "no formula found"}
        print(result.to_json()["estimand"]["latex"] if result.estimand is not None
              else f"% {verdict[result.status]}: {result.witness or ''}".rstrip(" :"))
    else:
        print(identification_text(study, result))
    return EXIT_OK


def cmd_estimate(args: argparse.Namespace) -> int:
    from transport.api import estimate_study, load
    from transport.errors import NotEstimable
    from transport.render.estimate import estimate_text

    study = load(args.file)
    try:
        result = estimate_study(
            study, seed=args.seed, draws=args.draws, drop_missing=args.drop_missing,
            checks=not args.no_checks, robustness=not args.no_robustness,
            generalize=args.generalize,
        )
    except NotEstimable as refusal:
        if args.format == "json":
            _print_json({"transportable": False, "effect": None, "refusal": str(refusal)})
        else:
            print(f"transport: {refusal}", file=sys.stderr)
        return EXIT_ERRORS
    except DataError as error:  # as JSON, the shape `check --format json` gives
        if args.format != "json":
            raise
        _print_json({"file": str(args.file), "errors": 1, "warnings": 0,
                     "diagnostics": [error.to_diagnostic().to_json()]})
        return EXIT_ERRORS
    if args.format == "json":
        _print_json(result.to_json())
    else:
        print(estimate_text(result))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    import shlex

    from transport.api import write_report

    paths = write_report(
        args.file, args.output, force=args.force, quiet=args.quiet, seed=args.seed,
        command_line=shlex.join(["transport", *args.argv]),
    )
    if args.format == "json":
        _print_json({"folder": str(paths.folder), "files": [str(p) for p in paths.all],
                     "problem": paths.problem})
    else:
        print(f"wrote {paths.html}")
        print(f"      {paths.markdown}")
        print(f"      {paths.json}")
    for warning in paths.warnings:
        print(f"transport: warning: {warning}", file=sys.stderr)
    if paths.problem is not None:  # the report says why there is no estimate; so does the exit
        print(f"error: {paths.problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_prereg(args: argparse.Namespace) -> int:
    from transport.api import load, prereg_text

    text = prereg_text(load(args.file))
    _emit(text, args)
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace) -> int:
    from transport.files import write_new
    from transport.json_text import json_text, non_finite_warning

    if not 0 < args.level < 1:
        raise UsageError(f"--level must be between 0 and 1, not {args.level}")
    for option, path in (("-o", args.output), ("--plot", args.plot)):
        if path and Path(path).exists() and not args.force:
            raise UsageError(f"{path} already exists; use --force to replace it ({option})")
    from transport.api import calibrate

    result = calibrate(
        args.pairs, llm=args.llm, human=args.human, se=args.se, id=args.id, by=args.by,
        predict=args.predict, level=args.level, seed=args.seed, draws=args.draws,
    )
    data = result.to_json()
    if args.format == "json":
        _print_json(data)
    else:
        print(result.to_text())
    if args.output:
        written = json_text(data)
        write_new(Path(args.output), written.text + "\n", args.force)
        if written.replaced:
            print(f"transport: warning: {non_finite_warning(written.replaced, args.output)}",
                  file=sys.stderr)
        print(f"wrote {args.output}", file=sys.stderr)
    if args.plot:
        from transport.calibrate.plot import render_svg

        write_new(Path(args.plot), render_svg(result), args.force)
        print(f"wrote {args.plot}", file=sys.stderr)
    return EXIT_OK


def cmd_import_dagitty(args: argparse.Namespace) -> int:
    from transport.api import import_dagitty

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a UTF-8 text file") from None
    _emit(import_dagitty(text, f"the dagitty model {path.name}"), args)
    return EXIT_OK


def cmd_import_edsl(args: argparse.Namespace) -> int:
    from transport.api import import_edsl

    _emit(import_edsl(args.results, split_by=args.split_by, output=args.output,
                      force=args.force), args)
    return EXIT_OK


def _emit(text: str, args: argparse.Namespace) -> None:
    from transport.files import write_new

    if getattr(args, "output", None):
        from transport.text_safety import visible

        write_new(Path(args.output), visible(text), args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


class _VisibleStream:
    """A text stream that writes through `text_safety.visible`: no control character or
    escape sequence from a study, a data file or a path reaches the terminal."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from transport.text_safety import visible

        self._stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def _visible_stdout(raw: bool = False):
    """stdout made safe for the command's duration (`fmt --stdout` prints the file's own
    text, byte for byte)."""
    saved = sys.stdout
    if not raw:
        sys.stdout = _VisibleStream(sys.stdout)
    try:
        yield
    finally:
        sys.stdout = saved


def build_parser() -> argparse.ArgumentParser:
    from transport.version import __version__

    parser = _Parser(
        prog="transport",
        description="Compile .tdag studies: check them, draw their selection diagrams, "
        "and decide what LLM evidence says about people.",
    )
    parser.add_argument("--version", action="version", version=f"transport {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="report every error and warning in .tdag files")
    check.add_argument("files", nargs="+", metavar="FILE", help="the .tdag files to check")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--data", action="store_true", help="also read every data file and "
                       "test the independencies the graph implies in it")
    check.add_argument("--drop-missing", action="store_true",
                       help="with --data: drop rows with missing values (the count is reported)")
    check.set_defaults(run=cmd_check)

    fmt = commands.add_parser("fmt", help="rewrite .tdag files in canonical layout")
    fmt.add_argument("files", nargs="+", metavar="FILE",
                     help="the .tdag files to format (rewritten in place)")
    fmt.add_argument("--check", action="store_true",
                     help="report files that would change (exit 1) without writing")
    fmt.add_argument("--diff", action="store_true",
                     help="like --check, and show the changes as a unified diff")
    fmt.add_argument("--stdout", action="store_true", help="print instead of rewriting")
    fmt.add_argument("--format", choices=("text",), default="text")
    fmt.set_defaults(run=cmd_fmt)

    graph = commands.add_parser("graph", help="write the selection diagram")
    graph.add_argument("file", metavar="FILE", help="the .tdag study to draw")
    graph.add_argument("--format",
                       choices=("dot", "dagitty", "json", "graphml", "mermaid", "svg"),
                       default="dot")
    graph.add_argument("--source", metavar="POP", help="only this source population")
    graph.add_argument("-o", "--output", metavar="OUT", help="write to a new file")
    graph.add_argument("--force", action="store_true", help="replace OUT if it exists")
    graph.set_defaults(run=cmd_graph)

    ident = commands.add_parser(
        "identify", help="is the target effect transportable? the formula, or why not"
    )
    ident.add_argument("file", metavar="FILE", help="the .tdag study")
    ident.add_argument("--format", choices=("text", "json", "latex"), default="text")
    ident.set_defaults(run=cmd_identify)

    est = commands.add_parser(
        "estimate", help="the posterior of the target effect under the stated assumptions"
    )
    est.add_argument("file", metavar="FILE",
                     help="the .tdag study (data paths are relative to it)")
    est.add_argument("--format", choices=("text", "json"), default="text")
    est.add_argument("--seed", type=_seed,
                     help="random seed (default: the file's fit seed, or 0)")
    est.add_argument("--draws", type=_draws, help="posterior draws (default: chains x draws)")
    est.add_argument("--drop-missing", action="store_true",
                     help="drop rows with missing values (the count is reported)")
    est.add_argument("--no-checks", action="store_true", help="skip the assumption checks")
    est.add_argument("--no-robustness", action="store_true", help="skip the robustness curve")
    est.add_argument("--generalize", action="store_true",
                     help="the target is everyone sampled: every population's covariate rows "
                          "together (zEpid's generalize=True)")
    est.set_defaults(run=cmd_estimate)

    rep = commands.add_parser(
        "report", help="a self-contained HTML, Markdown and JSON report of the whole chain"
    )
    rep.add_argument("file", metavar="FILE",
                     help="the .tdag study (data paths are relative to it)")
    rep.add_argument("-o", "--output", metavar="DIR", required=True, help="the report folder")
    rep.add_argument("--force", action="store_true", help="replace existing report files")
    rep.add_argument("--quiet", action="store_true", help="no progress lines")
    rep.add_argument("--seed", type=_seed, help="random seed for the estimate")
    rep.add_argument("--format", choices=("text", "json"), default="text")
    rep.set_defaults(run=cmd_report)

    pre = commands.add_parser(
        "prereg", help="preregistration text of the study's assumptions and analysis plan"
    )
    pre.add_argument("file", metavar="FILE", help="the .tdag study")
    pre.add_argument("-o", "--output", metavar="FILE.md", help="write to a new file")
    pre.add_argument("--force", action="store_true", help="replace FILE.md if it exists")
    pre.add_argument("--format", choices=("text",), default="text")
    pre.set_defaults(run=cmd_prereg)

    cal = commands.add_parser(
        "calibrate", help="how LLM effects translate into human effects, from paired studies"
    )
    cal.add_argument("pairs", metavar="PAIRS.csv",
                     help="one row per paired study: LLM effect, human effect, its SE")
    cal.add_argument("--llm", required=True, metavar="COL", help="the LLM effect column")
    cal.add_argument("--human", required=True, metavar="COL", help="the human effect column")
    cal.add_argument("--se", required=True, metavar="COL", help="the human standard errors")
    cal.add_argument("--id", metavar="COL", help="the study column (left out together)")
    cal.add_argument("--by", metavar="COL", help="groups with their own a, b, tau (pooled)")
    cal.add_argument("--predict", metavar="NEW.csv", help="predict human effects for these")
    cal.add_argument("--level", type=float, default=0.9, help="predictive interval level")
    cal.add_argument("--seed", type=_seed, default=0)
    cal.add_argument("--draws", type=_draws, default=1000, help="draws per chain")
    cal.add_argument("--format", choices=("text", "json"), default="text")
    cal.add_argument("-o", "--output", metavar="calib.json", help="write the result (JSON)")
    cal.add_argument("--plot", metavar="FILE.svg", help="observed vs predicted, as SVG")
    cal.add_argument("--force", action="store_true", help="replace existing output files")
    cal.set_defaults(run=cmd_calibrate)

    imp = commands.add_parser("import-dagitty", help="turn a dagitty model into a .tdag skeleton")
    imp.add_argument("file", metavar="FILE",
                     help="a dagitty model (the text of dagitty.net's Model code)")
    imp.add_argument("-o", "--output", metavar="OUT", help="write to a new file")
    imp.add_argument("--force", action="store_true", help="replace OUT if it exists")
    imp.add_argument("--format", choices=("text",), default="text")
    imp.set_defaults(run=cmd_import_dagitty)

    edsl = commands.add_parser(
        "import-edsl", help="propose a .tdag study from an EDSL results file"
    )
    edsl.add_argument("results", metavar="RESULTS",
                      help="an EDSL results export: .csv, .json or .jsonl")
    edsl.add_argument("--split-by", metavar="COL",
                      help="one source population per value of this column "
                      "('model' is model.model); writes one data file per population")
    edsl.add_argument("-o", "--output", metavar="OUT.tdag",
                      help="write the study (and any data files beside it) to a new file")
    edsl.add_argument("--force", action="store_true", help="replace existing files")
    edsl.add_argument("--format", choices=("text",), default="text")
    edsl.set_defaults(run=cmd_import_edsl)
    parser.commands = commands.choices
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. No traceback reaches the user, and no
    control character from the input reaches the terminal (stderr always goes through
    text_safety.visible; stdout too but for `fmt --stdout`)."""
    saved = sys.stderr
    sys.stderr = _VisibleStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stderr = saved


def _main(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        if args.command is None:
            raise UsageError(f"no command given\n{parser.format_usage().strip()}")
        if extra:
            command = parser.commands[args.command]
            raise UsageError(
                f"unrecognized arguments: {' '.join(extra)}\n{command.format_usage().strip()}"
            )
        args.argv = list(argv) if argv is not None else sys.argv[1:]
        with _visible_stdout(raw=args.command == "fmt" and args.stdout):
            return args.run(args)
    except TdagError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_ERRORS
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERRORS
    except UsageError as error:
        print(f"transport: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("transport: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # an internal fault: short message unless debugging
        if os.environ.get("TRANSPORT_DEBUG"):
            raise
        print(
            f"transport: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in transport, not in your file; rerun with TRANSPORT_DEBUG=1 "
            "for details and report it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
