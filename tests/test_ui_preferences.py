"""Edit ▸ Preferences on the real window (offscreen): knowledge file, reference genome,
quality thresholds; and the synthetic-data banner and window title."""

from __future__ import annotations

import shutil

import pytest
from bundled import require_bundled
from PySide6.QtWidgets import QDialogButtonBox
from window_steps import open_and_wait

from pmviewer.core.annotation.quality import QualityThresholds
from pmviewer.core.resources import bundled_knowledge_path, demo_vcf_path
from pmviewer.ui.main_window import MainWindow
from pmviewer.ui.preferences import (
    AnalysisPreferences,
    read_preferences,
    startup_preferences,
    write_preferences,
)
from pmviewer.ui.preferences_dialog import PreferencesDialog
from pmviewer.ui.settings import read_settings
from pmviewer.ui.window_chrome import SYNTHETIC_TEXT, window_title

WAIT = 120_000
NON_DEMO = "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"


@pytest.fixture
def demo():
    path = demo_vcf_path()
    require_bundled(path, "the bundled demo patient")
    return str(path)


@pytest.fixture
def kb_copy(tmp_path):
    target = tmp_path / "copy-of-knowledge.sqlite"
    shutil.copyfile(bundled_knowledge_path(), target)
    return str(target)


def save_and_wait(qtbot, window, dialog):
    with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def check(qtbot, dialog, start) -> bool:
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as blocker:
        start()
    return blocker.args[1]


def flags_of(window, gene):
    frame = window.result.analysis.findings.frame
    rows = frame[frame["kb_gene"].astype(str) == gene]
    return [flag for flags in rows["quality_flags"] for flag in flags]


def test_preferences_round_trip_through_settings(qapp, kb_copy, tmp_path):
    assert read_preferences() == AnalysisPreferences()  # bundled, no reference, defaults
    prefs = AnalysisPreferences(
        kb_copy, str(tmp_path / "g.fa"), QualityThresholds(min_dp=8, het_vaf_low=0.3)
    )
    write_preferences(prefs)
    assert read_preferences() == prefs
    assert read_settings("quality_thresholds")["min_dp"] == 8
    dialog = PreferencesDialog(prefs)
    assert dialog.preferences() == prefs
    assert dialog.chosen_radio.isChecked() and dialog.knowledge_edit.text() == kb_copy
    import sqlite3

    with sqlite3.connect(kb_copy) as conn:  # the version as the file itself records it
        (version,) = conn.execute(
            "SELECT value FROM meta WHERE key = 'knowledge_version'"
        ).fetchone()
    conn.close()
    assert version and f"knowledge version <b>{version}</b>" in dialog.knowledge_info.text()
    assert "copy-of-knowledge.sqlite" in dialog.knowledge_info.text()


def test_corrupt_knowledge_file_is_refused_and_previous_choice_kept(qtbot, kb_copy, tmp_path):
    bad = tmp_path / "garbage.sqlite"
    bad.write_bytes(bytes(range(256)) * 64)
    dialog = PreferencesDialog(AnalysisPreferences(knowledge_path=kb_copy))
    qtbot.addWidget(dialog)
    assert not check(qtbot, dialog, lambda: dialog.choose_knowledge(str(bad)))
    message = dialog.error_dialog.message
    assert "damaged or is not a pmviewer knowledge file" in message and str(bad) in message
    assert dialog.preferences().knowledge_path == kb_copy
    assert dialog.knowledge_edit.text() == kb_copy
    dialog.error_dialog.close()

    # a real knowledge file whose content was altered: the `kb verify` checksum refuses it
    import sqlite3

    altered = tmp_path / "altered.sqlite"
    shutil.copyfile(kb_copy, altered)
    with sqlite3.connect(altered) as conn:
        conn.execute("UPDATE meta SET value = value || ' (edited)' WHERE key = 'build_date'")
    conn.close()
    assert not check(qtbot, dialog, lambda: dialog.choose_knowledge(str(altered)))
    assert "changed since it was built" in dialog.error_dialog.message
    assert dialog.preferences().knowledge_path == kb_copy


