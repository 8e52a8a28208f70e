"""Small dialogs built from plain data: sample chooser (with family roles), build chooser,
error message.

The window shows them with ``open()`` (non-blocking) and reads their public properties when
they are accepted; tests build them directly and click their buttons.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.core.family import Pedigree
from pmviewer.core.model import BUILDS
from pmviewer.ui.dialog_parts import accept_buttons, text_label
from pmviewer.ui.family_dialog import FamilyGrid, likely_proband

PEDIGREE_FILES = "Pedigree files (*.ped *.fam *.txt);;All files (*)"
_SOURCE_WORDS = {"VCF ##PEDIGREE lines": "the file's own pedigree lines"}


class SampleChooserDialog(QDialog):
    """Asks which sample of a multi-sample file is the patient (the proband) and, for a
    family file, who the other samples are: mother, father, sibling, with sexes. Roles come
    pre-filled from the file's ``##PEDIGREE`` lines or a PED file (``pedigree``), or from a
    PED file loaded here; after ``accept()`` :attr:`sample` is the proband and
    :attr:`pedigree` the family the analysis uses."""

    def __init__(
        self,
        samples: list[str],
        file_name: str = "",
        parent: QWidget | None = None,
        pedigree: Pedigree | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Choose the patient sample")
        self.samples = list(samples)
        self._source = pedigree.source if pedigree is not None and pedigree.members else ""
        self._syncing = False
        layout = QVBoxLayout(self)
        where = f" “{file_name}”" if file_name else ""
        layout.addWidget(
            text_label(
                f"The file{where} holds {len(samples)} samples. "
                "Choose the sample of the patient whose results you are reviewing."
            )
        )
        self.list = QListWidget()
        self.list.addItems(samples)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        if len(samples) > 1:  # room for the family roles below: the list takes its rows only
            rows = min(len(samples), 8)
            self.list.setMaximumHeight(self.list.sizeHintForRow(0) * rows + 8)
        layout.addWidget(self.list)
        self.family = self._family_box(samples)
        layout.addWidget(self.family)
        self.error_label = text_label("", style="color:#9b1c1c")
        layout.addWidget(self.error_label)
        self.buttons = accept_buttons(self, ok_text="Open sample")
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._proband_row_changed)
        self.grid.role_changed.connect(self._role_changed)
        self._use_pedigree(pedigree)

    def _family_box(self, samples: list[str]) -> QGroupBox:
        box = QGroupBox("Family members in this file (optional)")
        inner = QVBoxLayout(box)
        inner.addWidget(
            text_label(
                "Say who the other samples are: the parents' genotypes then show beside each "
                "finding where it came from, whether it is de novo, and whether two variants "
                "of a recessive gene are in trans."
            )
        )
        self.grid = FamilyGrid(samples)
        inner.addWidget(self.grid)
        self.source_label = text_label("", style="color:#5b6770")
        inner.addWidget(self.source_label)
        self.ped_button = QPushButton("Load roles from a PED file…")
        self.ped_button.setToolTip("A pedigree file (.ped, .fam) from the laboratory")
        self.ped_button.clicked.connect(self.choose_ped_file)
        inner.addWidget(self.ped_button, alignment=Qt.AlignmentFlag.AlignLeft)
        box.setVisible(len(samples) > 1)
        return box

    def _use_pedigree(self, pedigree: Pedigree | None) -> None:
        """Fill the roles from ``pedigree`` with its child as the proband (else the first
        sample)."""
        proband = likely_proband(pedigree, self.samples) or (
            self.samples[0] if self.samples else None
        )
        self._syncing = True
        try:
            if proband is not None:
                self.list.setCurrentRow(self.samples.index(proband))
            self.grid.fill(pedigree, proband)
            if proband is not None:
                self.grid.set_role(proband, "proband", None)
        finally:
            self._syncing = False
        source = _SOURCE_WORDS.get(self._source, self._source)
        self.source_label.setText(f"Roles and sexes from {source}." if source else "")

    def load_ped(self, path: str) -> bool:
        """Take the roles and sexes from a PED file; False (and the reason shown) when it
        cannot be used."""
        from pmviewer.core.errors import PmviewerError
        from pmviewer.core.family import read_ped

        try:
            pedigree = read_ped(path).restricted_to(self.samples)
        except PmviewerError as error:
            self.error_label.setText(str(error))
            return False
        if not pedigree.members:
            self.error_label.setText(
                f"The pedigree file {Path(path).name} names none of this file's samples."
            )
            return False
        self.error_label.setText("")
        self._source = pedigree.source
        self._use_pedigree(pedigree)
        return True

    def choose_ped_file(self) -> None:
        """Ask for a PED file and take its roles (the button)."""
        title = "Load the family's pedigree"
        path = QFileDialog.getOpenFileName(self, title, "", PEDIGREE_FILES)[0]
        if path:
            self.load_ped(path)

    def _proband_row_changed(self, row: int) -> None:
        """The list names the proband: its role follows, and the previous proband is out."""
        if self._syncing or not 0 <= row < len(self.samples):
            return
        self._syncing = True
        try:
            for sample, role in self.grid.chosen().items():
                if role == "proband":
                    self.grid.set_role(sample, "", None)
            self.grid.set_role(self.samples[row], "proband", None)
        finally:
            self._syncing = False

    def _role_changed(self, sample: str, role: str) -> None:
        self._source = ""  # the counselor's own choice now
        self.source_label.setText("")
        if role == "proband":
            self.list.setCurrentRow(self.samples.index(sample))
        elif sample == self.sample:  # the proband made a relative: the list loses it
            self._syncing = True
            self.list.clearSelection()
            self.list.setCurrentRow(-1)
            self._syncing = False

    @property
    def sample(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None

    @property
    def pedigree(self) -> Pedigree | None:
        """The family as chosen; None when no other sample has a role (the analysis then
        reads the file's ``##PEDIGREE`` lines, as before)."""
        if self.grid.error or len(self.grid.chosen()) < 2:
            return None
        _proband, pedigree = self.grid.pedigree()
        if self._source:
            pedigree.source = self._source
        return pedigree

    @property
    def proband_sex(self) -> str | None:
        """The patient's sex as stated here ("F", "M"), else None."""
        sample = self.sample
        return self.grid.sex_choices().get(sample) if sample else None

    def accept(self) -> None:
        if self.sample is None:
            self.error_label.setText("Choose the patient's sample.")
            return
        if self.grid.error:
            self.error_label.setText(self.grid.error)
            return
        super().accept()


class BuildChooserDialog(QDialog):
    """Asks for the genome build when the file does not say which one it uses."""

    def __init__(self, message: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Which genome build?")
        layout = QVBoxLayout(self)
        text = message or "pmviewer could not tell which genome build this file uses."
        layout.addWidget(
            text_label(
                f"{text}\n\nChoose the build the laboratory used (it is usually stated in "
                "the sequencing report). A wrong choice gives wrong results."
            )
        )
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for build in BUILDS:
            label = {"GRCh37": "GRCh37 (hg19)", "GRCh38": "GRCh38 (hg38)"}.get(build, build)
            radio = QRadioButton(label)
            self.group.addButton(radio)
            self.radios[build] = radio
            layout.addWidget(radio)
        self.buttons = accept_buttons(self, ok_text="Use this build")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)  # no default: the counselor must choose
        self.group.buttonToggled.connect(
            lambda *_: self.ok_button.setEnabled(self.build is not None)
        )
        layout.addWidget(self.buttons)

    @property
    def build(self) -> str | None:
        for build, radio in self.radios.items():
            if radio.isChecked():
                return build
        return None


def error_details(error: BaseException) -> str:
    """The technical details kept under "Details" (the traceback, when there is one)."""
    details = getattr(error, "details", None)
    if details:
        return str(details)
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


class ErrorDialog(QDialog):
    """Shows the counselor-facing message; the technical details stay folded away."""

    def __init__(
        self,
        message: str,
        details: str = "",
        title: str = "pmviewer",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.message_label = text_label(message)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        self.details_edit = QPlainTextEdit(details)
        self.details_edit.setReadOnly(True)
        self.details_edit.setMinimumHeight(180)
        self.details_edit.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.details_button = QPushButton("Show details")
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(bool(details))
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the message and details, e.g. to send to support")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.details_edit)
        layout.addWidget(self.buttons)

    @classmethod
    def for_error(cls, error: BaseException, parent: QWidget | None = None) -> ErrorDialog:
        """Domain errors show their own message; anything else a generic one."""
        if isinstance(error, PmviewerError):
            message = str(error)
        else:
            message = (
                "Something unexpected went wrong. Your files were not changed. "
                "Please copy the details below and send them to your pmviewer support contact."
            )
        return cls(message, error_details(error), parent=parent)

    @property
    def message(self) -> str:
        return self.message_label.text()

    @property
    def details(self) -> str:
        return self.details_edit.toPlainText()

    @property
    def details_visible(self) -> bool:
        return not self.details_edit.isHidden()

    def _toggle_details(self, shown: bool) -> None:
        self.details_edit.setVisible(shown)
        self.details_button.setText("Hide details" if shown else "Show details")
        self.adjustSize()

    def copy_to_clipboard(self) -> None:
        text = self.message + ("\n\n" + self.details if self.details else "")
        QGuiApplication.clipboard().setText(text)


class ExceptionReportDialog(ErrorDialog):
    """The report shown by the ``sys.excepthook`` for an unexpected error."""

    def __init__(self, details: str, log_path: str = "", parent: QWidget | None = None):
        where = f"\n\nA copy was written to {log_path}." if log_path else ""
        super().__init__(
            "pmviewer hit an unexpected problem. Your files were not changed, but the last "
            "action may not have finished. Please copy the report below and send it to your "
            f"pmviewer support contact.{where}",
            details,
            title="pmviewer: unexpected problem",
            parent=parent,
        )
        self.details_button.setChecked(True)


class StoreDamagedDialog(ErrorDialog):
    """The case store is damaged: says what happened and offers the last good backup (or a
    new, empty case file when there is none). :attr:`choice` is ``"restore"``, ``"new"`` or
    None (not now; the damaged file stays as it is)."""

    def __init__(self, error, parent: QWidget | None = None):
        super().__init__(str(error), error_details(error), "Review cases damaged", parent)
        self.error = error
        self.choice: str | None = None
        if error.backups:
            text = f"Restore the backup of {error.backups[0].describe()}"
            choice = "restore"
        else:
            text = "Start a new, empty case file"
            choice = "new"
        self.action_button = QPushButton(text)
        self.action_button.setToolTip("The damaged file is kept beside it for your IT support")
        self.buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.AcceptRole)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Not now")
        self.buttons.accepted.disconnect()
        ok.clicked.connect(self.reject)
        self.action_button.clicked.connect(lambda: self._choose(choice))

    @property
    def backup(self):
        return self.error.backups[0] if self.choice == "restore" else None

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def pedigree_in_file(path: str) -> Pedigree | None:
    """The family a VCF's ``##PEDIGREE`` lines describe (None when none or unreadable): it
    pre-fills the sample chooser."""
    from pmviewer.core import vcf
    from pmviewer.core.family import parse_pedigree_header

    try:
        pedigree = parse_pedigree_header(vcf.header_lines(path))
    except (PmviewerError, OSError, ValueError):
        return None
    return pedigree if pedigree.members else None


def ask_for_sample(loader: Any, parent: QWidget, path: str, samples: list[str],
                   build: str | None, sex: str | None) -> None:  # fmt: skip
    """Show the sample chooser for a multi-sample file; once accepted ``loader`` opens the
    chosen proband, with the family roles chosen there feeding the family analysis."""
    dialog = SampleChooserDialog(
        samples, Path(path).name, parent, loader.pedigree or pedigree_in_file(path)
    )

    def chosen() -> None:
        loader.pedigree = dialog.pedigree or loader.pedigree
        stated = sex or dialog.proband_sex
        loader.open_file(path, sample=dialog.sample, build=build, sex=stated)

    dialog.accepted.connect(chosen)
    loader.ui.ask(dialog)
