"""Import the window's data libraries on a background thread while the window is already on
screen (pandas, pyarrow and the analysis take seconds to import on a busy machine)."""

from __future__ import annotations

import importlib
import logging
import threading

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

# what the review page, its controllers and the first analysis import
WORKBENCH_MODULES = (
    "pandas",
    "pmviewer.ui.review_page",
    "pmviewer.ui.review_session",
    "pmviewer.ui.table_views",
    "pmviewer.ui.file_loading",
    "pmviewer.ui.export_actions",
    "pmviewer.ui.menus",
    "pmviewer.ui.preferences_controller",
    "pmviewer.ui.tumour_actions",
    "pmviewer.ui.table_menus",
    "pmviewer.ui.exchange_actions",
    "pmviewer.ui.pgx_drug_view",
    "pmviewer.ui.pgx_import",
    "pmviewer.core.pipeline",
    "pmviewer.core.knowledge",
)


class Preloader(QObject):
    """``done(startup)`` is emitted on the main thread once the modules are imported (or
    failed to: the window then meets the error itself, on the main thread, where it is
    reported). ``startup`` is what :func:`~pmviewer.ui.preferences.startup_preferences`
    returned (a chosen knowledge file opened and checked here, not on the main thread), or
    ``None`` when it could not run here."""

    done = Signal(object)

    def start(self, modules: tuple[str, ...] = WORKBENCH_MODULES) -> None:
        threading.Thread(target=self._run, args=(modules,), name="preload", daemon=True).start()

    def _run(self, modules: tuple[str, ...]) -> None:
        try:  # first: the VCF reader's own process imports its libraries on another core
            from pmviewer.core.vcf import ISOLATED

            ISOLATED.warm_up()
        except Exception as error:  # noqa: BLE001 - the first read starts it (and reports)
            log.info("starting the VCF reader process early failed (%s)", type(error).__name__)
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - re-raised by the main thread's import
                log.info("preloading %s failed (%s)", name, type(error).__name__)
                break
        try:  # QFontDatabase is thread-safe: names in Korean, Hindi, Thai… show in the window
            from pmviewer.ui.script_fonts import register_script_fonts

            register_script_fonts()
        except Exception as error:  # noqa: BLE001 - the patient form registers them again
            log.info("registering the script fonts failed (%s)", type(error).__name__)
        startup = None
        try:
            from pmviewer.ui.preferences import startup_preferences

            startup = startup_preferences()
        except Exception as error:  # noqa: BLE001 - the main thread runs it again and reports
            log.info("reading the preferences early failed (%s)", type(error).__name__)
        self.done.emit(startup)  # queued to the main thread, where this object lives