def test_chosen_knowledge_file_is_used_by_the_next_analysis(qtbot, window, demo, kb_copy):
    open_and_wait(qtbot, window, demo)
    assert window.result.analysis.findings.knowledge["path"] == str(bundled_knowledge_path())
    dialog = window.preferences.edit()
    assert dialog.bundled_radio.isChecked()
    assert check(qtbot, dialog, lambda: dialog.choose_knowledge(kb_copy))
    assert dialog.chosen_radio.isChecked() and "version" in dialog.knowledge_info.text()
    save_and_wait(qtbot, window, dialog)
    assert window.result.analysis.findings.knowledge["path"] == kb_copy
    assert read_settings("knowledge_file") == kb_copy


def test_thresholds_change_the_flags_shown_and_the_report(qtbot, window, demo):
    open_and_wait(qtbot, window, demo)
    before = flags_of(window, "MYBPC3")
    assert any(f.startswith("low depth (DP 9 < 15)") for f in before)
    dialog = window.preferences.edit()
    dialog.min_dp.setValue(5)
    save_and_wait(qtbot, window, dialog)
    after = flags_of(window, "MYBPC3")
    assert not any(f.startswith("low depth") for f in after)
    assert any(f.startswith("low genotype quality") for f in after)  # GQ threshold unchanged
    assert window.result.thresholds.min_dp == 5

    # the row's flags in the detail panel follow the new thresholds
    window.filter_bar.set_view("reportable")
    rows = [window.model.row_dict(r) for r in range(window.model.rowCount())]
    row = next(r for r in range(len(rows)) if rows[r]["kb_gene"] == "MYBPC3")
    window.select_row(row)
    assert "low depth" not in window.detail.text()

    # the PDF's methods print the thresholds used
    import io

    from pypdf import PdfReader

    model, pdf = window.exports.report_pdf()
    assert "depth >= 5" in " ".join(model.methods.quality_thresholds)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "depth >= 5;" in text and "genotype quality >= 20" in text


def test_reference_fasta_flows_into_the_analysis(qtbot, window, demo, tmp_path):
    fasta = tmp_path / "tiny.fa"
    fasta.write_text(">chrT\nACGTACGTAC\nGGTTA\n")
    gz = tmp_path / "tiny.fa.gz"
    gz.write_bytes(b"\x1f\x8b")
    open_and_wait(qtbot, window, demo)
    assert "no reference genome set" in window.result.analysis.findings.fate["normalisation"]
    assert any(
        "could not be fully normalised" in w for w in window.result.analysis.findings.warnings
    )
    dialog = window.preferences.edit()
    assert not check(qtbot, dialog, lambda: dialog.choose_reference(str(gz)))
    assert "compressed" in dialog.error_dialog.message
    dialog.error_dialog.close()
    assert dialog.preferences().reference_path is None
    assert check(qtbot, dialog, lambda: dialog.choose_reference(str(fasta)))
    assert "1 sequence" in dialog.reference_info.text()
    save_and_wait(qtbot, window, dialog)
    findings = window.result.analysis.findings
    assert findings.fate["normalisation"] == "left-aligned against tiny.fa"
    # the demo's contigs are not in the tiny FASTA: the banner says so, naming it
    assert any("tiny.fa lacks their chromosome" in w for w in findings.warnings)
    assert "tiny.fa lacks their chromosome" in window.banner.text()
    assert read_settings("reference_fasta") == str(fasta)


def test_missing_or_corrupt_saved_knowledge_file_falls_back_once(qtbot, tmp_path, kb_copy):
    bad = tmp_path / "was-good.sqlite"
    bad.write_bytes(b"not sqlite at all" * 100)
    write_preferences(AnalysisPreferences(knowledge_path=str(bad)))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.prefs.knowledge_path is None
    notice = window.banners.notice_text()
    assert "using its bundled knowledge file" in notice and "was-good.sqlite" in notice
    assert read_settings("knowledge_file") == ""  # told once: the next start is quiet
    assert startup_preferences()[1] is None

    write_preferences(AnalysisPreferences(knowledge_path=str(tmp_path / "gone.sqlite")))
    prefs, notice = startup_preferences()
    assert prefs.knowledge_path is None and "was not found" in notice
    write_preferences(AnalysisPreferences(knowledge_path=kb_copy))
    assert startup_preferences() == (AnalysisPreferences(knowledge_path=kb_copy), None)

    # a reference genome that has gone is dropped the same way (indels then only trimmed)
    write_preferences(AnalysisPreferences(kb_copy, str(tmp_path / "moved.fa")))
    prefs, notice = startup_preferences()
    assert prefs == AnalysisPreferences(knowledge_path=kb_copy)
    assert "moved.fa was not found" in notice and read_settings("reference_fasta") == ""


