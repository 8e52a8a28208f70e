"""The sample chooser of a multi-sample file: the proband, and the other samples' roles and
sexes (typed there, from ##PEDIGREE lines or from a PED file) feed the family analysis."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from test_family import ATP7B_A, ATP7B_B, _demo_trio
from test_ui_review import close, make_window, reportable_rows

from pmviewer.core.family import parse_pedigree_header
from pmviewer.ui.dialogs import SampleChooserDialog, pedigree_in_file

TRIO = ["FATHER", "MOTHER", "KID", "SIS"]


def _chooser(qtbot, samples=TRIO, pedigree=None) -> SampleChooserDialog:
    dialog = SampleChooserDialog(samples, "trio.vcf.gz", pedigree=pedigree)
    qtbot.addWidget(dialog)
    return dialog


def test_pedigree_lines_prefill_the_proband_roles_and_sexes(qtbot):
    header = ["##PEDIGREE=<Child=KID,Mother=MOTHER,Father=FATHER>"]
    dialog = _chooser(qtbot, pedigree=parse_pedigree_header(header))
    assert dialog.sample == "KID"  # the child of the pedigree, not the first sample
    roles = dialog.grid.chosen()
    assert roles == {"KID": "proband", "MOTHER": "mother", "FATHER": "father"}
    assert "the file's own pedigree lines" in dialog.source_label.text()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.pedigree.parents("KID") == ("MOTHER", "FATHER")
    assert dialog.pedigree.sex_of("MOTHER") == "F"


def test_roles_chosen_by_hand_and_the_list_names_the_proband(qtbot):
    dialog = _chooser(qtbot)
    assert dialog.sample == "FATHER" and dialog.grid.chosen() == {"FATHER": "proband"}
    assert dialog.pedigree is None  # nobody else has a role: the file's own lines apply
    dialog.list.setCurrentRow(2)
    assert dialog.grid.chosen() == {"KID": "proband"}  # the proband moved with the list
    dialog.grid.set_role("MOTHER", "mother")
    dialog.grid.set_role("FATHER", "father")
    dialog.grid.set_role("SIS", "sibling", "F")
    dialog.grid.set_role("KID", "proband", "M")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    pedigree = dialog.pedigree
    assert pedigree.parents("KID") == ("MOTHER", "FATHER")
    assert pedigree.roles("KID")["SIS"] == "sibling" and pedigree.sex_of("SIS") == "F"
    assert pedigree.sex_of("FATHER") == "M" and dialog.proband_sex == "M"


def test_two_mothers_are_refused_in_words(qtbot):
    dialog = _chooser(qtbot)
    dialog.grid.set_role("MOTHER", "mother")
    dialog.grid.set_role("SIS", "mother")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "Choose at most one mother and one father."


def test_roles_from_a_ped_file_and_a_ped_file_that_cannot_be_used(qtbot, tmp_path):
    dialog = _chooser(qtbot)
    ped = tmp_path / "family.ped"
    ped.write_text("fam1 KID FATHER MOTHER 2 2\nfam1 FATHER 0 0 1 1\nfam1 MOTHER 0 0 2 1\n")
    assert dialog.load_ped(str(ped))
    assert dialog.sample == "KID"
    assert dialog.grid.chosen() == {"KID": "proband", "MOTHER": "mother", "FATHER": "father"}
    assert dialog.proband_sex == "F" and "family.ped" in dialog.source_label.text()
    assert dialog.pedigree.source == "family.ped"
    broken = tmp_path / "broken.ped"
    broken.write_text("fam1 KID\n")
    assert not dialog.load_ped(str(broken))
    assert "at least five columns" in dialog.error_label.text()
    strangers = tmp_path / "strangers.ped"
    strangers.write_text("f A B C 1 1\n")
    assert not dialog.load_ped(str(strangers))
    assert "names none of this file's samples" in dialog.error_label.text()
    assert dialog.grid.chosen()["MOTHER"] == "mother"  # the good roles stay


def test_a_single_sample_chooser_hides_the_family_box(qtbot):
    dialog = _chooser(qtbot, samples=["ONLY"])
    assert dialog.family.isHidden()


def test_a_trio_opened_without_a_sample_asks_roles_and_shows_the_parents(qtbot, tmp_path):
    path = _demo_trio(tmp_path, {ATP7B_A: "0/1"}, {ATP7B_B: "0/1"})
    assert pedigree_in_file(str(path)) is None  # no ##PEDIGREE lines: roles come from here
    window = make_window(qtbot)
    try:
        with qtbot.waitSignal(window.load_failed, timeout=60_000):
            window.open_file(str(path))
        dialog = window.dialog
        assert isinstance(dialog, SampleChooserDialog) and not dialog.family.isHidden()
        dialog.list.setCurrentRow(dialog.samples.index("SYNTHETIC_DEMO"))
        dialog.grid.set_role("MOTHER", "mother")
        dialog.grid.set_role("FATHER", "father")
        dialog.grid.set_role("SYNTHETIC_DEMO", "proband", "F")
        with qtbot.waitSignal(window.findings_shown, timeout=60_000):
            dialog.accept()
        assert window.result.analysis.findings.sample == "SYNTHETIC_DEMO"
        model = window.model
        parents = model.column_index("parents")
        shown = {
            model.row_dict(r)["pos"]: model.data(model.index(r, parents))
            for r in reportable_rows(window)
        }
        assert shown[ATP7B_A] == "M 0/1 · F 0/0" and shown[ATP7B_B] == "M 0/0 · F 0/1"
    finally:
        close(qtbot, window)
