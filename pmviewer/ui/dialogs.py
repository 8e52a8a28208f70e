"""Small dialogs built from plain data: sample chooser, build chooser, error message.

The window shows them with ``open()`` (non-blocking) and reads their public properties when
they are accepted; tests build them directly and click their buttons.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import BUILDS
from pmviewer.ui.dialog_parts import accept_buttons, text_label


class SampleChooserDialog(QDialog):
    """Asks which sample of a multi-sample file to review."""

    def __init__(self, samples: list[str], file_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Choose the patient sample")
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
        if samples:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        self.buttons = accept_buttons(self, ok_text="Open sample")
        layout.addWidget(self.buttons)

    @property
    def sample(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None


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
