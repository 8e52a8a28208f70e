"""The counselor's workbench on the real demo patient (offscreen): quality marks, the column
chooser and right-click filter, the gene-list filter and presets, undo of review actions,
Help ▸ About and the shortcut sheet, the start screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from test_ui_review import reportable_rows, select
from window_steps import close, make_window

from pmviewer.ui import table_menus
from pmviewer.ui.about_dialog import about_html
from pmviewer.ui.columns import FINDING_COLUMNS
from pmviewer.ui.shortcuts_dialog import shortcut_rows


@pytest.fixture
def window(review_window):
    return review_window


def test_key_columns_fit_beside_the_detail_panel_at_1280_px(window, qtbot):
    keys = ["category", "review_decision", "review_comment", "kb_gene", "hgvs", "zygosity",
            "classification", "condition", "quality_mark"]  # fmt: skip
    assert [c.key for c in FINDING_COLUMNS[: len(keys)]] == keys
    window.resize(1280, 800)
    qtbot.wait(50)
    reportable_rows(window)
    header = window.table.horizontalHeader()
    last = window.model.column_index("quality_mark")
    right_edge = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right_edge <= window.table.viewport().width()


def test_quality_flagged_finding_is_marked_and_tinted(window):
    reportable_rows(window)
    model = window.model
    mark = model.column_index("quality_mark")
    flagged = [r for r in range(model.rowCount()) if model.row_dict(r).get("quality_flags")]
    clean = [r for r in range(model.rowCount()) if not model.row_dict(r).get("quality_flags")]
    assert flagged and clean  # the demo has both (MYBPC3 is a low-depth call)
    index = model.index(flagged[0], mark)
    assert model.data(index) == "⚠"
    problems = model.row_dict(flagged[0])["quality_flags"]
    import html
    import re

    shown = html.unescape(re.sub(r"<[^>]+>", "", model.data(index, 3)))  # tooltips are escaped
    assert all(p in shown for p in problems)  # tooltip lists them, in words
    gene = model.index(flagged[0], model.column_index("kb_gene"))
    assert model.data(gene, 8) is not None  # BackgroundRole: the tint
    assert model.data(model.index(clean[0], mark)) == ""
    assert model.data(model.index(clean[0], model.column_index("kb_gene")), 8) is None


def test_condition_column_shows_the_one_condition_the_report_prints(window):
    reportable_rows(window)
    model = window.model
    col = model.column_index("condition")
    by_gene = {model.row_dict(r)["kb_gene"]: model.data(model.index(r, col))
               for r in range(model.rowCount())}  # fmt: skip
    assert by_gene["MYBPC3"] == "Hypertrophic cardiomyopathy"  # the ACMG SF condition
    assert "not provided" not in " ".join(by_gene.values()) and "more)" not in " ".join(
        by_gene.values()
    )


def test_filter_by_value_and_column_chooser(window):
    reportable_rows(window)
    table, model = window.table, window.model
    gene_col = model.column_index("kb_gene")
    rect = table.visualRect(model.index(0, gene_col))
    menu = table_menus.cell_menu(window, rect.center())
    by_value = next(a for a in menu.actions() if a.text().startswith("Filter by Gene = "))
    gene = model.row_dict(0)["kb_gene"]
    by_value.trigger()
    assert model.rowCount() == sum(
        1
        for g in window.frames["findings"][0].query("category == 'reportable'")["kb_gene"]
        if g == gene
    )
    assert all(model.row_dict(r)["kb_gene"] == gene for r in range(model.rowCount()))
    window.filter_bar.clear_values()
    assert model.rowCount() == 4
    chooser = table_menus.column_menu(window, QPoint(0, 0))
    condition = next(a for a in chooser.actions() if a.text() == "Condition")
    condition.setChecked(False)
    assert table.horizontalHeader().isSectionHidden(model.column_index("condition"))
    assert not table.tabKeyNavigation()  # Tab leaves the table


def test_gene_list_filter_and_presets(window):
    reportable_rows(window)
    bar = window.filter_bar
    bar.set_genes(("brca2", "ATP7B"))
    genes = {window.model.row_dict(r)["kb_gene"] for r in range(window.model.rowCount())}
    assert genes == {"BRCA2", "ATP7B"}
    bar.save_preset("Wilson and HBOC")
    bar.set_genes(None)
    assert window.model.rowCount() == 4
    from pmviewer.ui.settings import read_settings

    bar.apply_preset(read_settings("filter_presets")["Wilson and HBOC"])
    assert window.model.rowCount() == 3 and bar.panel_button.text() == "Gene list (2)"


def test_undo_puts_back_the_last_decision_and_is_audited(window):
    rows = reportable_rows(window)
    select(window, rows[:2])
    case = window.review.case
    ids = list(window.review.panel.finding_ids)
    window.review.set_decision("include")
    assert {case.decision(f).decision for f in ids} == {"include"}
    assert window.review_undo.describe() == "Undo decision on 2 findings"
    window.menus.undo_action.trigger()
    assert {case.decision(f).decision for f in ids} == {"undecided"}
    decisions = [a for a in case.audit_log() if a.field == "decision"]
    assert [(a.old, a.new) for a in decisions[-2:]] == [("include", "undecided")] * 2
    window.menus.undo_action.trigger()  # nothing left: the undo itself is not undone
    assert {case.decision(f).decision for f in ids} == {"undecided"}


def test_about_and_shortcut_sheet(window):
    html = about_html()
    for text in ("pmviewer", "Knowledge file", "ACMG SF list", "Review cases and audit trail",
                 "CC0"):  # fmt: skip
        assert text in html
    rows = shortcut_rows(window)
    keys = {what: k for _m, k, what in rows}
    assert keys["Undo review action"] == "Ctrl+Z"
    assert keys["Export report"] == "Ctrl+E"
    assert any(what.startswith("Leave the table") for _m, _k, what in rows)


def test_start_screen_opens_the_demo(qtbot):
    window = make_window(qtbot)
    try:
        assert window.pages.currentIndex() == 0
        with qtbot.waitSignal(window.findings_shown, timeout=60_000):
            window.welcome.demo_button.click()
        assert window.pages.currentIndex() == 1 and window.synthetic
    finally:
        close(qtbot, window)


def test_no_printer_is_said_not_sent_to_a_file(window, monkeypatch):
    from pmviewer.ui import printing
    from pmviewer.ui.dialogs import ErrorDialog

    monkeypatch.setattr(printing, "printer_names", lambda: [])
    shown = []
    monkeypatch.setattr(
        ErrorDialog,
        "for_error",
        classmethod(lambda cls, e, p=None: shown.append(str(e)) or cls(str(e), parent=p)),
    )
    assert not window.exports.print_report()
    assert shown and "No printer is set up on this computer" in shown[0]


def test_pdf_goes_to_the_spooler_as_it_is(tmp_path, monkeypatch):
    """A stand-in ``lp`` records its arguments and the file it was given."""
    from pmviewer.ui import printing

    seen = tmp_path / "seen.pdf"
    lp = tmp_path / "lp"
    lp.write_text(
        f'#!/bin/sh\nfor a; do last="$a"; done\necho "$@" > {tmp_path}/args\ncp "$last" {seen}\necho "request id is office-7"\n'
    )
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    pdf = b"%PDF-1.4 report bytes"
    assert printing.send_pdf("office", pdf, copies=2) == "request id is office-7"
    assert seen.read_bytes() == pdf  # vector: the report itself, no page images
    assert (tmp_path / "args").read_text().startswith("-d office -n 2 -t pmviewer report")


def test_date_fields_take_the_locale_format_and_a_calendar(qtbot):
    from PySide6.QtCore import QDate, QLocale

    from pmviewer.core.model import PatientDetails
    from pmviewer.ui.date_field import DateField, parse_date
    from pmviewer.ui.patient_form import PatientFormDialog

    british, american = QLocale("en_GB"), QLocale("en_US")
    assert parse_date("12/04/1980", british) == QDate(1980, 4, 12)
    assert parse_date("4/12/1980", american) == QDate(1980, 4, 12)
    assert parse_date("1980-04-12", american) == QDate(1980, 4, 12)
    assert parse_date("sometime", british) is None
    saved = []
    form = PatientFormDialog(PatientDetails(), save=lambda p, o: saved.append(p))
    qtbot.addWidget(form)
    field = form.edits["date_of_birth"]
    assert isinstance(field, DateField)
    local = QLocale().toString(QDate(1980, 4, 12), QLocale.FormatType.ShortFormat)
    field.setText(local.replace("80", "1980") if "1980" not in local else local)
    field.normalise()
    assert form.patient.date_of_birth == "1980-04-12"
    field.pick(QDate(2026, 10, 1))
    assert form.patient.date_of_birth == "2026-10-01"


def test_family_dialog_roles_make_a_pedigree(qtbot):
    from pmviewer.ui.family_dialog import FamilyDialog

    dialog = FamilyDialog(["kid", "mum", "dad", "sis"])
    qtbot.addWidget(dialog)
    dialog.set_role("kid", "proband", "F")
    dialog.set_role("sis", "proband")
    dialog.accept()
    assert dialog.result() == 0 and "exactly one proband" in dialog.error_label.text()
    dialog.set_role("sis", "sibling")
    dialog.set_role("mum", "mother")
    dialog.set_role("dad", "father")
    dialog.accept()
    assert dialog.proband == "kid"
    assert dialog.pedigree.parents("kid") == ("mum", "dad")
    assert dialog.pedigree.roles("kid")["sis"] == "sibling"
    assert dialog.pedigree.sex_of("kid") == "F" and dialog.pedigree.sex_of("dad") == "M"


def test_a_trio_file_shows_the_parents_beside_each_finding(qtbot, tmp_path):
    from test_family import ATP7B_A, ATP7B_B, _demo_trio

    path = _demo_trio(tmp_path, {ATP7B_A: "0/1"}, {ATP7B_B: "0/1"})
    text = path.read_text().replace(
        "#CHROM", "##PEDIGREE=<Child=SYNTHETIC_DEMO,Mother=MOTHER,Father=FATHER>\n#CHROM", 1
    )
    path.write_text(text)
    window = make_window(qtbot)
    try:
        with qtbot.waitSignal(window.findings_shown, timeout=60_000):
            window.open_file(str(path), sample="SYNTHETIC_DEMO")
        rows = reportable_rows(window)
        model = window.model
        parents = model.column_index("parents")
        shown = {model.row_dict(r)["pos"]: model.data(model.index(r, parents)) for r in rows}
        assert shown[ATP7B_A] == "M 0/1 · F 0/0" and shown[ATP7B_B] == "M 0/0 · F 0/1"
        atp7b = next(r for r in rows if model.row_dict(r)["pos"] == ATP7B_A)
        window.select_row(atp7b)
        assert "one inherited from each parent" in window.detail.text()
        assert "Mother's genotype" in window.detail.text()
    finally:
        close(qtbot, window)
