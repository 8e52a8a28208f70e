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
    seen: list[tuple[bool, bool]] = []
    window.findings_shown.connect(
        lambda: seen.append((window.is_loading(), "all" in window.frames))
    )
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_file(_demo())
    # at the findings the whole-file worker is already the current one (Cancel reaches it),
    # and All variants is not marked yet: that waits for the next turn of the event loop
    assert seen == [(True, False)]
    frame, _index = window.frames["all"]
    assert frame["category"].notna().sum() > 0  # the findings are marked among all variants


def test_cancel_right_after_the_findings_stops_the_whole_file_load(qtbot, window):
    errors: list[BaseException] = []
    window.load_failed.connect(errors.append)
    window.findings_shown.connect(window.cancel_loading)
    with qtbot.waitSignal(window.findings_shown, timeout=WAIT):
        window.open_file(_demo())
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=WAIT)
    assert [type(e) for e in errors] == [Cancelled]
    assert "findings are complete" in window.status_label.text()
    assert window.counts()["reportable"] > 0  # the findings stay shown


def test_a_new_file_never_shows_the_previous_files_variants(qtbot, window, corpus_dir):
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_file(_demo())
    old_all = window.frames["all"][0]
    other = corpus_dir / "h_actionable" / "cpsr__example.vcf.gz"  # GRCh37, unnamed in its header
    at_findings: list[object] = []
    window.findings_shown.connect(lambda: at_findings.append(window.frames.get("all", (None,))[0]))
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_file(str(other), build="GRCh37")
    assert at_findings and at_findings[0] is not old_all
    assert window.frames["all"][0] is not old_all
