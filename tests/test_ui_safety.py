"""The window shows the clinical-safety facts: qualifier beside the category, the report's name
with its source, CIViC germline therapy, why a view is empty; Preferences hold the evidence
policy and the assays' target BEDs, and the analysis uses them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from window_steps import open_and_wait

from pmviewer.core.annotation import EvidencePolicy
from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui.preferences import AnalysisPreferences, read_preferences, write_preferences
from pmviewer.ui.preferences_dialog import PreferencesDialog

WAIT = 120_000


def _row_of(window, view: str, gene: str) -> int:
    window.filter_bar.set_view(view)
    rows = [
        r for r in range(window.model.rowCount()) if window.model.row_dict(r)["kb_gene"] == gene
    ]
    assert rows, gene
    return rows[0]


def test_detail_panel_and_table_show_qualifier_name_and_therapy(qtbot, window):
    open_and_wait(qtbot, window, str(demo_vcf_path()))
    row = _row_of(window, "carrier", "HFE")
    category_col = next(i for i, c in enumerate(window.model._columns) if c.kind == "category")
    text = window.model.data(window.model.index(row, category_col), Qt.ItemDataRole.DisplayRole)
    assert text.endswith("· low penetrance; risk factor")
    window.select_row(row)
    panel = window.detail.text()
    assert "ClinVar qualifier" in panel and "Variant name for the report" in panel
    assert "ClinVar's name" in panel
    review = window.review.panel  # the analysis' own name is the starting point for an edit
    assert review.name_c.text() == window.model.row_dict(row)["name_c"] != ""
    assert review.name_transcript.text() == window.model.row_dict(row)["name_transcript"]
    window.select_row(_row_of(window, "reportable", "BRCA2"))
    panel = window.detail.text()
    assert "Therapeutic implications (CIViC germline predictive evidence)" in panel
    assert "Olaparib" in panel and "Level A" in panel
    assert "none a laboratory can sign yet" in panel


def test_an_empty_view_explains_itself(qtbot, window):
    open_and_wait(qtbot, window, str(demo_vcf_path()))
    window.filter_bar.set_view("reportable")
    window.filter_bar.quick.setText("no-such-gene-xyz")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: "hidden by the filters" in window.detail.text(), timeout=WAIT)


def test_policy_and_assay_preferences_round_trip_and_reach_the_analysis(qtbot, tmp_path):
    bed = tmp_path / "cardio.bed"
    bed.write_text("chr11\t47331000\t47356000\n")  # MYBPC3 only
    prefs = AnalysisPreferences(
        policy=EvidencePolicy.from_settings(2, {"drug response": "exclude"}),
        assay_targets=(("Cardio v1", str(bed)),),
        assay="Cardio v1",
    )
    write_preferences(prefs)
    assert read_preferences() == prefs
    dialog = PreferencesDialog(read_preferences())
    qtbot.addWidget(dialog)
    assert dialog.policy_box.min_stars.value() == 2
    assert dialog.policy_box.policy().action("drug response") == "exclude"
    assert dialog.assay_box.current() == "Cardio v1"
    dialog.policy_box.min_stars.setValue(0)
    dialog.assay_box.remove_current()
    chosen = dialog.preferences()
    assert chosen.policy.min_stars == 0 and chosen.assay == "" and chosen.targets_path is None
    bad = tmp_path / "bad.bed"
    bad.write_text("not a bed\n")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as blocker:
        dialog.choose_targets("Broken", str(bad))
    assert blocker.args == ["targets", False] and "Broken" not in dialog.assay_box.assays
    dialog.error_dialog.close()
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as blocker:
        dialog.choose_targets("Cardio v2", str(bed))
    assert blocker.args == ["targets", True]
    assert dialog.preferences().targets_path == str(bed)
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def test_the_window_analysis_uses_the_assay_targets(qtbot, window, tmp_path):
    bed = tmp_path / "cardio.bed"
    bed.write_text("chr11\t47331000\t47356000\n")
    window.preferences.apply(
        AnalysisPreferences(assay_targets=(("Cardio", str(bed)),), assay="Cardio")
    )
    open_and_wait(qtbot, window, str(demo_vcf_path()))
    assessment = window.result.analysis.findings.assessment
    assert assessment["targets"] == "cardio.bed"
    by_gene = {g["gene"]: g for g in assessment["genes"]}
    assert by_gene["BRCA2"]["reason"] == "outside the laboratory's target regions"
