"""The demo analysed in a second interpreter gives the window exactly the result it would
compute itself, and nothing else: other arguments, a dead child or a cancel leave the
analysis to the window."""

from __future__ import annotations

import subprocess
import sys
import threading

import pandas as pd
import pytest
from bundled import require_bundled

from pmviewer.core.errors import Cancelled
from pmviewer.core.progress import CancelToken
from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui import analysis_process, head_start, jobs
from pmviewer.ui.analysis_process import AnalysisProcess, NoResult
from pmviewer.ui.demo_case import demo_open_options


def _demo_call():
    require_bundled(demo_vcf_path(), "the demo patient")
    path = str(demo_vcf_path())
    return path, analysis_process.analysis_call(path, demo_open_options())


def test_the_child_finds_what_the_window_finds_itself():
    path, (args, kwargs) = _demo_call()
    child = AnalysisProcess(path, demo_open_options())
    steps: list[tuple[int, int]] = []
    remote = child.wait(jobs.analyse_job, args, kwargs, lambda d, t: steps.append((d, t)), None)
    here = jobs.analyse_job(*args, **kwargs)
    assert steps and steps[-1] == (1000, 1000)
    got, want = remote.analysis.findings, here.analysis.findings
    pd.testing.assert_frame_equal(got.frame, want.frame)
    assert (got.pgx, got.civic, got.warnings, got.fate) == (
        want.pgx,
        want.civic,
        want.warnings,
        want.fate,
    )
    assert (got.sex, got.build, got.sample) == (want.sex, want.build, want.sample)
    pd.testing.assert_frame_equal(remote.analysis.table.frame, here.analysis.table.frame)
    assert remote.analysis.genes == here.analysis.genes
    for name in ("findings_frame", "unreviewed", "pgx_table", "regional_marked"):
        pd.testing.assert_frame_equal(getattr(remote, name), getattr(here, name))
    assert remote.labels == here.labels and remote.thresholds == here.thresholds


def test_other_arguments_take_no_result_from_the_child():
    path, (args, kwargs) = _demo_call()
    child = AnalysisProcess(path, demo_open_options())
    with pytest.raises(NoResult):
        child.wait(jobs.analyse_job, args, {**kwargs, "sex": "M"}, None, None)
    child = AnalysisProcess(path, demo_open_options())
    with pytest.raises(NoResult):  # another job
        child.wait(lambda *a, **k: None, args, kwargs, None, None)


def test_a_child_that_died_gives_no_result():
    path, (args, kwargs) = _demo_call()
    child = AnalysisProcess(path, demo_open_options())
    child.stop()
    with pytest.raises(NoResult):
        child.wait(jobs.analyse_job, args, kwargs, None, None)


def test_a_cancel_stops_the_wait_and_the_child():
    path, (args, kwargs) = _demo_call()
    child = AnalysisProcess(path, demo_open_options())
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        child.wait(jobs.analyse_job, args, kwargs, None, token)
    assert child._child.poll() is not None  # noqa: SLF001 - the child was stopped


class Remote:
    def __init__(self, result=None):
        self.result = result

    def wait(self, job, args, kwargs, progress, cancel):
        if self.result is None:
            raise NoResult("test")
        progress(1000, 1000)
        return self.result


def _head_start_with(remote, job):
    head = head_start.HeadStart(job, ("x.vcf",), {"sample": None}, remote)
    head.start()
    return head.wait(None, None)


def test_the_head_start_takes_the_child_result_or_runs_the_job_itself():
    ran: list[str] = []

    def job(path, *, sample=None, progress=None, cancel=None):
        ran.append(threading.current_thread().name)
        return "analysed here"

    assert _head_start_with(Remote("from the child"), job) == "from the child"
    assert ran == []
    assert _head_start_with(Remote(None), job) == "analysed here"
    assert ran == ["head-start"]


def test_the_choice_can_be_forced(monkeypatch):
    monkeypatch.setenv(analysis_process.CHOICE_VARIABLE, "never")
    assert not analysis_process.wanted()
    monkeypatch.setenv(analysis_process.CHOICE_VARIABLE, "always")
    assert analysis_process.wanted()


def test_an_unclaimed_child_for_another_file_is_stopped(monkeypatch):
    monkeypatch.setenv(analysis_process.CHOICE_VARIABLE, "always")
    path, _ = _demo_call()
    analysis_process.start(path, demo_open_options())
    child = analysis_process._started  # noqa: SLF001
    assert child is not None
    assert analysis_process.take("other.vcf") is None
    assert child._child.poll() is not None  # noqa: SLF001


def test_the_window_imports_with_python_own_import_after_qt():
    code = (
        "import builtins, pmviewer.cli\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "from pmviewer.ui.pyside_import_hook import drop_feature_hook\n"
        "assert builtins.__import__.__name__ == '__feature_import__'\n"
        "assert drop_feature_hook() and builtins.__import__.__name__ == '__import__'\n"
        "app = QApplication([]); label = QLabel('x'); label.setText('ok')\n"
        "from PySide6.QtCore import Qt\n"
        "assert label.text() == 'ok' and Qt.AlignmentFlag.AlignLeft\n"
        "import pandas\n"
    )
    env_ok = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert env_ok.returncode == 0, env_ok.stderr
