"""Who is who in a family VCF: a role and a sex for each sample (proband, mother, father,
sibling). Filled from the file's ``##PEDIGREE`` lines or a PED file when there are any."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.family import ROLE_WORDS, Pedigree, from_roles

ROLE_CHOICES = [("", "Not in this analysis"), *((k, ROLE_WORDS[k]) for k in
                ("proband", "mother", "father", "sibling"))]  # fmt: skip
SEX_CHOICES = [("", "Sex not stated"), ("F", "Female"), ("M", "Male")]


class FamilyDialog(QDialog):
    """After ``accept()``: :attr:`proband` and :attr:`pedigree`; :attr:`error` says why the
    choice cannot be used (one proband, at most one mother and one father)."""

    def __init__(self, samples: list[str], proband: str | None = None,
                 pedigree: Pedigree | None = None, parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Family members")
        self.proband: str | None = None
        self.pedigree: Pedigree | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Say who each sample of this file is. The parents' genotypes then show, for each "
            "finding, where the variant came from, whether it is de novo, and whether two "
            "variants of a recessive gene are in trans."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.roles: dict[str, QComboBox] = {}
        self.sexes: dict[str, QComboBox] = {}
        known = pedigree.roles(proband) if pedigree and proband else {}
        for row, sample in enumerate(samples):
            name = QLabel(sample)
            name.setTextFormat(Qt.TextFormat.PlainText)  # sample names are file text
            grid.addWidget(name, row, 0)
            role = QComboBox()
            for code, words in ROLE_CHOICES:
                role.addItem(words, code)
            role.setCurrentIndex(max(role.findData(known.get(sample, "")), 0))
            role.setAccessibleName(f"Role of {sample}")
            sex = QComboBox()
            for code, words in SEX_CHOICES:
                sex.addItem(words, code)
            sex.setCurrentIndex(
                max(sex.findData((pedigree.sex_of(sample) if pedigree else None) or ""), 0)
            )
            sex.setAccessibleName(f"Sex of {sample}")
            grid.addWidget(role, row, 1)
            grid.addWidget(sex, row, 2)
            self.roles[sample], self.sexes[sample] = role, sex
        layout.addLayout(grid)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color:#9b1c1c")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def set_role(self, sample: str, role: str, sex: str = "") -> None:
        self.roles[sample].setCurrentIndex(self.roles[sample].findData(role))
        self.sexes[sample].setCurrentIndex(self.sexes[sample].findData(sex))

    @property
    def error(self) -> str:
        chosen = {s: box.currentData() for s, box in self.roles.items() if box.currentData()}
        count = {r: list(chosen.values()).count(r) for r in ("proband", "mother", "father")}
        if count["proband"] != 1:
            return "Choose exactly one proband: the patient this report is about."
        if count["mother"] > 1 or count["father"] > 1:
            return "Choose at most one mother and one father."
        return ""

    def accept(self) -> None:
        if self.error:
            self.error_label.setText(self.error)
            return
        chosen = {s: box.currentData() for s, box in self.roles.items() if box.currentData()}
        sexes = {s: (box.currentData() or None) for s, box in self.sexes.items()}
        self.proband = next(s for s, r in chosen.items() if r == "proband")
        self.pedigree = from_roles(self.proband, chosen, sexes)
        super().accept()
