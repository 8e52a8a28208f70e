"""Command line: ``pmviewer [VCF]`` opens the viewer; sub-commands run the same core calls
headlessly (``annotate``, ``report``, ``kb build|info|verify``).

Errors a user can fix exit with status 2 and ``pmviewer: error: <message>`` on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pmviewer import __version__
from pmviewer.core.errors import Cancelled, PmviewerError
from pmviewer.ui import pyside_import_hook  # noqa: F401 - before Qt: keeps Python's __import__

SUBCOMMANDS = ("annotate", "report", "batch", "kb", "view")

# sub-command -> module in pmviewer.commands that provides add_arguments(parser) and run(args)
_COMMAND_MODULES = {
    "annotate": "pmviewer.commands.annotate",
    "report": "pmviewer.commands.report",
    "batch": "pmviewer.commands.batch",
    "kb": "pmviewer.commands.kb",
    "view": "pmviewer.commands.view",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; ``only`` builds just that sub-command (the viewer starts without
    importing the others' data libraries)."""
    parser = argparse.ArgumentParser(
        prog="pmviewer",
        description="Offline viewer for germline genetic reports. "
        "Run 'pmviewer [VCF]' to open the viewer.",
    )
    parser.add_argument("--version", action="version", version=f"pmviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    helps = {
        "annotate": "annotate a VCF and print findings as JSON or TSV",
        "report": "annotate a VCF and write the clinical PDF report",
        "batch": "annotate and report many files and samples (Dask)",
        "kb": "build, describe or verify a knowledge file",
        "view": "open the desktop viewer (the default command)",
    }
    for name in SUBCOMMANDS:
        if only is not None and name != only:
            continue
        module = importlib.import_module(_COMMAND_MODULES[name])
        module.add_arguments(sub.add_parser(name, help=helps[name], description=helps[name]))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # "pmviewer file.vcf" and plain "pmviewer" mean "pmviewer view ..."
    if not args_list or args_list[0] not in (*SUBCOMMANDS, "-h", "--help", "--version"):
        args_list.insert(0, "view")
    # a sub-command imports only its own module (annotate does not load the PDF report's)
    parser = build_parser(only=args_list[0] if args_list[0] in SUBCOMMANDS else None)
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(_COMMAND_MODULES[args.command])
    try:
        return int(module.run(args) or 0)
    except Cancelled:
        print("pmviewer: cancelled", file=sys.stderr)
        return 130
    except PmviewerError as error:
        print(f"pmviewer: error: {_for_terminal(_cli_words(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pmviewer: interrupted", file=sys.stderr)
        return 130
    except Exception:  # an unexpected fault: details go to the log, not the screen
        log = _log_unexpected_error()
        print(
            "pmviewer: internal error: pmviewer met a problem it did not expect and stopped. "
            f"Please send the file {log} to your support contact.",
            file=sys.stderr,
        )
        return 1


def _cli_words(error: PmviewerError) -> str:
    """The message, with the command-line way to do what it asks."""
    from pmviewer.core.errors import SampleError

    text = str(error)
    if isinstance(error, SampleError) and error.samples:
        text += " On the command line, name it with --sample NAME."
    return text


def _for_terminal(text: str) -> str:
    """``text`` without control characters (an ESC from a file could drive the terminal)."""
    from pmviewer.core.text_safety import printable

    return printable(text)


def _log_unexpected_error() -> str:
    """Append the current fault to the user's private error log; return the log's path."""
    from pmviewer.core.error_log import append_error

    path = append_error(sys.exc_info()[1])  # type: ignore[arg-type]
    return str(path) if path is not None else "(the error log could not be written)"


if __name__ == "__main__":
    sys.exit(main())
