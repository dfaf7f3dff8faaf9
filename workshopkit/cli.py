"""Command line: no arguments opens the app; subcommands do headless work on the library."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workshopkit import __version__

if TYPE_CHECKING:
    import argparse


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    import argparse

    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder holding the workshop library (default: WORKSHOPKIT_DATA_DIR or the user "
        "data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    import argparse

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

    p = sub.add_parser("export", help="export a workshop as CSV, as a .workshop file or its "
                       "draft principles as PDF")
    _add_data_dir(p)
    p.add_argument("id", type=int, help="workshop id (see 'workshopkit list')")
    p.add_argument("--csv", metavar="FILE", help="write every post-it as CSV")
    p.add_argument("--file", metavar="FILE", help="write the whole workshop as a .workshop file")
    p.add_argument("--pdf", metavar="FILE", help="write the draft principles as a PDF to hand "
                   "out (A4 unless --letter)")
    p.add_argument("--letter", action="store_true", help="print the PDF on US Letter, not A4")

    p = sub.add_parser("map", help="export a workshop's stakeholder map as PDF, SVG or CSV")
    _add_data_dir(p)
    p.add_argument("id", type=int, help="workshop id (see 'workshopkit list')")
    p.add_argument("--pdf", metavar="FILE", help="write the map on one landscape page (vector)")
    p.add_argument("--svg", metavar="FILE", help="write the map as SVG")
    p.add_argument("--csv", metavar="FILE", help="write the map's cards as CSV, one row each")

    p = sub.add_parser("classify", help="sort notes into the toolkit's themes: one note per "
                       "line on standard input, one JSON object per line out")

    p = sub.add_parser("import", help="import workshops from a .workshop file")
    _add_data_dir(p)
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser("serve", help="let phones join a workshop (headless phone server)")
    _add_data_dir(p)
    p.add_argument("id", type=int, help="workshop id (see 'workshopkit list')")
    _add_address(p)

    p = sub.add_parser("qr", help="write a workshop's join QR code as PNG, SVG or an A4 PDF")
    _add_data_dir(p)
    p.add_argument("id", type=int, help="workshop id (see 'workshopkit list')")
    p.add_argument("--out", metavar="FILE", required=True,
                   help="where to write: FILE.png, FILE.svg or FILE.pdf (a printable poster)")
    _add_address(p)

    p = sub.add_parser("smoke", help="check this installation: run the app once offscreen in a "
                       "temporary folder (demo workshop, window, phone server, a note, a PDF)")
    p.add_argument("--pdf", metavar="FILE", help="where to write the principles PDF (default: "
                   "inside the temporary folder)")
    return parser


def _add_address(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", metavar="H",
                        help="address to serve on and to put in the link (default: this "
                        "laptop's first network address, else 127.0.0.1)")
    parser.add_argument("--port", metavar="P", type=int, default=None,
                        help="port (default 8765; the next free one is used if it is taken)")


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
    if args.letter and not args.pdf:
        print("workshopkit export: --letter sets the PDF's page size; add --pdf FILE",
              file=sys.stderr)
        return 2
    if not (args.csv or args.file or args.pdf):
        print("workshopkit export: say what to write: --csv FILE, --file FILE.workshop and/or "
              "--pdf FILE", file=sys.stderr)
        return 2
    with _open_store(args.data_dir) as store:
        if args.pdf:
            from workshopkit.export.principles_pdf import write_principles_pdf

            path = write_principles_pdf(store, args.id, args.pdf,
                                        page_size="letter" if args.letter else "A4")
            print(f"Wrote {path}")
        if args.csv:
            from workshopkit.export.csvfile import write_postits_csv

            path = write_postits_csv(store, args.id, args.csv)
            print(f"Wrote {path}")
        if args.file:
            path = store.export_workshop(args.id, args.file)
            print(f"Wrote {path}")
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    if not (args.pdf or args.svg or args.csv):
        print("workshopkit map: say what to write: --pdf FILE, --svg FILE and/or --csv FILE",
              file=sys.stderr)
        return 2
    with _open_store(args.data_dir) as store:
        workshop = store.get_workshop(args.id)
        stakeholder_map = store.stakeholder_map(args.id)
    if args.pdf:
        from workshopkit.export.stakeholder_map import write_map_pdf

        print(f"Wrote {write_map_pdf(stakeholder_map, workshop.title, args.pdf)}")
    if args.svg:
        from workshopkit.export.stakeholder_map import write_map_svg

        print(f"Wrote {write_map_svg(stakeholder_map, workshop.title, args.svg)}")
    if args.csv:
        from workshopkit.export.csvfile import write_stakeholders_csv

        print(f"Wrote {write_stakeholders_csv(stakeholder_map, args.csv)}")
    return 0


def _cmd_classify(_args: argparse.Namespace) -> int:
    """Each line of standard input as {"text", "themes" (best first), "cues"}; blank lines too,
    so output line N always answers input line N."""
    import json

    from workshopkit.exercises.themes import classify, load_themes

    themes = load_themes()
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    out = sys.stdout
    for line in stdin:
        text = line.rstrip("\r\n")
        found = classify(text, themes)
        out.write(json.dumps({"text": text, "themes": list(found.themes),
                              "cues": list(found.cues)}, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    with _open_store(args.data_dir) as store:
        workshops = store.import_workshop(Path(args.file))
    for w in workshops:
        print(f"Imported workshop {w.id}: {w.title}")
    return 0


def _link_address(host: str | None) -> str:
    """The address phones use: the one asked for, or for a wildcard the first LAN address."""
    from workshopkit.join.net import default_address

    if host in (None, "", "0.0.0.0", "::"):
        return default_address()
    return str(host)


def _cmd_serve(args: argparse.Namespace) -> int:
    import signal
    import threading

    from workshopkit.backup import BackupError, make_daily_backup
    from workshopkit.join.links import DEFAULT_PORT, join_url
    from workshopkit.join.net import REACHABILITY_HELP
    from workshopkit.join.runner import JoinServer, JoinServerError

    with _open_store(args.data_dir) as store:
        workshop = store.get_workshop(args.id)
        token = store.join_settings(args.id).token
        store_path = store.path
    try:  # a room is about to write to the library: today's copy first, as the app does
        make_daily_backup(store_path)
    except BackupError as exc:
        print(f"workshopkit: {exc}", file=sys.stderr)
    host = args.host or _link_address(None)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    server = JoinServer(store_path, host=host,
                        port=args.port if args.port is not None else DEFAULT_PORT,
                        on_change=lambda change: print(
                            f"Phone update: {change.kind.value} {list(change.ids)}", flush=True))
    try:
        server.start()
    except JoinServerError as exc:
        print(f"workshopkit: {exc}", file=sys.stderr)
        return 1
    try:
        server.open_workshop(workshop.id)
        print(f"Join: {join_url(_link_address(host), server.port, token)}", flush=True)
        print(f"Phones can now add post-its to '{workshop.title}'. Press Ctrl+C to stop.",
              file=sys.stderr, flush=True)
        if _link_address(host).startswith("127."):
            print("That address works on this computer only. To let phones in, pass --host "
                  "with this laptop's network address. " + REACHABILITY_HELP,
                  file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Stopped: joining is closed.", file=sys.stderr, flush=True)
    return 0


def _cmd_qr(args: argparse.Namespace) -> int:
    from workshopkit.export.qr import QrExportError, write_qr
    from workshopkit.join.links import DEFAULT_PORT, join_url

    with _open_store(args.data_dir) as store:
        workshop = store.get_workshop(args.id)
        token = store.join_settings(args.id).token
    url = join_url(_link_address(args.host), args.port or DEFAULT_PORT, token)
    try:
        path = write_qr(url, args.out, title=workshop.title)
    except QrExportError as exc:
        print(f"workshopkit: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {path} for {url}")
    return 0


def _run_gui(data_dir: str | None) -> int:
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

    return run_app(data_dir=data_dir)


def _cmd_smoke(args: argparse.Namespace) -> int:
    from workshopkit.ui.smoke import run

    return run(pdf_path=args.pdf)


COMMANDS = {"demo": _cmd_demo, "list": _cmd_list, "export": _cmd_export, "map": _cmd_map,
            "classify": _cmd_classify, "import": _cmd_import, "serve": _cmd_serve,
            "qr": _cmd_qr, "smoke": _cmd_smoke}


def _only_opens_the_app(argv: Sequence[str]) -> str | None | bool:
    """The data folder when the arguments only open the app (none, or ``--data-dir DIR``), so
    the window comes up without building every command's parser first; False otherwise."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--data-dir" and argv[1] and not argv[1].startswith("-"):
        return argv[1]
    return False


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    data_dir = _only_opens_the_app(given)
    args: argparse.Namespace | None = None
    if data_dir is False:
        args = build_parser().parse_args(given)
        data_dir = getattr(args, "data_dir", None)
        args.data_dir = data_dir
    from workshopkit.store import NotFoundError, StoreError

    try:
        if args is None or args.command is None:
            return _run_gui(data_dir if isinstance(data_dir, str) else None)
        return COMMANDS[args.command](args)
    except NotFoundError as exc:
        print(f"workshopkit: {exc} (see 'workshopkit list')", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"workshopkit: {exc}", file=sys.stderr)
        return 1
