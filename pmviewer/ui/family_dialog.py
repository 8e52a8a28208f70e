"""Who is who in a family VCF: a role and a sex for each sample (proband, mother, father,
sibling). Filled from the file's ``##PEDIGREE`` lines or a PED file when there are any.

:class:`FamilyGrid` is the role/sex grid; the sample chooser shows it when a multi-sample
file opens, and :class:`FamilyDialog` (Analysis > Family members) when one is open."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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


def likely_proband(pedigree: Pedigree | None, samples: list[str]) -> str | None:
    """The file's child: a sample whose parents are both in the file (else one parent)."""
    if pedigree is None:
        return None
    present = set(samples)
    for needed in (2, 1):
        for sample in samples:
            member = pedigree.members.get(sample)
            if member and sum(p in present for p in (member.mother, member.father)) >= needed:
                return sample
    return None


class FamilyGrid(QWidget):
    """A role and a sex box per sample. ``role_changed(sample, role)`` fires on any change
    the user makes."""

    role_changed = Signal(str, str)

    def __init__(self, samples: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.roles: dict[str, QComboBox] = {}
        self.sexes: dict[str, QComboBox] = {}
        for row, sample in enumerate(samples):
            name = QLabel(sample)
            name.setTextFormat(Qt.TextFormat.PlainText)  # sample names are file text
            grid.addWidget(name, row, 0)
            role = QComboBox()
            for code, words in ROLE_CHOICES:
                role.addItem(words, code)
            role.setAccessibleName(f"Role of {sample}")
            role.activated.connect(lambda _i, s=sample: self.role_changed.emit(s, self.role(s)))
            sex = QComboBox()
            for code, words in SEX_CHOICES:
                sex.addItem(words, code)
            sex.setAccessibleName(f"Sex of {sample}")
            grid.addWidget(role, row, 1)
            grid.addWidget(sex, row, 2)
            self.roles[sample], self.sexes[sample] = role, sex

    def fill(self, pedigree: Pedigree | None, proband: str | None) -> None:
        """Roles relative to ``proband`` and the sexes ``pedigree`` states (others cleared)."""
        known = pedigree.roles(proband) if pedigree and proband else {}
        for sample in self.roles:
            sex = pedigree.sex_of(sample) if pedigree else None
            self.set_role(sample, known.get(sample, ""), sex or "")

    def set_role(self, sample: str, role: str, sex: str | None = "") -> None:
        """Set a sample's role (and its sex, unless ``sex`` is None)."""
        self.roles[sample].setCurrentIndex(max(self.roles[sample].findData(role), 0))
        if sex is not None:
            self.sexes[sample].setCurrentIndex(max(self.sexes[sample].findData(sex), 0))

    def role(self, sample: str) -> str:
        return str(self.roles[sample].currentData() or "")

    def chosen(self) -> dict[str, str]:
        """``sample -> role`` of the samples in the analysis."""
        return {s: self.role(s) for s in self.roles if self.role(s)}

    def sex_choices(self) -> dict[str, str | None]:
        return {s: (box.currentData() or None) for s, box in self.sexes.items()}

    @property
    def error(self) -> str:
        """Why the roles cannot be used ("" when they can)."""
        roles = list(self.chosen().values())
        if roles.count("proband") != 1:
            return "Choose exactly one proband: the patient this report is about."
        if roles.count("mother") > 1 or roles.count("father") > 1:
            return "Choose at most one mother and one father."
        return ""

    def pedigree(self) -> tuple[str, Pedigree]:
        """(proband, pedigree) of valid roles (check :attr:`error` first)."""
        chosen = self.chosen()
        proband = next(s for s, r in chosen.items() if r == "proband")
        return proband, from_roles(proband, chosen, self.sex_choices())


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
        self.grid = FamilyGrid(samples)
        self.grid.fill(pedigree, proband)
        self.roles, self.sexes = self.grid.roles, self.grid.sexes
        layout.addWidget(self.grid)
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
        self.grid.set_role(sample, role, sex)

    @property
    def error(self) -> str:
        return self.grid.error

    def accept(self) -> None:
        if self.error:
            self.error_label.setText(self.error)
            return
        self.proband, self.pedigree = self.grid.pedigree()
        super().accept()
