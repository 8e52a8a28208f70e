"""Window work split over turns of the event loop, so the window repaints and answers input
between the steps of a long change (findings arriving, a genome's table swapped in)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# 1 ms, not 0: a zero-delay call runs in the same pass of the event loop as the repaint the
# previous step asked for, so timers and input waited for both (measured: 0.13 s for two
# 0.06 s steps chained with 0 ms, 0.06 s apart with 1 ms)
TURN_MS = 1


def next_turn(step: Callable[[], object], context: QObject, after_ms: int = TURN_MS) -> None:
    """Run ``step`` on a later turn of the event loop, after pending repaints and input
    (``after_ms``: later still, so that it never shares a turn with other short steps);
    not at all once ``context`` (the widget or object the step works on) is deleted."""
    QTimer.singleShot(after_ms, context, step)
