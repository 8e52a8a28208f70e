"""The review workflow in the real window, on the bundled demo patient (offscreen)."""

from __future__ import annotations

import pytest
from bundled import require_bundled
from PySide6.QtWidgets import QFileDialog
from window_steps import WAIT, close, make_window, open_demo, settle

from pmviewer.core.model import PatientDetails
from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui.dialogs import ErrorDialog
from pmviewer.ui.patient_form import PatientFormDialog
from pmviewer.ui.signoff_dialog import SignOffDialog


@pytest.fixture
def demo():
    path = demo_vcf_path()
    require_bundled(path, "the bundled demo patient")
    return str(path)


@pytest.fixture
def window(review_window):
    return review_window


def reportable_rows(window) -> list[int]:
    window.filter_bar.set_view("reportable")
    assert window.model.rowCount() > 0
    return list(range(window.model.rowCount()))


def select(window, rows: list[int]) -> None:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    selection = QItemSelection()
    for row in rows:
        selection.select(window.model.index(row, 0), window.model.index(row, 0))
    window.table.selectionModel().select(
        selection,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def cell(window, row: int, key: str) -> str:
    return window.model.data(window.model.index(row, window.model.column_index(key)))


def test_case_opens_with_review_columns_and_panel(window):
    findings = window.result.analysis.findings
    case = window.review.case
    assert case is not None
    assert case.info.sha256 == findings.input_sha256
    assert case.info.sample == findings.sample
    assert window.review_area.isVisible()
    reportable_rows(window)
    window.select_row(0)
    fid = window.model.row_dict(0)["finding_id"]
    assert window.review.panel.finding_ids == [fid]
    assert cell(window, 0, "review_decision") == ""
    assert window.menus.export_report_action.isEnabled()
    assert window.menus.amend_action.isEnabled() is False


def test_decide_comment_override_bulk_then_reopen_restores(qtbot, demo, window):
    panel = window.review.panel
    rows = reportable_rows(window)
    ids = [window.model.row_dict(r)["finding_id"] for r in rows]

    window.select_row(0)
    panel.decision_buttons["exclude"].click()
    assert window.review.case.decision(ids[0]).decision == "exclude"
    assert "Exclude" in cell(window, 0, "review_decision")

    # override without a reason is refused with the counselor message
    panel.override_box.setEditText("Likely pathogenic")
    panel.reason_edit.setText("")
    panel.override_button.click()
    assert isinstance(window.dialog, ErrorDialog)
    assert "reason" in window.dialog.message
    assert window.review.case.decision(ids[0]).classification_override is None
    window.dialog.accept()
    assert panel.override_box.currentText() == "Likely pathogenic"  # what was typed stays
    panel.reason_edit.setText("Segregation data from the family")
    panel.override_button.click()
    assert window.review.case.decision(ids[0]).classification_override == "Likely pathogenic"
    assert cell(window, 0, "review_override") == "Likely pathogenic"

    # a comment is saved after the typing pause (and on leaving the row)
    qtbot.keyClicks(panel.comment_edit, "Discussed with Dr Ünal")
    qtbot.waitUntil(lambda: window.review.case.decision(ids[0]).comment != "", timeout=5000)
    assert window.review.case.decision(ids[0]).comment == "Discussed with Dr Ünal"
    assert cell(window, 0, "review_comment") == "✎"

    # bulk include on a multi-row selection (Review menu action)
    select(window, rows)
    assert panel.finding_ids == ids
    assert not panel.comment_edit.isEnabled()  # one comment per finding
    window.menus.decision_actions["include"].trigger()
    assert {window.review.case.decision(f).decision for f in ids} == {"include"}
    assert all("Include" in cell(window, r, "review_decision") for r in rows)

    # patient details are saved with the case
    window.review.save_patient(PatientDetails(name="Test Person", mrn="MRN-1"), {})
    close(qtbot, window)

    again = make_window(qtbot)
    open_demo(qtbot, again, demo)
    try:
        case = again.review.case
        first = case.decision(ids[0])
        assert (first.decision, first.classification_override, first.override_reason) == (
            "include",
            "Likely pathogenic",
            "Segregation data from the family",
        )
        assert first.comment == "Discussed with Dr Ünal"
        assert case.patient().name == "Test Person"
        reportable_rows(again)
        shown = {
            again.model.row_dict(r)["finding_id"]: cell(again, r, "review_decision")
            for r in range(again.model.rowCount())
        }
        assert all("Include" in shown[f] for f in ids)
        assert case.audit_log(ids[0])  # every change was recorded
    finally:
        close(qtbot, again)


def test_changed_file_with_same_name_is_another_case(qtbot, demo, tmp_path):
    import gzip

    from pmviewer.core.review.store import ReviewStore

    # a different version of the file under the same name
    with gzip.open(demo, "rt") as handle:
        text = handle.read()
    lines = text.splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    copy = tmp_path / "demo-patient.GRCh38.vcf"
    copy.write_text("".join(header[:-1] + ["##note=edited copy\n", header[-1]] + body))
    store = ReviewStore()
    store.open_case("a" * 64, None, copy.name, "GRCh38", "kb")
    store.close()
    window = make_window(qtbot)
    open_demo(qtbot, window, str(copy))
    try:
        assert window.review.case.info.sha256 != "a" * 64
        assert "different version" in window.review.panel.banner.text()
    finally:
        close(qtbot, window)


def test_patient_sex_reruns_the_analysis(qtbot, window):
    findings = window.result.analysis.findings
    new_sex = "M" if findings.sex != "M" else "F"
    dialog = PatientFormDialog(
        window.review.case.patient(), save=window.review.save_patient, parent=window
    )
    qtbot.addWidget(dialog)
    dialog.set_field("sex", new_sex)
    dialog.finished.connect(lambda _r: window.review.patient_form_closed())
    dialog.accept()  # closing saves and re-annotates
    assert window.review.case.patient().sex == new_sex
    qtbot.waitUntil(lambda: window.sex == new_sex, timeout=WAIT)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.result.analysis.findings.sex_source == "stated", timeout=WAIT)
    assert window.result.analysis.findings.sex == new_sex

    # a new window on the same file uses the case's stated sex straight away
    again = make_window(qtbot)
    try:
        with qtbot.waitSignal(again.findings_shown, timeout=WAIT):
            again.open_file(window.path)
        qtbot.waitUntil(lambda: again.sex == new_sex, timeout=WAIT)
        settle(qtbot, again)
        qtbot.waitUntil(lambda: again.all_variants is not None, timeout=WAIT)
        assert again.result.analysis.findings.sex == new_sex
        assert again.result.analysis.findings.sex_source == "stated"
    finally:
        close(qtbot, again)


