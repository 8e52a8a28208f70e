"""Start the desktop viewer: ``run_viewer(path)`` is what ``pmviewer [VCF]`` calls."""

from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pmviewer import __version__

if TYPE_CHECKING:
    from pmviewer.ui.main_window import MainWindow

log = logging.getLogger("pmviewer")


def crash_log_path() -> Path:
    from pmviewer.core.error_log import error_log_path

    return error_log_path()


def install_excepthook(parent=None) -> None:
    """Unexpected errors on the main thread: log them and show a report the user can copy."""
    previous = sys.excepthook
    shown: list = []

    def hook(kind, error, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        from pmviewer.core.error_log import append_error, redacted_traceback

        written = append_error(error)  # private, and without patient identifiers
        path = written if written is not None else Path("")
        log.error("unexpected error\n%s", redacted_traceback(error))
        if QApplication.instance() is not None:
            from pmviewer.ui.dialogs import ExceptionReportDialog

            dialog = ExceptionReportDialog(details, str(path) if str(path) != "." else "", parent)
            dialog.setModal(True)
            dialog.open()
            shown.append(dialog)  # keep it alive while shown

    hook.dialogs = shown  # type: ignore[attr-defined]  # tests read the dialogs shown
    sys.excepthook = hook


def grab_window(window: MainWindow, path: str) -> bool:
    """Save a PNG of the window (once everything it shows is painted)."""
    QApplication.processEvents()
    image = window.grab()
    ok = image.save(path, "PNG")
    log.info("screenshot %s %s", path, "saved" if ok else "FAILED")
    return ok


def run_viewer(
    path: str | None,
    *,
    sample: str | None = None,
    build: str | None = None,
    screenshot: str | None = None,
) -> int:
    """Open the main window (and ``path`` when given); returns the exit status.

    ``screenshot``: after the first load finished (or failed), save the window to this PNG;
    the window stays open.
    """
    if sys.stdout is None:  # frozen GUI builds have no console
        console = os.open(
            Path.home() / ".pmviewer-console.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
        )
        sys.stdout = sys.stderr = os.fdopen(console, "a")  # private to the user
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from pmviewer.ui.demo_case import demo_open_options, is_demo
    from pmviewer.ui.pyside_import_hook import drop_feature_hook

    opens_demo = bool(path) and is_demo(path) and sample is None and build is None
    if opens_demo:  # in a second interpreter from now on, when PMVIEWER_ANALYSIS_PROCESS asks
        from pmviewer.core.resources import demo_vcf_path
        from pmviewer.ui import analysis_process

        analysis_process.start(str(demo_vcf_path()), demo_open_options())
    drop_feature_hook()  # the background imports are PySide-free: no source read per module
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("pmviewer")
    app.setOrganizationName("pmviewer")
    app.setApplicationVersion(__version__)
    from pmviewer.ui.theme import apply_system_palette

    apply_system_palette(app)  # a dark system scheme gets a dark window
    from pmviewer.ui.main_window import MainWindow

    # on screen at once: the review page is built once the data libraries are imported
    window = MainWindow(deferred=True)
    install_excepthook(window)
    window.show()
    if screenshot:
        shot = str(Path(screenshot).resolve())

        def take() -> None:
            QTimer.singleShot(400, lambda: grab_window(window, shot))

        if path:
            window.all_variants_shown.connect(take)
            window.load_failed.connect(lambda _e: take())
        else:
            window.ready.connect(take)
    if opens_demo:
        window.open_demo()  # with the demo patient's stated sex: one analysis, not two
    elif path:
        window.open_file(path, sample=sample, build=build)  # starts once the window is ready
    # Start-up objects (modules, widgets) live as long as the app: keep them out of the
    # garbage collector's full passes, which otherwise stall the window for tens of ms.
    window.ready.connect(gc.freeze)
    return app.exec()
