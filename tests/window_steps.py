"""Steps the window tests share: open a file and wait for both of its views."""

from __future__ import annotations

WAIT = 120_000  # ms; a loaded shared machine is slow, not broken


def open_and_wait(qtbot, window, path, build=None, sample=None) -> None:
    """Open ``path`` and wait until the findings and the all-variants views are shown."""
    with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
        window.open_file(str(path), build=build, sample=sample)
