"""The file opened at start-up is analysed once, from as early as its modules are in."""

from __future__ import annotations

import threading

import pytest

from pmviewer.core.errors import Cancelled, SampleError
from pmviewer.core.progress import CancelToken
from pmviewer.ui import head_start


class Job:
    """A job that records the threads that ran it and reports two progress steps."""

    def __init__(self, error: BaseException | None = None, gate: threading.Event | None = None):
        self.threads: list[str] = []
        self.error = error
        self.gate = gate

    def __call__(self, path, *, sample=None, progress=None, cancel=None):
        self.threads.append(threading.current_thread().name)
        progress(1, 2)
        while self.gate is not None and not self.gate.wait(0.01):
            cancel.raise_if_cancelled()
        progress(2, 2)
        if self.error is not None:
            raise self.error
        return (path, sample)


def test_the_same_call_takes_the_head_start_result_and_its_progress():
    job = Job()
    head_start.begin(job, "demo.vcf.gz", sample=None)
    seen: list[tuple[int, int]] = []
    result = head_start.or_run(job)(
        "demo.vcf.gz", sample=None, progress=lambda d, t: seen.append((d, t)), cancel=None
    )
    assert result == ("demo.vcf.gz", None)
    assert job.threads == ["head-start"]  # analysed once, on the head start's thread
    assert all(step in [(1, 2), (2, 2)] for step in seen)


def test_another_call_cancels_the_head_start_and_runs_itself():
    gate = threading.Event()
    job = Job(gate=gate)
    head_start.begin(job, "demo.vcf.gz", sample=None)
    result = head_start.or_run(Job())("other.vcf", sample="S1", progress=lambda *_: None)
    assert result == ("other.vcf", "S1")
    # the head start was told to stop and nothing waits for it any more
    assert head_start.or_run(Job())("demo.vcf.gz", progress=lambda *_: None) == (
        "demo.vcf.gz",
        None,
    )


def test_the_head_start_error_reaches_the_caller():
    job = Job(error=SampleError("choose the patient's sample", ["A", "B"]))
    head_start.begin(job, "family.vcf")
    with pytest.raises(SampleError) as raised:
        head_start.or_run(job)("family.vcf", progress=lambda *_: None, cancel=None)
    assert raised.value.samples == ["A", "B"]


def test_cancelling_the_waiting_worker_stops_the_head_start():
    gate = threading.Event()
    job = Job(gate=gate)
    head_start.begin(job, "demo.vcf.gz")
    cancel = CancelToken()
    threading.Timer(0.1, cancel.cancel).start()
    with pytest.raises(Cancelled):
        head_start.or_run(job)("demo.vcf.gz", progress=lambda *_: None, cancel=cancel)