def _name_reportable_findings(window) -> None:
    """Enter a transcript-level name for each reportable finding through the review panel, as
    the reviewer must before approval. The demo patient's records carry no c. name in the
    knowledge file; the entry here exercises the flow (MANE transcript from the knowledge,
    a syntactically valid placeholder c. name) and is not a statement about the variant."""
    from pmviewer.core.knowledge import open_knowledge

    panel = window.review.panel
    with open_knowledge() as kb:
        mane = dict(zip(kb.genes()["gene"], kb.genes()["mane_select_refseq"], strict=True))
    for r in reportable_rows(window):
        row = window.model.row_dict(r)
        if window.review.case.decision(row["finding_id"]).hgvs_c or row.get("name_c"):
            continue
        window.select_row(r)
        panel.name_transcript.setText(mane[row["kb_gene"]])
        panel.name_c.setText("c.1A>G")
        panel.name_button.click()
        assert window.review.case.decision(row["finding_id"]).hgvs_c == "c.1A>G"
    for r in reportable_rows(window):  # an included quality-flagged finding needs a reason
        row = window.model.row_dict(r)
        if row.get("quality_flags") and not window.review.case.decision(row["finding_id"]).comment:
            window.review.case.set_comment(row["finding_id"], "Confirmed by Sanger sequencing.")


