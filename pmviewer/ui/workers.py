"""Background work: a core call wrapped in a ``QRunnable`` that reports through signals.

The core function receives ``progress`` (``done, total``) and ``cancel`` (a
:class:`~pmviewer.core.progress.CancelToken`) keyword arguments and never touches widgets;
results reach the main thread only through :class:`WorkerSignals` (queued connections).
A cancelled run ends with ``errored(Cancelled())``, which the window drops silently.

The window must never freeze while a worker runs Python: PySide releases the GIL on every
call into Qt, and a busy worker then keeps it for a whole switch interval (5 ms) each time,
so a main-thread handler making many Qt calls ran 3-4 times slower while a genome loaded.
:class:`GuiHeartbeat` lets workers notice that the main thread is busy and step aside: the
token the core checks between steps (:class:`YieldingCancelToken`) sleeps until the event
loop ticks again (see benchmarks/README.md, "UI responsiveness").
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from pmviewer.core.progress import CancelToken

_INT_MAX = 2**31 - 1


class GuiHeartbeat(QObject):
    """A main-thread timer that stamps the time every :attr:`INTERVAL` seconds while workers
    run; a stamp older than :attr:`BUSY_AFTER` means the event loop is busy (or waiting for
    the GIL), and :meth:`yield_if_busy` then lets it run.
    """

    INTERVAL = 0.02
    BUSY_AFTER = 0.03  # a missed beat: the main thread is running a long handler
    MAX_WAIT = 0.25  # never wait longer (a main thread blocked elsewhere must not stall work)
    # the interpreter's GIL switch interval while workers run: each call Qt makes into
    # Python (a repaint makes thousands) waits for a busy worker to give the GIL up, up to
    # one interval (5 ms by default). A table repaint beside a worker running Python took
    # 134-166 ms at 5 ms (36 ms alone), 94-108 ms at 1 ms.
    SWITCH_INTERVAL = 0.001

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setInterval(int(self.INTERVAL * 1000))
        self._timer.timeout.connect(self._beat)
        self._last = time.monotonic()
        self._given_up = -1.0  # the stamp a wait already timed out on: do not wait on it again
        self._running = 0
        self._lock = threading.Lock()
        self._switch_interval: float | None = None  # the interpreter's, while workers run

    def _beat(self) -> None:
        self._last = time.monotonic()

    def worker_started(self) -> None:
        """Main thread: a worker was queued."""
        with self._lock:
            self._running += 1
        self._last = time.monotonic()
        if self._switch_interval is None and sys.getswitchinterval() > self.SWITCH_INTERVAL:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(self.SWITCH_INTERVAL)
        if not self._timer.isActive():
            self._timer.start()

    def worker_finished(self) -> None:
        """Main thread: a worker ended."""
        with self._lock:
            self._running = max(0, self._running - 1)
            idle = self._running == 0
        if idle:
            self._timer.stop()
            if self._switch_interval is not None:
                sys.setswitchinterval(self._switch_interval)
                self._switch_interval = None

    def yield_if_busy(self, cancel: CancelToken | None = None) -> None:
        """Worker thread: sleep (releasing the GIL) while the main thread misses beats."""
        last = self._last
        if not self._running or time.monotonic() - last < self.BUSY_AFTER:
            return
        if last == self._given_up:
            return
        deadline = time.monotonic() + self.MAX_WAIT
        while self._last == last and time.monotonic() < deadline:
            if cancel is not None and cancel.cancelled:
                return
            time.sleep(0.002)
        if self._last == last:
            self._given_up = last


_heartbeat: GuiHeartbeat | None = None


def gui_heartbeat() -> GuiHeartbeat:
    """The heartbeat of the main thread (created there on the first worker start)."""
    global _heartbeat
    if _heartbeat is None:
        _heartbeat = GuiHeartbeat()
    return _heartbeat


class YieldingCancelToken(CancelToken):
    """A cancel token whose checks (between the core's steps, every ~10 ms of work) also
    give the GIL to a busy main thread."""

    def __init__(self, heartbeat: GuiHeartbeat | None = None) -> None:
        super().__init__()
        self.heartbeat = heartbeat

    def raise_if_cancelled(self) -> None:
        super().raise_if_cancelled()
        if self.heartbeat is not None:
            self.heartbeat.yield_if_busy(self)
            super().raise_if_cancelled()


def _released(*_args: Any, **_kwargs: Any) -> None:
    """What a finished worker runs (its function and inputs were dropped)."""


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
        self.cancel_token = YieldingCancelToken()
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
        """Queue the worker (call on the main thread: it also starts the heartbeat the
        worker yields to)."""
        heartbeat = gui_heartbeat()
        self.cancel_token.heartbeat = heartbeat
        heartbeat.worker_started()
        self.signals.finished.connect(heartbeat.worker_finished)
        self.signals.finished.connect(self._release)  # connected last: runs after the others
        (pool or QThreadPool.globalInstance()).start(self)

    def _release(self) -> None:
        """Main thread, after ``finished``: drop the slots and the inputs. Qt holds the
        slots, so a lambda naming the worker or the window is a cycle Python cannot collect
        (a closed window with its genome frames stayed alive). Deleting the signals object
        drops every connection (``disconnect()`` of PySide 6.12 corrupts a refcount)."""
        self.signals.deleteLater()
        self.fn, self.args, self.kwargs = _released, (), {}