def test_synthetic_banner_and_title(qtbot, window, demo, corpus_dir):
    open_and_wait(qtbot, window, demo)
    banner = window.banners.synthetic
    assert banner.isVisible() and banner.text() == SYNTHETIC_TEXT
    sample = window.result.analysis.findings.sample
    title = window.windowTitle()
    assert "SYNTHETIC" in title and demo_vcf_path().name in title and f"({sample})" in title
    assert "Final" not in title

    open_and_wait(qtbot, window, str(corpus_dir / NON_DEMO))
    assert not window.banners.synthetic.isVisible()
    assert "SYNTHETIC" not in window.windowTitle()
    assert "happy__PG_NA12878_hg38-chr21.vcf.gz" in window.windowTitle()


def test_title_words():
    assert window_title() == "pmviewer"
    assert window_title("p.vcf", "S1") == "pmviewer — p.vcf (S1)"
    assert window_title("p.vcf", "S1", "draft") == "pmviewer — p.vcf (S1)"
    assert window_title("p.vcf", "S1", "final", True) == (
        "pmviewer — SYNTHETIC DEMO — p.vcf (S1) — Final (approved)"
    )


def test_title_shows_the_status_once_the_case_is_final(qtbot, window, demo):
    open_and_wait(qtbot, window, demo)
    assert "Final" not in window.windowTitle()
    window.filter_bar.set_view("reportable")
    ids = [window.model.row_dict(r)["finding_id"] for r in range(window.model.rowCount())]
    window.review.case.set_decisions(ids, "include")
    for step, name in (
        (window.review.sign_review, "A. Counselor"),
        (window.review.approve, "B. Director"),
    ):
        step()
        window.dialog.name_edit.setText(name)
        window.dialog.accept()
    assert window.review.case.status == "final"
    assert window.windowTitle().endswith(" — Final (approved)")
    window.review.start_amendment()
    window.dialog.reason_edit.setPlainText("Family history received")
    window.dialog.accept()
    assert "approved" not in window.windowTitle()  # an open amendment is a draft again


def test_saved_knowledge_file_failing_its_integrity_check_falls_back(qtbot, kb_copy, demo):
    import sqlite3

    with sqlite3.connect(kb_copy) as conn:  # every open checks the content checksum
        conn.execute("UPDATE meta SET value = value || ' (edited)' WHERE key = 'build_date'")
    conn.close()
    write_preferences(AnalysisPreferences(knowledge_path=kb_copy))
    window = MainWindow()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.prefs.knowledge_path is None, timeout=WAIT)
    assert "could not be used" in window.banners.notice_text()
    assert "changed since it was built" in window.banners.notice_text()
    assert read_settings("knowledge_file") == ""
    open_and_wait(qtbot, window, demo)
    assert window.result.analysis.findings.knowledge["path"] == str(bundled_knowledge_path())
    window.banners.dismiss_notice()
    assert window.banners.notice_text() == ""
    assert window.banners.synthetic.isVisibleTo(window)  # the SYNTHETIC banner stays


def test_unexpected_fault_in_the_integrity_check_shows_no_python_text(qtbot, kb_copy, monkeypatch):
    import sqlite3

    from pmviewer.core import knowledge

    def damaged(path):  # what sqlite raises when pages go bad under a running check
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(knowledge, "verify_file", damaged)
    write_preferences(AnalysisPreferences(knowledge_path=kb_copy))
    window = MainWindow()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.prefs.knowledge_path is None, timeout=WAIT)
    notice = window.banners.notice_text()
    assert "failed its integrity check" in notice
    assert "malformed" not in notice and "could not finish" in notice
