"""Steps the window tests share: open a file and wait for both of its views."""

from __future__ import annotations

WAIT = 120_000  # ms; a loaded shared machine is slow, not broken


def open_and_wait(qtbot, window, path, build=None, sample=None) -> None:
    """Open ``path`` and wait until the findings and the all-variants views are shown."""
    with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
        window.open_file(str(path), build=build, sample=sample)


def make_window(qtbot):
    """A shown main window that qtbot closes at the end of the test."""
    from pmviewer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def settle(qtbot, window) -> None:
    """Wait until no load (first analysis, re-annotation, all variants) is running."""
    qtbot.waitUntil(lambda: not window.is_loading() and window.result is not None, timeout=WAIT)


def open_demo(qtbot, window, path) -> None:
    """Open ``path`` and wait for its findings and every load after them."""
    with qtbot.waitSignal(window.findings_shown, timeout=WAIT):
        window.open_file(path)
    settle(qtbot, window)


def close(qtbot, window) -> None:
    """Cancel any load, wait for it to stop, and close the window."""
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=WAIT)
    window.close()
