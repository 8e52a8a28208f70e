"""Progress reporting and cancellation for slow core work.

Core functions take ``progress`` (called with ``done, total``; ``total`` may be 0 when
unknown) and ``cancel`` (a :class:`CancelToken`). They never start threads themselves: the
UI wraps them in workers, the CLI calls them directly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pmviewer.core.errors import Cancelled

ProgressCallback = Callable[[int, int], None]


class CancelToken:
    """Thread-safe flag a worker sets and the core checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class Throttle:
    """Calls ``progress`` at most every ``interval`` seconds (and always on ``final``)."""

    def __init__(self, progress: ProgressCallback | None, interval: float = 0.2) -> None:
        self._progress = progress
        self._interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int, final: bool = False) -> None:
        if self._progress is None:
            return
        now = time.monotonic()
        if final or now - self._last >= self._interval:
            self._last = now
            self._progress(done, total)


def check(cancel: CancelToken | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` was set."""
    if cancel is not None:
        cancel.raise_if_cancelled()