def _sign_and_approve(window) -> None:
    _name_reportable_findings(window)
    window.review.sign_review()
    dialog = window.dialog
    assert isinstance(dialog, SignOffDialog) and dialog.step == "review"
    dialog.name_edit.setText("A. Counselor")
    dialog.accept()
    assert window.review.case.signoff().reviewer == "A. Counselor"
    assert window.menus.approve_action.isEnabled()
    window.review.approve()
    dialog = window.dialog
    assert dialog.step == "approve"
    assert not dialog.ok_button.isEnabled()  # a name is required
    dialog.name_edit.setText("B. Director")
    dialog.accept()


def test_signoff_locks_and_amendment_shows_in_next_report(qtbot, window):

    panel = window.review.panel
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    window.review.case.set_decisions(ids, "include")
    _sign_and_approve(window)
    case = window.review.case
    assert case.locked and case.status == "final"
    window.select_row(0)
    assert not any(b.isEnabled() for b in panel.decision_buttons.values())
    assert not panel.comment_edit.isEnabled()
    assert "Locked" in panel.banner.text() and "Start amendment" in panel.banner.text()
    assert not window.menus.decision_actions["include"].isEnabled()
    assert window.menus.amend_action.isEnabled()
    assert window.exports.report_model().status == "final"

    # a change through the shortcut path is refused while locked
    window.review.set_decision("exclude")
    assert case.decision(ids[0]).decision == "include"

    window.review.start_amendment()
    dialog = window.dialog
    assert dialog.step == "amend" and not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("Family history received")
    dialog.accept()
    assert not case.locked and case.amendment_open
    assert "Amendment in progress" in panel.banner.text()
    window.select_row(0)
    panel.decision_buttons["exclude"].click()
    assert case.decision(ids[0]).decision == "exclude"
    case.set_comment(ids[0], "Excluded: the variant is not confirmed on the second sample.")
    _sign_and_approve(window)
    assert case.status == "amended"
    model = window.exports.report_model()
    assert model.status == "amended"
    amendment = model.signoff.amendments[-1]
    assert amendment.reason == "Family history received"
    assert any("exclude" in change.lower() for change in amendment.changes)
    assert any("not confirmed on the second sample" in r for r in model.reviewer_reasons)


def test_storage_error_is_shown_with_the_counselor_message(window, monkeypatch):
    from pmviewer.core.review.errors import CaseStorageError

    def full(*_a, **_k):
        raise CaseStorageError(
            "pmviewer could not save your change because the disk is full.", "disk_full"
        )

    monkeypatch.setattr(window.review.case, "set_decisions", full)
    reportable_rows(window)
    window.select_row(0)
    window.review.panel.decision_buttons["include"].click()
    assert isinstance(window.dialog, ErrorDialog)
    assert "disk is full" in window.dialog.message
    assert not window.review.panel.decision_buttons["include"].isChecked()


def test_export_findings_and_review(window, tmp_path, monkeypatch):
    import json

    from pmviewer.core.review.export import load_review

    targets = iter([tmp_path / "f.tsv", tmp_path / "f.json", tmp_path / "review.json"])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(next(targets)), ""))
    )
    frame = window.result.analysis.findings.frame
    ids = [window.model.row_dict(r)["finding_id"] for r in reportable_rows(window)]
    window.review.case.set_comment(ids[0], "check segregation")
    tsv = window.exports.export_findings("tsv")
    lines = open(tsv, encoding="utf-8").read().splitlines()
    reportable = int((frame["category"] == "reportable").sum())
    assert len(lines) >= 1 + reportable
    gene = window.model.row_dict(0)["kb_gene"]
    assert gene in open(tsv, encoding="utf-8").read()
    data = json.loads(open(window.exports.export_findings("json"), encoding="utf-8").read())
    assert gene in json.dumps(data)
    doc = load_review(window.exports.export_review())
    assert doc.decisions[ids[0]].comment == "check segregation"


