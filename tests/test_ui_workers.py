"""Workers: signal order, results, errors and cancel (real core calls on real files)."""

from __future__ import annotations

from pmviewer.core import vcf
from pmviewer.core.errors import Cancelled, InputFileError
from pmviewer.ui.workers import Worker

GERMLINE = "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"


def test_worker_emits_started_returned_finished_with_progress_between(qtbot, corpus_dir):
    worker = Worker(vcf.load, str(corpus_dir / GERMLINE))
    progress: list[tuple[int, int]] = []
    results = []
    worker.signals.progress.connect(lambda d, t: progress.append((d, t)))
    worker.signals.returned.connect(results.append)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.returned, s.finished], order="strict", timeout=60_000):
        worker.start()
    (table,) = results
    assert len(table.frame) > 1000
    assert progress and all(0 <= d <= t for d, t in progress if t)
    assert worker.cancelled is False


def test_worker_reports_the_core_error(qtbot, tmp_path):
    broken = tmp_path / "broken.vcf"
    broken.write_text("this is not a VCF\n")
    worker = Worker(vcf.load, str(broken))
    errors = []
    worker.signals.errored.connect(errors.append)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.errored, s.finished], order="strict", timeout=20_000):
        worker.start()
    (error,) = errors
    assert isinstance(error, InputFileError)
    assert "Traceback" in error.details


def test_cancelled_worker_ends_with_cancelled_and_no_result(qtbot, corpus_dir):
    worker = Worker(vcf.load, str(corpus_dir / GERMLINE))
    returned, errors = [], []
    worker.signals.returned.connect(returned.append)
    worker.signals.errored.connect(errors.append)
    worker.cancel()  # the core checks the token at its first step
    s = worker.signals
    with qtbot.waitSignals([s.started, s.errored, s.finished], order="strict", timeout=20_000):
        worker.start()
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)
    assert returned == [] and worker.cancelled


def test_large_progress_totals_are_rescaled(qtbot):
    def work(progress=None, cancel=None):
        progress(3 * 2**31, 4 * 2**31)  # byte counts of a very large file
        return "done"

    worker = Worker(work)
    with qtbot.waitSignal(worker.signals.progress, timeout=5_000) as blocker:
        worker.start()
    done, total = blocker.args
    assert total <= 2**31 - 1 and abs(done / total - 0.75) < 1e-6
    qtbot.waitSignal(worker.signals.finished, timeout=5_000)


def test_cancel_during_the_run_stops_the_core_call(qtbot, corpus_dir):
    worker = Worker(vcf.load, str(corpus_dir / GERMLINE))
    errors, returned = [], []
    worker.signals.errored.connect(errors.append)
    worker.signals.returned.connect(returned.append)
    worker.signals.progress.connect(lambda _d, _t: worker.cancel())  # Cancel at the first report
    s = worker.signals
    with qtbot.waitSignals(
        [s.started, s.progress, s.errored, s.finished], order="none", timeout=60_000
    ):
        worker.start()
    assert returned == [] and len(errors) == 1 and isinstance(errors[0], Cancelled)
