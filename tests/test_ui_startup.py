"""The window is on screen before the data libraries load, and does what was asked meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bundled import require_bundled

REPO = Path(__file__).resolve().parents[1]


def test_the_start_page_needs_no_data_library():
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from pmviewer.ui.main_window import MainWindow\n"
        "from pmviewer.ui.theme import apply_system_palette\n"
        "apply_system_palette(app)\n"
        "window = MainWindow(deferred=True)\n"
        "window.show()\n"
        "heavy = [m for m in ('pandas', 'numpy', 'pyarrow', 'cyvcf2', 'reportlab') "
        "if m in sys.modules]\n"
        "print(','.join(heavy) or 'none')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "none"


def test_a_file_asked_for_while_starting_opens_once_the_window_is_ready(qtbot):
    from pmviewer.core.resources import demo_vcf_path
    from pmviewer.ui.main_window import MainWindow

    require_bundled(demo_vcf_path(), "the demo patient")
    window = MainWindow(deferred=True)
    qtbot.addWidget(window)
    window.show()
    assert not window.is_ready  # the review page is built after the background imports
    window.open_demo()
    assert window.welcome.status.text() == f"Opening {demo_vcf_path().name}…"
    with qtbot.waitSignal(window.findings_shown, timeout=180_000):
        pass
    assert window.is_ready
    assert window.counts()["reportable"] > 0
    assert window.pages.currentIndex() == 1  # the review page, with the demo's findings
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=120_000)


def test_the_demo_asked_for_while_starting_is_analysed_once_on_the_head_start(qtbot, monkeypatch):
    import threading

    from pmviewer.core.resources import demo_vcf_path
    from pmviewer.ui import file_loading
    from pmviewer.ui.main_window import MainWindow

    require_bundled(demo_vcf_path(), "the demo patient")
    threads: list[str] = []
    analyse = file_loading.analyse_job

    def counted(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(file_loading, "analyse_job", counted)
    window = MainWindow(deferred=True)
    qtbot.addWidget(window)
    window.show()
    window.open_demo()
    with qtbot.waitSignal(window.findings_shown, timeout=180_000):
        pass
    assert threads == ["head-start"]  # started before the review page was built, run once
    assert window.counts()["reportable"] > 0
    assert window.sex == "F" or window.sex == "M"  # the demo's stated sex reached the analysis
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=120_000)
