"""The window with tumour files: the question, the tumour-type chooser, the tumour view."""

from __future__ import annotations

from pathlib import Path

from tumour_cases import write_lung_vcf

from pmviewer.core.tumour import TumourFileError
from pmviewer.ui.tumour_question import TumourQuestionDialog
from pmviewer.ui.tumour_type_dialog import TumourTypeDialog
from pmviewer.ui.tumour_window import TumourWindow

WAIT = 120_000
SOMATIC = "i_somatic"


def test_opening_a_tumour_normal_file_asks_and_analyses_the_normal(qtbot, window, corpus_dir):
    with qtbot.waitSignal(window.load_failed, timeout=WAIT) as blocker:
        window.open_file(str(corpus_dir / SOMATIC / "gatk__mutect_filtering_NA12878.vcf"))
    assert isinstance(blocker.args[0], TumourFileError)
    dialog = window.dialog
    assert isinstance(dialog, TumourQuestionDialog) and dialog.isVisible()
    assert dialog.germline_button is not None and "SM-612V6" in dialog.germline_button.text()
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        dialog.germline_button.click()
    findings = window.result.analysis.findings
    assert findings.sample == "SM-612V6"
    assert any("normal sample SM-612V6 only" in w for w in findings.warnings)


def test_a_tumour_only_file_offers_no_germline_analysis(qtbot, window, corpus_dir):
    with qtbot.waitSignal(window.load_failed, timeout=WAIT):
        window.open_file(str(corpus_dir / SOMATIC / "gatk__mutect_createpon_sample1.vcf"))
    dialog = window.dialog
    assert isinstance(dialog, TumourQuestionDialog) and dialog.germline_button is None


def test_tumour_report_from_the_question_to_the_tumour_view(qtbot, window, tmp_path, monkeypatch):
    path = write_lung_vcf(tmp_path / "lung.vcf")
    with qtbot.waitSignal(window.load_failed, timeout=WAIT):
        window.open_file(str(path))
    window.dialog.tumour_button.click()
    qtbot.waitUntil(lambda: isinstance(window.dialog, TumourTypeDialog), timeout=WAIT)
    chooser = window.dialog
    chooser.search.setText("lung adenocarcinoma")
    assert chooser.tumour_type.doid == "DOID:3910"
    chooser.accept()
    qtbot.waitUntil(lambda: getattr(window, "tumour_window", None) is not None, timeout=WAIT)
    view = window.tumour_window
    assert isinstance(view, TumourWindow)
    genes = {f.gene for f in view.analysis.findings if f.tier == "Tier I"}
    assert {"EGFR", "KRAS"} <= genes
    assert view.model.rowCount() == len(view.analysis.findings)
    assert "EID" in view.detail.toPlainText()
    # the review: decide and comment on the first finding; both persist in the case
    view.table.selectRow(0)
    view.decision.setCurrentIndex(1)
    view.decision.activated.emit(1)
    view.comment.setText("Confirmed by the tumour board")
    view.comment.editingFinished.emit()
    first = view.analysis.findings[0].finding_id
    decision = view.case.decision(first)
    assert decision.decision == "include" and decision.comment == "Confirmed by the tumour board"
    out = view.export_pdf(str(tmp_path / "tumour.pdf"))
    assert out and (tmp_path / "tumour.pdf").read_bytes().startswith(b"%PDF")
    # sign-off by two people, then an amendment: the same case workflow as germline findings
    from PySide6.QtWidgets import QInputDialog

    for finding in view.analysis.findings:
        view.case.set_decision(finding.finding_id, "include")
    answers = iter([("Dr Reviewer", True), ("Dr Approver", True), ("corrected comment", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    view._sign()
    view._approve()
    assert view.case.status in ("final", "amended"), view.status.text()
    import io

    import pypdf

    final = view.export_pdf(str(tmp_path / "final.pdf"))
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(Path(final).read_bytes())).pages
    )
    assert "Dr Reviewer" in text and "Dr Approver" in text and "FINAL" in text.upper()
    view._amend()
    assert view.case.status == "draft" and "Amendment started" in view.status.text()
    view.close()


def test_findings_model_passes_the_model_tester(qtmodeltester, tmp_path):
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.oncology import analyse_tumour
    from pmviewer.ui.tumour_window import TumourFindingsModel

    with open_knowledge() as kb:
        analysis = analyse_tumour(write_lung_vcf(tmp_path / "lung.vcf"), "DOID:3910", knowledge=kb)
    model = TumourFindingsModel(analysis.findings)
    qtmodeltester.check(model)
    assert model.data(model.index(0, model.TIER)) == "Tier I"


def test_a_tumour_file_without_a_build_asks_for_it(qtbot, window, corpus_dir):
    from pmviewer.ui.dialogs import BuildChooserDialog
    from pmviewer.ui.tumour_actions import start_tumour_report

    start_tumour_report(
        window, str(corpus_dir / SOMATIC / "vcf2maf__test_varscan.vcf"), "DOID:162", None
    )
    qtbot.waitUntil(
        lambda: isinstance(getattr(window, "dialog", None), BuildChooserDialog), timeout=WAIT
    )
    window.dialog.radios["GRCh37"].click()
    window.dialog.ok_button.click()
    qtbot.waitUntil(lambda: getattr(window, "tumour_window", None) is not None, timeout=WAIT)
    assert window.tumour_window.analysis.build == "GRCh37"
    window.tumour_window.close()
