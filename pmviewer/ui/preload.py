"""Import the window's data libraries on a background thread while the window is already on
screen (pandas, pyarrow and the analysis take seconds to import on a busy machine)."""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

# what the first analysis imports: a file opened at start-up is analysed once these are in
ANALYSIS_MODULES = ("pandas", "pmviewer.core.pipeline", "pmviewer.core.knowledge")
# what the review page and its controllers import (the file loader first: it starts the analysis)
WORKBENCH_MODULES = (
    "pmviewer.ui.file_loading",
    "pmviewer.ui.review_page",
    "pmviewer.ui.review_session",
    "pmviewer.ui.table_views",
    "pmviewer.ui.export_actions",
    "pmviewer.ui.menus",
    "pmviewer.ui.preferences_controller",
    "pmviewer.ui.tumour_actions",
    "pmviewer.ui.table_menus",
    "pmviewer.ui.exchange_actions",
    "pmviewer.ui.pgx_drug_view",
    "pmviewer.ui.pgx_import",
)
FIRST_OPEN_OPTIONS = frozenset({"sample", "build", "sex", "mode"})  # FileLoader.open_file's


class Preloader(QObject):
    """``done(startup)`` is emitted on the main thread once the modules are imported (or
    failed to: the window then meets the error itself, on the main thread, where it is
    reported). ``startup`` is what :func:`~pmviewer.ui.preferences.startup_preferences`
    returned (a chosen knowledge file opened and checked here, not on the main thread), or
    ``None`` when it could not run here."""

    done = Signal(object)

    def start(
        self,
        modules: tuple[str, ...] = ANALYSIS_MODULES + WORKBENCH_MODULES,
        first_open: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """``first_open``: (path, options) of the file asked for before the page is ready;
        its analysis starts as soon as the analysis modules and the preferences are in."""
        threading.Thread(
            target=self._run, args=(modules, first_open), name="preload", daemon=True
        ).start()

    def _run(self, modules: tuple[str, ...], first_open=None) -> None:
        try:  # first: the VCF reader's own process imports its libraries on another core
            from pmviewer.core.vcf import ISOLATED
            from pmviewer.ui.demo_case import is_demo

            if first_open is None or not is_demo(first_open[0]):  # the demo is read here
                ISOLATED.warm_up()
        except Exception as error:  # noqa: BLE001 - the first read starts it (and reports)
            log.info("starting the VCF reader process early failed (%s)", type(error).__name__)
        startup = None
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - re-raised by the main thread's import
                log.info("preloading %s failed (%s)", name, type(error).__name__)
                break
            if name == "pmviewer.ui.file_loading":  # the analysis can run: start it now
                startup = _startup_preferences()
                if first_open is not None and startup is not None:
                    _begin_first_analysis(first_open, startup[0])
        try:  # QFontDatabase is thread-safe: names in Korean, Hindi, Thai… show in the window
            from pmviewer.ui.script_fonts import register_script_fonts

            register_script_fonts()
        except Exception as error:  # noqa: BLE001 - the patient form registers them again
            log.info("registering the script fonts failed (%s)", type(error).__name__)
        if startup is None:
            startup = _startup_preferences()
        self.done.emit(startup)  # queued to the main thread, where this object lives


def _startup_preferences():
    try:
        from pmviewer.ui.preferences import startup_preferences

        return startup_preferences()
    except Exception as error:  # noqa: BLE001 - the main thread runs it again and reports
        log.info("reading the preferences early failed (%s)", type(error).__name__)
        return None


def _begin_first_analysis(first_open: tuple[str, dict[str, Any]], prefs) -> None:
    """The analysis :class:`~pmviewer.ui.file_loading.FileLoader` will run for the first
    file, with the same arguments, started here (:mod:`pmviewer.ui.head_start`)."""
    from pmviewer.ui import file_loading, head_start

    path, options = first_open
    if not set(options) <= FIRST_OPEN_OPTIONS:
        return
    head_start.begin(
        file_loading.analyse_job, str(path),
        sample=options.get("sample"), build=options.get("build"), sex=options.get("sex"),
        pedigree=None, mode=options.get("mode"),
        **file_loading._analysis_options(prefs),  # noqa: SLF001 - the loader's own options
    )  # fmt: skip
