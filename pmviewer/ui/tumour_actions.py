"""What the main window does with a tumour file: ask, choose the tumour type, analyse, show.

The analysis runs on a worker (``ui/workers.py``) with the window's progress bar and cancel
button; the knowledge file is opened on the worker thread (SQLite connections stay on the
thread that made them).
"""

from __future__ import annotations

import logging
from pathlib import Path

from pmviewer.core.errors import BuildError, Cancelled
from pmviewer.core.tumour import TumourFileError
from pmviewer.ui.dialogs import ErrorDialog
from pmviewer.ui.tumour_question import GERMLINE_NORMAL, TUMOUR_REPORT, TumourQuestionDialog
from pmviewer.ui.workers import Worker

log = logging.getLogger(__name__)


def tumour_job(path: str, tumour_type: str, *, build=None, sample=None, knowledge_path=None,
               progress=None, cancel=None):  # fmt: skip
    """Worker body: the tumour case (tumour findings and the normal's germline findings)."""
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.tumour_pipeline import analyse_tumour_case

    return analyse_tumour_case(
        path, tumour_type, sample=sample, build=build,
        knowledge=open_knowledge(knowledge_path), progress=progress, cancel=cancel,
    )  # fmt: skip


def tumour_types(knowledge_path: str | None):
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.oncology import tumour_types as listed

    with open_knowledge(knowledge_path) as kb:
        return listed(kb)


def ask_about_tumour_file(window, error: TumourFileError, path: str, build: str | None) -> None:
    """The question dialog; its answer re-opens the normal or starts the tumour report."""
    dialog = TumourQuestionDialog(error, Path(path).name, window)

    def answered() -> None:
        if dialog.choice == GERMLINE_NORMAL:
            window.open_file(path, build=build, mode="germline")
        elif dialog.choice == TUMOUR_REPORT:
            choose_tumour_type(window, path, build)

    dialog.accepted.connect(answered)
    window.status_label.setText("This file comes from a tumour: choose what to open.")
    window.ask(dialog)


def choose_tumour_type(window, path: str, build: str | None) -> None:
    from pmviewer.ui.tumour_type_dialog import TumourTypeDialog

    try:
        types = tumour_types(window.prefs.knowledge_path)
    except Exception as error:  # a counselor message, never a traceback
        window.ask(ErrorDialog.for_error(error, window))
        return
    dialog = TumourTypeDialog(types, window)
    dialog.accepted.connect(
        lambda: (
            start_tumour_report(window, path, dialog.tumour_type.doid, build)
            if dialog.tumour_type
            else None
        )
    )
    window.ask(dialog)


def start_tumour_report(window, path: str, tumour_type: str, build: str | None) -> None:
    window.load_status.begin(f"Matching {Path(path).name} to CIViC evidence…")
    worker = Worker(tumour_job, path, tumour_type, build=build,
                    knowledge_path=window.prefs.knowledge_path, name="tumour")  # fmt: skip

    def done(analysis) -> None:
        window.load_status.end()
        show_tumour_window(window, analysis)

    def failed(error: BaseException) -> None:
        window.load_status.end()
        if isinstance(error, Cancelled):
            window.status_label.setText("The tumour report was cancelled.")
            return
        if isinstance(error, BuildError) and build is None:
            from pmviewer.ui.dialogs import BuildChooserDialog

            dialog = BuildChooserDialog(str(error), window)
            dialog.accepted.connect(
                lambda: start_tumour_report(window, path, tumour_type, dialog.build)
            )
            window.ask(dialog)
            return
        log.warning("tumour report of %s failed: %s", path, error)
        window.ask(ErrorDialog.for_error(error, window))

    window.run_worker(worker, done, failed)


def show_tumour_window(window, analysis):
    from pmviewer.ui.tumour_window import TumourWindow

    view = TumourWindow(analysis, window)
    window.tumour_window = view  # kept alive while open
    window.status_label.setText(
        f"Tumour report of {Path(analysis.path).name}: {len(analysis.findings)} finding(s)."
    )
    view.show()
    return view
