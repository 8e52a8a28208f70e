"""The loading flow (FileLoader): findings first, All variants on the following turns, and
never the previous file's rows under the new file's name."""

from __future__ import annotations

from bundled import require_bundled

from pmviewer.core.errors import Cancelled

WAIT = 180_000


def _demo() -> str:
    from pmviewer.core.resources import demo_vcf_path

    require_bundled(demo_vcf_path(), "the demo patient")
    return str(demo_vcf_path())


def test_the_window_is_loading_from_open_until_all_variants_are_shown(qtbot, window):
    _demo()
    seen: list[tuple[bool, bool]] = []
    window.findings_shown.connect(
        lambda: seen.append((window.is_loading(), "all" in window.frames))
    )
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_demo()  # with its patient's stated sex: analysed once
    # at the findings the whole-file worker is already the current one (Cancel reaches it),
    # and All variants is not marked yet: that waits for the next turn of the event loop
    assert seen == [(True, False)]
    assert window.result.analysis.findings.sex_source == "stated"
    frame, _index = window.frames["all"]
    assert frame["category"].notna().sum() > 0  # the findings are marked among all variants


def test_cancel_right_after_the_findings_stops_the_whole_file_load(qtbot, window):
    errors: list[BaseException] = []
    window.load_failed.connect(errors.append)
    window.findings_shown.connect(window.cancel_loading)
    _demo()
    with qtbot.waitSignal(window.findings_shown, timeout=WAIT):
        window.open_demo()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=WAIT)
    assert [type(e) for e in errors] == [Cancelled]
    assert "findings are complete" in window.status_label.text()
    assert window.counts()["reportable"] > 0  # the findings stay shown


def test_a_new_file_never_shows_the_previous_files_variants(qtbot, window, corpus_dir):
    _demo()
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_demo()
    old_all = window.frames["all"][0]
    other = corpus_dir / "a_germline" / "happy__PG_NA12878_hg38-chr21.vcf.gz"
    at_findings: list[object] = []
    window.findings_shown.connect(lambda: at_findings.append(window.frames.get("all", (None,))[0]))
    failed: list[BaseException] = []
    window.load_failed.connect(failed.append)
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_file(str(other), build="GRCh38")
    assert not failed
    assert at_findings and at_findings[0] is not old_all
    assert window.frames["all"][0] is not old_all


def _count_whole_file_reads(monkeypatch, events: list[str]) -> None:
    from dataclasses import replace

    from pmviewer.ui import jobs

    real = jobs.vcf_io()

    def counted(*args, **kwargs):
        if kwargs.get("regions") is None:
            events.append("read")  # on the worker thread: a list append is atomic
        return real.load(*args, **kwargs)

    monkeypatch.setattr(jobs, "vcf_io", lambda: replace(real, load=counted))


def test_the_whole_file_is_read_beside_the_analysis_and_once(qtbot, window, monkeypatch):
    events: list[str] = []
    _count_whole_file_reads(monkeypatch, events)
    window.findings_shown.connect(lambda: events.append("findings"))
    _demo()
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_demo()
    # started with the analysis, not after its findings
    assert events == ["read", "findings"]
    first = window.frames["all"][0]
    # a re-analysis of the file shown (here with another stated sex) marks the table read
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.reannotate("M")
    assert events == ["read", "findings", "findings"]
    assert window.result.analysis.findings.sex == "M"
    frame = window.frames["all"][0]
    assert frame is not first and len(frame) == len(first)
    assert frame["category"].notna().sum() > 0


def test_cancel_during_the_analysis_stops_the_whole_file_read(qtbot, window):
    errors: list[BaseException] = []
    window.load_failed.connect(errors.append)
    shown: list[bool] = []
    window.findings_shown.connect(lambda: shown.append(True))
    _demo()
    window.open_demo()
    qtbot.waitUntil(lambda: window.loading.whole is not None, timeout=WAIT)
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=WAIT)
    assert [type(e) for e in errors] == [Cancelled]
    assert window.loading.whole is None and not shown
    assert "all" not in window.frames  # nothing of the file is shown


def test_the_handoff_waits_for_the_findings_and_honours_cancel():
    import threading

    import pytest

    from pmviewer.core.progress import CancelToken
    from pmviewer.ui.jobs import FindingsHandoff, FindingsMarks

    handoff = FindingsHandoff()
    marks = FindingsMarks(None, sample="S1")
    got: list[FindingsMarks] = []
    waiter = threading.Thread(target=lambda: got.append(handoff.wait(CancelToken())))
    waiter.start()
    handoff.give(marks)
    waiter.join(timeout=10)
    assert got == [marks]
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        FindingsHandoff().wait(cancel)
