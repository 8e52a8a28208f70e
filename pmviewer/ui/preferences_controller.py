"""Edit ▸ Preferences: the window's analysis preferences, edited, applied and verified.

:class:`PreferencesController` owns the preferences in use. It opens the
:class:`~pmviewer.ui.preferences_dialog.PreferencesDialog`, stores what was chosen, and asks
the window to analyse the open file again when something changed; at start-up it runs the
full integrity check of a chosen knowledge file in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from pmviewer.core.errors import PmviewerError
from pmviewer.ui.preferences import (
    AnalysisPreferences,
    check_knowledge_file,
    startup_preferences,
    write_preferences,
)
from pmviewer.ui.workers import Worker

log = logging.getLogger(__name__)


class PreferencesController(QObject):
    """The analysis preferences of one window.

    Parameters
    ----------
    parent
        The window: the dialog opens over it.
    ask
        Opens a dialog modally (the window keeps it for tests).
    keep_alive
        Holds a started worker until it finished.
    notify
        Shows a one-off notice to the user (the window's notice banner).
    changed
        Called with a reason in words after the preferences changed: the window analyses
        the open file again with them.
    """

    def __init__(
        self,
        *,
        parent: QWidget,
        ask: Callable[[Any], None],
        keep_alive: Callable[[Worker], None],
        notify: Callable[[str], None],
        changed: Callable[[str], None],
        startup: tuple[AnalysisPreferences, str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.ask = ask
        self.keep_alive = keep_alive
        self.notify = notify
        self.changed = changed
        # ``startup``: :func:`startup_preferences` already run (off the main thread)
        self.prefs, self.startup_notice = startup or startup_preferences()

    def apply(self, prefs: AnalysisPreferences, why: str = "with the new preferences") -> None:
        """Store ``prefs``; when they changed, the open file is analysed again with them."""
        write_preferences(prefs)
        changed = prefs != self.prefs
        self.prefs = prefs
        if changed:
            self.changed(why)

    def edit(self) -> Any:
        """Edit ▸ Preferences…: the dialog; its accepted values are applied."""
        from pmviewer.ui.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.prefs, self.parent_widget)
        dialog.accepted.connect(lambda: self.apply(dialog.preferences()))
        self.ask(dialog)
        return dialog

    def verify_at_startup(self) -> Worker | None:
        """Run the full ``kb verify`` checks on the chosen knowledge file in the background
        (the start-up check only opened it). A file that fails is dropped for the bundled
        one, the user is told once, and an open file is analysed again."""
        path = self.prefs.knowledge_path
        if not path:
            return None
        worker = Worker(check_knowledge_file, path, name="verify-knowledge")

        def failed(error: BaseException) -> None:
            if not isValid(self) or self.prefs.knowledge_path != path:
                return  # the user chose something else meanwhile
            # an unexpected fault's own text is for support (logged), not for the counselor
            why = str(error) if isinstance(error, PmviewerError) else "The check could not finish."
            log.warning("knowledge file %s failed verification: %r", path, error)
            self.notify(
                "pmviewer is using its bundled knowledge file: the file chosen in Preferences "
                f"failed its integrity check. {why}"
            )
            self.apply(replace(self.prefs, knowledge_path=None))

        worker.signals.errored.connect(failed)
        self.keep_alive(worker)
        worker.start()
        return worker
