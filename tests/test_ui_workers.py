"""Workers: signal order, results, errors and cancel (real core calls on real files)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd

from pmviewer.core import vcf
from pmviewer.core.errors import Cancelled, InputFileError
from pmviewer.core.evidence import finding_row, with_finding_categories
from pmviewer.core.evidence.frames import rows_at_positions
from pmviewer.ui.workers import GuiHeartbeat, Worker, YieldingCancelToken, gui_heartbeat

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


# ---------------------------------------------------------------- stepping aside for the GUI
def test_a_worker_check_waits_while_the_event_loop_misses_beats(qtbot):
    """The token the core checks sleeps while the main thread is busy, and goes on at the
    next beat of the event loop."""
    heartbeat = GuiHeartbeat()
    heartbeat.MAX_WAIT = 60.0  # only a beat (or cancel) ends the wait in these tests
    heartbeat.worker_started()
    token = YieldingCancelToken(heartbeat)
    heartbeat._last -= 1.0  # the main thread has been busy for a second
    checked = threading.Event()
    thread = threading.Thread(target=lambda: (token.raise_if_cancelled(), checked.set()))
    thread.start()
    time.sleep(0.05)  # the main thread stays busy: no beat, so the check is still waiting
    assert not checked.is_set()
    qtbot.waitUntil(checked.is_set, timeout=5_000)  # the loop runs: a beat releases it
    thread.join()
    heartbeat.worker_finished()
    assert not heartbeat._timer.isActive()


def test_a_check_waiting_for_the_gui_still_honours_cancel(qtbot):
    heartbeat = GuiHeartbeat()
    heartbeat.MAX_WAIT = 60.0
    heartbeat.worker_started()
    token = YieldingCancelToken(heartbeat)
    heartbeat._last -= 1.0
    errors: list[BaseException] = []

    def check() -> None:
        try:
            token.raise_if_cancelled()
        except Cancelled as error:
            errors.append(error)

    thread = threading.Thread(target=check)
    thread.start()
    time.sleep(0.05)
    token.cancel()  # without spinning the event loop: no beat will come
    thread.join(timeout=5)  # well before MAX_WAIT: the cancel ended the wait
    assert not thread.is_alive() and len(errors) == 1
    heartbeat.worker_finished()


def test_a_blocked_main_thread_costs_a_worker_one_wait_only(qtbot):
    """A main thread that never returns to its loop (a script, a test) must not slow every
    check down: after one bounded wait the worker stops waiting for that stale beat."""
    heartbeat = GuiHeartbeat()
    heartbeat.worker_started()
    heartbeat._last -= 1.0
    token = YieldingCancelToken(heartbeat)
    token.raise_if_cancelled()  # waits at most MAX_WAIT, then gives up on this beat
    assert heartbeat._given_up == heartbeat._last
    start = time.monotonic()
    for _ in range(100):
        token.raise_if_cancelled()
    assert time.monotonic() - start < heartbeat.MAX_WAIT
    heartbeat.worker_finished()


def test_workers_start_and_stop_the_heartbeat(qtbot, corpus_dir):
    worker = Worker(vcf.load, str(corpus_dir / GERMLINE))
    with qtbot.waitSignal(worker.signals.finished, timeout=60_000):
        worker.start()
        assert worker.cancel_token.heartbeat is gui_heartbeat()
        assert gui_heartbeat()._timer.isActive()
    qtbot.waitUntil(lambda: not gui_heartbeat()._timer.isActive(), timeout=5_000)


def test_finding_row_matches_chrom_pos_ref_alt():
    findings = pd.DataFrame(
        {
            "chrom": pd.Categorical(["chr1", "chr1", "chr2"]),
            "pos": [100, 100, 100],
            "ref": pd.array(["A", "A", "G"], dtype="string"),
            "alt": pd.array(["T", "C", "T"], dtype="string"),
            "finding_id": ["f1", "f2", "f3"],
        }
    )
    row = finding_row(findings, {"chrom": "chr1", "pos": 100, "ref": "A", "alt": "C"})
    assert row is not None and row["finding_id"] == "f2"
    assert finding_row(findings, {"chrom": "chr2", "pos": 100, "ref": "A", "alt": "C"}) is None
    assert finding_row(findings, {"chrom": "chr1", "pos": 101, "ref": "A", "alt": "C"}) is None
    assert finding_row(findings, {"chrom": "chr1", "ref": "A", "alt": "C"}) is None


def test_rows_at_positions_agrees_with_isin_across_blocks():
    rng = np.random.default_rng(5)
    pos = np.sort(rng.integers(1, 5_000, 20_000))
    wanted = np.concatenate([rng.choice(pos, 300), [0, 10_000]])  # two positions absent
    got = rows_at_positions(pos, wanted, step=1_000)  # many blocks, last one partial
    assert got.tolist() == np.flatnonzero(np.isin(pos, wanted)).tolist()
    assert rows_at_positions(pos, np.zeros(0, dtype=np.int64)).tolist() == []


def test_finding_categories_mark_the_finding_rows_only():
    frame = pd.DataFrame(
        {
            "chrom": pd.Categorical(["chr1", "chr1", "chr1", "chr2"]),
            "pos": [100, 100, 200, 100],
            "ref": pd.array(["A", "A", "G", "A"], dtype="string"),
            "alt": pd.array(["T", "C", "T", "T"], dtype="string"),
        }
    )
    findings = pd.DataFrame(
        {
            "chrom": ["chr1", "chr2"],
            "pos": [100, 100],
            "ref": ["A", "A"],
            "alt": ["C", "T"],
            "category": ["reportable", "carrier"],
        }
    )
    marked = with_finding_categories(frame, findings)
    assert marked["category"].astype(object).where(marked["category"].notna(), None).tolist() == [
        None,
        "reportable",
        None,
        "carrier",
    ]
