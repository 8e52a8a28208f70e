"""Sorts and filters of a big table computed on a worker, so the window never freezes.

The first sort of a genome's column ranks millions of values, and a text filter may scan
millions of strings: :class:`TableJobs` runs that on the thread pool and hands the result
to the model on the main thread, where only the cheap re-layout happens. A newer request
of the same kind (another header click, another filter) or a new frame makes an older
result moot; it is dropped when it arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from pmviewer.ui.workers import Worker

log = logging.getLogger(__name__)

# below this many rows a sort or filter is computed at once (a few milliseconds)
BACKGROUND_ROWS = 200_000


def _compute(fn: Callable[[], Any], *, progress=None, cancel=None) -> Any:
    return fn()


class TableJobs(QObject):
    """Background sort/filter computations of one table model.

    ``busy_changed(words)`` tells what is running, in the counselor's words
    (``"Sorting by Gene…"``), or ``""`` when nothing is.
    """

    busy_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, tuple[int, str]] = {}  # kind -> (generation, words)
        self._running: set[Worker] = set()  # kept alive until finished (Qt runs them)
        self._generation = 0

    def busy(self) -> bool:
        return bool(self._pending)

    def words(self) -> str:
        return " ".join(words for _, words in self._pending.values())

    def run(self, kind: str, words: str, fn: Callable[[], Any], apply: Callable[[Any], None]):
        """Compute ``fn()`` on a worker, then call ``apply(result)`` on the main thread
        unless another request of ``kind`` (or :meth:`drop`) came meanwhile."""
        self._generation += 1
        generation = self._generation
        self._pending[kind] = (generation, words)
        worker = Worker(_compute, fn, name=f"table {kind}")
        worker.signals.returned.connect(lambda result: self._done(kind, generation, apply, result))
        worker.signals.errored.connect(lambda error: self._failed(kind, generation, error))
        worker.signals.finished.connect(lambda: self._running.discard(worker))
        self._running.add(worker)
        worker.start()
        self.busy_changed.emit(self.words())

    def drop(self, kind: str | None = None) -> None:
        """Forget the pending request of ``kind`` (every kind for ``None``): a result
        computed on the old state is not applied."""
        had = self.busy()
        if kind is None:
            self._pending.clear()
        else:
            self._pending.pop(kind, None)
        if had and not self.busy():
            self.busy_changed.emit("")

    def _current(self, kind: str, generation: int) -> bool:
        return self._pending.get(kind, (None,))[0] == generation

    def _done(self, kind: str, generation: int, apply: Callable[[Any], None], result) -> None:
        if not self._current(kind, generation):
            return
        del self._pending[kind]
        apply(result)
        self.busy_changed.emit(self.words())

    def _failed(self, kind: str, generation: int, error: BaseException) -> None:
        if not self._current(kind, generation):
            return
        log.warning("a table %s failed (%s)", kind, type(error).__name__)
        del self._pending[kind]
        self.busy_changed.emit(self.words())
