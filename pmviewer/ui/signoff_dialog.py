"""Sign-off dialogs: the reviewer signs, then the approver makes the case final; an approved
case is changed only through an amendment with a reason.

Built from plain values; the window reads ``name``/``credentials``/``reason`` when accepted
and calls :meth:`ReviewCase.sign_review`, :meth:`~ReviewCase.approve` or
:meth:`~ReviewCase.start_amendment`.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pmviewer.ui.dialog_parts import StandardButton, accept_buttons, text_label

STEPS = {
    "review": (
        "Sign the review",
        "Sign as the reviewer",
        "You confirm that you reviewed every finding of this case. An approver then signs "
        "to make the report final.",
    ),
    "approve": (
        "Approve the report",
        "Approve and lock",
        "Approving makes the report final and locks the case: later changes need an "
        "amendment with a reason, printed in the amended report.",
    ),
    "amend": (
        "Start an amendment",
        "Start amendment",
        "The case is unlocked for changes; every change is listed in the amended report, "
        "with the reason below. Approve again when the changes are done.",
    ),
}


class SignOffDialog(QDialog):
    """One sign-off step: ``"review"``, ``"approve"`` or ``"amend"``.

    ``warnings`` (e.g. the report check) are listed above the fields; they do not block.
    ``blocking`` problems are listed too and keep the OK button disabled (an approval with
    undecided findings would give a final report that cannot be printed).
    """

    def __init__(
        self,
        step: str,
        *,
        name: str = "",
        credentials: str = "",
        warnings: list[str] | None = None,
        blocking: list[str] | None = None,
        summary: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        if step not in STEPS:
            raise ValueError(f"unknown sign-off step {step!r}")
        self.step = step
        self.blocking = list(blocking or [])
        warnings = self.blocking + list(warnings or [])
        title, ok_text, intro_text = STEPS[step]
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(intro_text + (f"<br><br>{escape(summary)}" if summary else ""), rich=True)
        )
        first = (
            "<b>Decide these findings first:</b><br>"
            if self.blocking
            else "<b>Before you sign:</b><br>"
        )
        self.warnings_label = text_label(
            first + "".join(f"⚠ {escape(w)}<br>" for w in warnings) if warnings else "",
            name="signoffWarnings",
            style="color:#7a1a12",
            rich=True,
        )
        self.warnings_label.setVisible(bool(warnings))
        layout.addWidget(self.warnings_label)
        form = QFormLayout()
        self.name_edit = QLineEdit(name)
        self.credentials_edit = QLineEdit(credentials)
        self.credentials_edit.setPlaceholderText("e.g. MS, CGC")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setFixedHeight(70)
        self.reason_edit.setPlaceholderText("Why the approved report is being changed")
        if step == "amend":
            form.addRow("Reason *", self.reason_edit)
            self.reason_edit.textChanged.connect(self._update_ok)
        else:
            who = "Reviewer" if step == "review" else "Approver"
            form.addRow(f"{who} name *", self.name_edit)
            form.addRow("Credentials", self.credentials_edit)
            self.name_edit.textChanged.connect(self._update_ok)
        layout.addLayout(form)
        self.signing = None
        if step == "approve":  # the approver may sign the final report at once
            from pmviewer.ui.exchange_actions import SigningFields

            self.signing = SigningFields(self)
            layout.addWidget(self.signing)
        self.buttons = accept_buttons(self, ok_text=ok_text)
        self.ok_button = self.buttons.button(StandardButton.Ok)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        needed = self.reason if self.step == "amend" else self.name
        self.ok_button.setEnabled(bool(needed) and not self.blocking)

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def credentials(self) -> str:
        return self.credentials_edit.text().strip()

    @property
    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()
