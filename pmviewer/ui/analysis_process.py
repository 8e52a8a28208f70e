"""The file opened at start-up (the demo patient) analysed in a second interpreter, started
before the window builds anything: it imports pandas and the analysis modules and analyses
the file on the other core while the window shows itself and imports its review page.
Threads of one process take turns under the GIL, so only a process runs truly beside it.

The child runs :func:`~pmviewer.ui.jobs.analyse_job` with the analysis preferences as it
reads them, and sends back the arguments it ran with beside the result. The window uses the
result only when those equal the arguments of its own first analysis (the head start's
rule, :mod:`pmviewer.ui.head_start`); any other outcome (different preferences, an error,
a crash of the child, a frozen build) leaves the analysis to the window, as without it.

Messages on the child's stdout are pickles of ``("progress", done, total)``,
``("result", args, kwargs, result)`` or ``("failed", reason)``, each after its length.
No Qt at import: the child imports only QtCore, for the stored preferences.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

from pmviewer.ui import pyside_import_hook  # in the child: before Qt, keeps Python's import

log = logging.getLogger(__name__)

_LENGTH = struct.Struct("!Q")
_POLL = 0.05  # seconds between cancel checks while waiting for the child


class NoResult(Exception):
    """The child gave no usable result: the caller analyses the file itself."""


class AnalysisProcess:
    """The child analysing ``path`` (opened with ``options``, as ``MainWindow.open_file``)."""

    def __init__(self, path: str, options: dict[str, Any]) -> None:
        self.path, self.options = path, dict(options)
        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__], env=_child_environment(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
        )  # fmt: skip
        assert self._child.stdin is not None and self._child.stdout is not None
        try:
            self._child.stdin.write(pickle.dumps((path, self.options)))
            self._child.stdin.close()
        except OSError:
            pass  # a child that died at once: wait() finds no result
        self._out = self._child.stdout.fileno()

    def wait(self, job, args: tuple, kwargs: dict[str, Any], progress, cancel) -> Any:
        """The child's result when it ran ``job(*args, **kwargs)``; raises :class:`NoResult`
        otherwise (the child is stopped), and stops at ``cancel`` like the job would."""
        from pmviewer.ui import jobs

        try:
            while True:
                message = self._next(cancel)
                if message[0] == "progress":
                    if progress is not None:
                        progress(message[1], message[2])
                    continue
                if message[0] == "failed":
                    raise NoResult(message[1])
                _, ran_args, ran_kwargs, result = message
                if job is not jobs.analyse_job or (ran_args, ran_kwargs) != (args, kwargs):
                    raise NoResult("the window analyses with other arguments")
                return result
        finally:
            self.stop()

    def _next(self, cancel) -> tuple:
        if self._child.stdout is None or self._child.stdout.closed:
            raise NoResult("the analysis process was stopped")
        head = self._read(_LENGTH.size, cancel)
        return pickle.loads(self._read(_LENGTH.unpack(head)[0], cancel))

    def _read(self, size: int, cancel) -> bytes:
        chunks: list[bytes] = []
        while size:
            if cancel is not None and cancel.cancelled:
                cancel.raise_if_cancelled()
            if not select.select([self._out], [], [], _POLL)[0]:
                continue
            chunk = os.read(self._out, min(size, 1 << 20))
            if not chunk:
                raise NoResult("the analysis process ended without a result")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        assert self._child.stdout is not None
        self._child.stdout.close()


def _child_environment() -> dict[str, str]:
    """The window's environment, with the folder holding this pmviewer first on the path
    (the child imports the same pmviewer, however the window found it)."""
    import pmviewer

    root = str(Path(pmviewer.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, path) if p)}


_started: AnalysisProcess | None = None
CHOICE_VARIABLE = "PMVIEWER_ANALYSIS_PROCESS"  # "always" turns it on; off otherwise


def wanted() -> bool:
    """Whether the second interpreter was asked for (``PMVIEWER_ANALYSIS_PROCESS=always``).
    Off by default: on the 2-core machine with the other core idle it gave the demo findings
    no sooner (2.80 s against 2.76 s, medians of 5, benchmarks/README.md "Start-up") for
    1.2 s more CPU, pandas being imported twice. Only where the child's pipe can be polled
    (POSIX) and the executable is an interpreter (not a frozen build)."""
    if os.name != "posix" or getattr(sys, "frozen", False):
        return False
    return os.environ.get(CHOICE_VARIABLE, "").strip().lower() == "always"


def start(path: str, options: dict[str, Any]) -> None:
    """Start the child for the file the window is about to open, when :func:`wanted`."""
    global _started
    if _started is not None or not wanted():
        return
    try:
        _started = AnalysisProcess(path, options)
    except OSError as error:
        log.info("the analysis process could not start (%s)", error)
        return
    atexit.register(_stop_unclaimed)


def _stop_unclaimed() -> None:
    take("")  # nobody asked for it (the window closed first): stopped


def take(path: str) -> AnalysisProcess | None:
    """The child started for ``path``, handed to one caller (any other child is stopped)."""
    global _started
    child, _started = _started, None
    if child is not None and child.path != path:
        child.stop()
        return None
    return child


def analysis_call(path: str, options: dict[str, Any]) -> tuple[tuple, dict[str, Any]]:
    """The arguments of the window's first analysis of ``path``, from the stored
    preferences (as the preloader passes them to the head start)."""
    from pmviewer.ui.preferences import read_preferences

    prefs = read_preferences()
    return (path,), {
        "sample": options.get("sample"), "build": options.get("build"),
        "sex": options.get("sex"), "pedigree": None, "mode": options.get("mode"),
        "knowledge_path": prefs.knowledge_path, "reference": prefs.reference_path,
        "thresholds": prefs.thresholds, "policy": prefs.policy, "targets": prefs.targets_path,
    }  # fmt: skip


def _send(out, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(data)) + data)
    out.flush()


def _child_main() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is the window's to meet
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the message stream
    path, options = pickle.loads(sys.stdin.buffer.read())
    try:
        # the analysis modules first: the preferences import QtCore, and with it PySide's
        # import hook (dropped at once, as in the window)
        from pmviewer.core import pipeline, review  # noqa: F401
        from pmviewer.ui import jobs

        args, kwargs = analysis_call(path, options)
        pyside_import_hook.drop_feature_hook()
        result = jobs.analyse_job(
            *args, progress=lambda done, total: _send(out, ("progress", done, total)), **kwargs
        )
        message: tuple = ("result", args, kwargs, result)
    except Exception as error:  # noqa: BLE001 - the window analyses the file itself
        message = ("failed", f"{type(error).__name__}: {error}")
    try:
        try:
            _send(out, message)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            _send(out, ("failed", f"the result could not be sent ({type(error).__name__})"))
    except OSError:
        pass  # the window has gone (or stopped waiting)


if __name__ == "__main__":
    _child_main()
