"""Background work: a core call wrapped in a ``QRunnable`` that reports through signals.

The core function receives ``progress`` (``done, total``) and ``cancel`` (a
:class:`~pmviewer.core.progress.CancelToken`) keyword arguments and never touches widgets;
results reach the main thread only through :class:`WorkerSignals` (queued connections).
A cancelled run ends with ``errored(Cancelled())``, which the window drops silently.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from pmviewer.core.progress import CancelToken

_INT_MAX = 2**31 - 1


class WorkerSignals(QObject):
    """Signals of one worker, emitted in this order: started, progress*, returned|errored,
    finished."""

    started = Signal()
    progress = Signal(int, int)
    returned = Signal(object)
    errored = Signal(object)
    finished = Signal()


class Worker(QRunnable):
    """Runs ``fn(*args, progress=..., cancel=..., **kwargs)`` on a thread pool.

    Keep a reference to the worker until ``finished``; :meth:`start` queues it on the
    global pool (or the pool given).
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, name: str = "", **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; the window drops it on ``finished``
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.name = name or getattr(fn, "__name__", "work")
        self.cancel_token = CancelToken()
        self.signals = WorkerSignals()

    # the core's progress callback; runs on the worker thread
    def _progress(self, done: int, total: int) -> None:
        done, total = int(done), int(total)
        if total > _INT_MAX or done > _INT_MAX:  # byte counts of big files: rescale
            scale = max(total, done) / 1_000_000_000
            done, total = int(done / scale), int(total / scale)
        self.signals.progress.emit(done, total)

    def cancel(self) -> None:
        """Ask the core function to stop at its next check."""
        self.cancel_token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self.fn(
                *self.args, progress=self._progress, cancel=self.cancel_token, **self.kwargs
            )
        except BaseException as error:  # noqa: BLE001 - every failure is reported to the UI
            if not getattr(error, "details", None):
                try:
                    error.details = "".join(traceback.format_exception(error))  # type: ignore[attr-defined]
                except (AttributeError, TypeError):
                    pass
            self.signals.errored.emit(error)
        else:
            self.signals.returned.emit(result)
        finally:
            self.signals.finished.emit()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self)