def test_case_that_cannot_be_opened_leaves_the_file_viewable(qtbot, demo, monkeypatch):
    from pmviewer.core.review.errors import CaseStorageError
    from pmviewer.core.review.store import ReviewStore

    message = "pmviewer could not open the review case because the folder cannot be written to."

    def refuse(*_a, **_k):
        raise CaseStorageError(message, "read_only")

    monkeypatch.setattr(ReviewStore, "open_case", refuse)
    window = make_window(qtbot)
    open_demo(qtbot, window, demo)
    try:
        assert isinstance(window.dialog, ErrorDialog) and window.dialog.message == message
        assert window.review.case is None
        assert "could not be opened" in window.review.panel.banner.text()
        assert window.model.rowCount() > 0  # the findings are still shown
        assert not window.menus.export_report_action.isEnabled()
        assert not window.menus.decision_actions["include"].isEnabled()
    finally:
        close(qtbot, window)


def test_all_variants_view_reviews_only_the_findings_selected(window):
    findings = window.result.analysis.findings.frame
    window.filter_bar.set_view("all")
    assert window.model.rowCount() > len(findings)
    window.table.selectAll()  # every variant of the file
    ids = window.review.panel.finding_ids
    marked = window.all_variants.frame["category"].notna()
    assert 0 < len(ids) == int(marked.sum()) and set(ids) <= set(findings["finding_id"])
    window.menus.decision_actions["exclude"].trigger()
    decided = window.review.case.decisions()
    assert set(decided) == set(ids)
    assert {d.decision for d in decided.values()} == {"exclude"}
    window.filter_bar.set_view("pgx")
    window.select_row(0)
    assert window.review.panel.finding_ids == []


def test_patient_form_from_the_menu_saves_when_the_window_closes(qtbot, demo):
    from pmviewer.core.review.store import ReviewStore

    window = make_window(qtbot)
    open_demo(qtbot, window, demo)
    window.menus.patient_action.trigger()
    form = window.dialog
    assert isinstance(form, PatientFormDialog)
    form.set_field("name", "Typed Just Before Closing")
    sha, sample = window.review.case.info.sha256, window.review.case.info.sample
    close(qtbot, window)  # before the typing pause ended
    store = ReviewStore()
    try:
        info = store.find_case(sha, sample)
        assert info is not None
        case = store.open_case(sha, sample, info.input_name, info.build, info.knowledge_version)
        assert case.patient().name == "Typed Just Before Closing"
    finally:
        store.close()


def test_a_damaged_case_store_offers_the_backup_and_restores_the_decisions(qtbot, demo):
    from pmviewer.core.review import ReviewStore
    from pmviewer.core.review.schema import default_store_path
    from pmviewer.ui.dialogs import StoreDamagedDialog

    first = make_window(qtbot)
    open_demo(qtbot, first, demo)
    ids = list(first.review.findings.frame["finding_id"].astype(str))[:2]
    first.review.case.set_decisions(ids, "include")
    close(qtbot, first)
    ReviewStore().close()  # a later session's open backs the store up
    store = default_store_path()
    store.write_bytes(b"")  # the store is damaged: emptied

    second = make_window(qtbot)
    with qtbot.waitSignal(second.findings_shown, timeout=WAIT):
        second.open_file(demo)
    qtbot.waitUntil(lambda: isinstance(second.dialog, StoreDamagedDialog), timeout=WAIT)
    dialog = second.dialog
    assert "empty (0 bytes)" in dialog.message and "did not start an empty one" in dialog.message
    assert second.review.case is None  # no empty case was started behind the counselor's back
    assert store.read_bytes() == b""
    with qtbot.waitSignal(second.findings_shown, timeout=WAIT):
        dialog.action_button.click()
    settle(qtbot, second)
    decided = second.review.case.decisions()
    assert all(decided[i].decision == "include" for i in ids)
    assert list(store.parent.glob("store.sqlite.damaged-*"))
    close(qtbot, second)
