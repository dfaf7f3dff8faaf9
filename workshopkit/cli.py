"""Command line: no arguments opens the app; subcommands do headless work on the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from workshopkit import __version__


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder holding the workshop library (default: WORKSHOPKIT_DATA_DIR or the user "
        "data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workshopkit",
        description="Run equitable-partnership workshops. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"workshopkit {__version__}")
    _add_data_dir(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="create a demo workshop from the toolkit's worked example")
    _add_data_dir(p)

    p = sub.add_parser("list", help="list workshops: id, title, date and counts")
    _add_data_dir(p)

    p = sub.add_parser("export", help="export a workshop as CSV or as a .workshop file")
    _add_data_dir(p)
    p.add_argument("id", type=int, help="workshop id (see 'workshopkit list')")
    p.add_argument("--csv", metavar="FILE", help="write every post-it as CSV")
    p.add_argument("--file", metavar="FILE", help="write the whole workshop as a .workshop file")

    p = sub.add_parser("import", help="import workshops from a .workshop file")
    _add_data_dir(p)
    p.add_argument("file", metavar="FILE")
    return parser


def _open_store(data_dir: str | None):  # -> Store, imported lazily to keep startup lean
    from workshopkit.paths import data_dir as resolve
    from workshopkit.store import Store

    return Store.in_data_dir(resolve(data_dir))


def _cmd_demo(args: argparse.Namespace) -> int:
    from workshopkit.exercises.demo import create_demo_workshop

    with _open_store(args.data_dir) as store:
        workshop = create_demo_workshop(store)
    print(workshop.id)
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    with _open_store(args.data_dir) as store:
        rows = store.list_workshops()
    if not rows:
        print("No workshops yet. Create one in the app, or run 'workshopkit demo'.")
        return 0
    print(f"{'id':>4}  {'date':<10}  {'orgs':>4}  {'people':>6}  {'post-its':>8}  title")
    for w in rows:
        print(f"{w.id:>4}  {w.date or '-':<10}  {w.organisations:>4}  {w.participants:>6}  "
              f"{w.postits:>8}  {w.title}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    if not args.csv and not args.file:
        print("workshopkit export: say what to write: --csv FILE and/or --file FILE.workshop",
              file=sys.stderr)
        return 2
    with _open_store(args.data_dir) as store:
        if args.csv:
            from workshopkit.export.csvfile import write_postits_csv

            path = write_postits_csv(store, args.id, args.csv)
            print(f"Wrote {path}")
        if args.file:
            path = store.export_workshop(args.id, args.file)
            print(f"Wrote {path}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    with _open_store(args.data_dir) as store:
        workshops = store.import_workshop(Path(args.file))
    for w in workshops:
        print(f"Imported workshop {w.id}: {w.title}")
    return 0


def _run_gui(args: argparse.Namespace) -> int:
    from workshopkit import platform_check

    problem = platform_check.display_problem()
    if problem:
        print(f"workshopkit: {problem}", file=sys.stderr)
        return 1
    missing = platform_check.missing_packages()
    if missing:
        print(platform_check.explain_missing(missing), file=sys.stderr)
        return 1
    from workshopkit.app import run_app

    return run_app(data_dir=args.data_dir)


COMMANDS = {"demo": _cmd_demo, "list": _cmd_list, "export": _cmd_export, "import": _cmd_import}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    from workshopkit.store import NotFoundError, StoreError

    try:
        if args.command is None:
            return _run_gui(args)
        return COMMANDS[args.command](args)
    except NotFoundError as exc:
        print(f"workshopkit: {exc} (see 'workshopkit list')", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"workshopkit: {exc}", file=sys.stderr)
        return 1
