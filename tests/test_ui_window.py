"""The real main window, offscreen: open files, wait for the workers, review."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from window_steps import open_and_wait

from pmviewer.core.errors import Cancelled
from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui.dialogs import BuildChooserDialog, ErrorDialog, SampleChooserDialog
from pmviewer.ui.main_window import MainWindow

ACTIONABLE = "h_actionable/cpsr__example.vcf.gz"  # GRCh37 without a build in its header
MULTI = "b_multisample/scout__643594.clinical.vcf.gz"
WAIT = 120_000


@pytest.fixture
def patient(corpus_dir):
    """(path, build): the bundled demo patient when present, else a real actionable VCF."""
    demo = demo_vcf_path()
    if demo.exists():
        return str(demo), None
    return str(corpus_dir / ACTIONABLE), "GRCh37"


def test_open_review_views_filter_and_detail(qtbot, window, patient):
    path, build = patient
    open_and_wait(qtbot, window, path, build)
    findings = window.result.analysis.findings
    frame = findings.frame
    counts = window.counts()
    for key in ("reportable", "carrier", "uncertain"):
        assert counts[key] == int((frame["category"] == key).sum())
    assert counts["pgx"] == len(findings.pgx)
    assert counts["all"] == len(window.all_variants.table.frame)
    tabs = window.filter_bar.tabs
    assert tabs.tabText(0) == f"Reportable ({counts['reportable']:,})"

    for number, key in enumerate(["reportable", "carrier", "uncertain", "pgx", "all"]):
        tabs.setCurrentIndex(number)
        assert window.model.rowCount() == counts[key]

    # a reportable finding: detail panel shows genotype, ClinVar evidence and the rule
    tabs.setCurrentIndex(0)
    assert window.model.rowCount() > 0
    window.select_row(0)
    row = window.model.row_dict(0)
    text = window.detail.text()
    gene = row["kb_gene"] or row["gene"]
    assert gene in text and "Genotype and quality" in text and "Reporting rule" in text
    assert row["classification"] in text and (row["reason"] or "") in text
    if row["clinvar_id"] is not None:
        assert f"https://www.ncbi.nlm.nih.gov/clinvar/variation/{row['clinvar_id']}/" in text
    assert "Reportable" in window.model.data(window.model.index(0, 0))

    # quick filter by gene narrows the findings to that gene
    qtbot.keyClicks(window.filter_bar.quick, gene)
    window.filter_bar.flush()
    genes = {window.model.row_dict(r)["kb_gene"] for r in range(window.model.rowCount())}
    assert genes == {gene}
    window.filter_bar.quick.clear()
    window.filter_bar.flush()
    assert window.model.rowCount() == counts["reportable"]

    # pharmacogenomics rows show the diplotype evidence
    tabs.setCurrentIndex(3)
    window.select_row(0)
    assert f"Pharmacogenomics: {window.model.row_dict(0)['gene']}" in window.detail.text()
    assert "Diplotype" in window.detail.text()


def test_all_variants_keyboard_copy_and_filters(qtbot, window, patient):
    path, build = patient
    open_and_wait(qtbot, window, path, build)
    window.filter_bar.set_view("all")
    table = window.table
    table.setFocus()
    window.select_row(0)
    first = window.detail.text()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1 and window.detail.text() != first
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    assert table.currentIndex().row() > 1
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].startswith("Finding\tChrom\tPosition\tRef\tAlt") and len(copied) == 3

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.quick.hasFocus()

    frame = window.all_variants.table.frame
    window.filter_bar.zygosity.setCurrentIndex(window.filter_bar.zygosity.findData("hom"))
    assert window.model.rowCount() == int((frame["zygosity"] == "hom").sum())
    assert f"{window.model.rowCount():,} of {len(frame):,}" in window.filter_bar.count_label.text()
    window.filter_bar.zygosity.setCurrentIndex(0)

    # findings are marked in the full table, and their detail shows the evidence
    findings = window.result.analysis.findings.frame
    marked = window.all_variants.frame["category"].notna()
    assert 0 < int(marked.sum()) <= len(findings)
    first = int(marked.to_numpy().nonzero()[0][0])
    window.select_row(window.model.view_row_of(first))
    assert "ClinVar" in window.detail.text() and "Reporting rule" in window.detail.text()
    some = frame.iloc[len(frame) // 2]
    window.filter_bar.quick.setText(f"{some['chrom']}:{int(some['pos']):,}")
    window.filter_bar.flush()
    assert window.model.rowCount() >= 1
    assert {window.model.row_dict(r)["pos"] for r in range(window.model.rowCount())} == {
        int(some["pos"])
    }


def test_unknown_build_asks_and_retries(qtbot, window, corpus_dir, tmp_path):
    # the demo patient without the header lines that name its build (the CPSR example used
    # before is a tumour file, which now asks the tumour question first)
    import gzip

    with gzip.open(demo_vcf_path(), "rt") as handle:
        lines = [
            line
            for line in handle
            if not line.startswith(("##contig", "##reference", "##assembly"))
        ]
    no_build = tmp_path / "no_build.vcf"
    no_build.write_text("".join(lines))
    with qtbot.waitSignal(window.load_failed, timeout=WAIT):
        window.open_file(str(no_build))
    dialog = window.dialog
    assert isinstance(dialog, BuildChooserDialog) and dialog.isVisible()
    dialog.radios["GRCh38"].click()
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        dialog.ok_button.click()
    assert window.build == "GRCh38" and window.result.analysis.findings.build == "GRCh38"
    assert "GRCh38" in window.status_label.text()


def test_multi_sample_file_asks_for_the_sample(qtbot, window, corpus_dir):
    with qtbot.waitSignal(window.load_failed, timeout=WAIT):
        window.open_file(str(corpus_dir / MULTI))
    dialog = window.dialog
    assert isinstance(dialog, SampleChooserDialog) and dialog.list.count() == 3
    dialog.list.setCurrentRow(1)
    chosen = dialog.sample
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        dialog.accept()
    assert window.result.analysis.findings.sample == chosen
    assert f"sample {chosen}" in window.status_label.text()


def test_broken_file_shows_the_counselor_message(qtbot, window, tmp_path):
    broken = tmp_path / "patient.vcf"
    broken.write_text("##fileformat=VCFv4.2\nnot a header\n")
    with qtbot.waitSignal(window.load_failed, timeout=WAIT) as blocker:
        window.open_file(str(broken))
    dialog = window.dialog
    assert isinstance(dialog, ErrorDialog) and dialog.isVisible()
    assert dialog.message == str(blocker.args[0]) and "Traceback" not in dialog.message
    assert not dialog.details_visible and "Traceback" in dialog.details


def test_cancel_stops_quietly(qtbot, window, patient):
    path, build = patient
    with qtbot.waitSignal(window.load_failed, timeout=WAIT) as blocker:
        window.open_file(path, build=build)
        assert window.load_status.isVisible() and window.load_status.cancel_button.isEnabled()
        window.load_status.cancel_button.click()
    assert isinstance(blocker.args[0], Cancelled)
    assert window.dialog is None and "cancelled" in window.status_label.text()
    assert not window.load_status.isVisible()


def test_drop_opens_the_file(qtbot, window, patient):
    path, build = patient
    window.build = build
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path)])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    if build:  # a build-less file asks for the build first
        window.dropEvent(event)
        qtbot.waitUntil(lambda: isinstance(window.dialog, BuildChooserDialog), timeout=WAIT)
        window.dialog.radios[build].click()
        with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
            window.dialog.ok_button.click()
    else:
        with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
            window.dropEvent(event)
    assert window.path == path


def test_geometry_columns_and_recent_files_are_remembered(qtbot, patient):
    path, build = patient
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.menus.remember_action.setChecked(True)
    open_and_wait(qtbot, first, path, build)
    first.resize(700, 520)
    header = first.table.horizontalHeader()
    header.resizeSection(2, 333)
    first.close()

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (700, 520)
    second.menus.recent_menu.aboutToShow.emit()
    recent = [a.text() for a in second.menus.recent_menu.actions()]
    assert any(text.endswith(path.split("/")[-1]) for text in recent)
    open_and_wait(qtbot, second, path, build)
    assert second.table.horizontalHeader().sectionSize(2) == 333
    clear = next(a for a in second.menus.recent_menu.actions() if a.text() == "Clear list")
    clear.trigger()
    second.menus.recent_menu.aboutToShow.emit()
    assert not any(a.text().endswith(".gz") for a in second.menus.recent_menu.actions())


def test_opening_another_file_while_loading_drops_the_first(qtbot, window, patient, corpus_dir):
    path, build = patient
    failures = []
    window.load_failed.connect(failures.append)
    window.open_file(path, build=build)
    second = str(corpus_dir / MULTI)
    with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
        window.open_file(second, sample="ADM1059A1")
    qtbot.waitUntil(lambda: not window.workers, timeout=WAIT)
    assert window.path == second and window.result.analysis.findings.sample == "ADM1059A1"
    assert failures == [] and window.dialog is None
    assert "cancelled" not in window.status_label.text()


def test_ctrl_o_opens_the_chosen_file_and_remembers_the_folder(qtbot, window, patient, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from pmviewer.ui.settings import read_settings

    path, build = patient
    asked = []

    def fake_dialog(parent, caption, folder, filters):
        asked.append((caption, filters))
        return path, filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    window.build = build
    if build:
        window.menus.open_action.trigger()
        qtbot.waitUntil(lambda: isinstance(window.dialog, BuildChooserDialog), timeout=WAIT)
        window.dialog.radios[build].click()
        with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
            window.dialog.ok_button.click()
    else:
        with qtbot.waitSignal(window.all_variants_shown, timeout=WAIT):
            window.menus.open_action.trigger()
    assert asked and "*.vcf.gz" in asked[0][1]
    assert window.path == path
    assert read_settings("last_directory") == str(Path(path).parent)
    assert window.menus.open_action.shortcut().toString() == "Ctrl+O"


def test_progress_bar_and_elapsed_time(qtbot, window):
    status = window.load_status
    status.begin("Reading")
    assert status.isVisible() and status.elapsed_text() == "0:00"
    assert status.bar.maximum() == 0  # busy until the first report
    status.set_progress(250, 1000)
    assert (status.bar.value(), status.bar.maximum()) == (250, 1000)
    seconds = status.end()
    assert seconds >= 0 and not status.isVisible()
