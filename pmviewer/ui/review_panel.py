"""The review controls under the detail panel: decision, classification override, comment,
and what earlier cases on this workstation decided about the same variant.

The panel works on a :class:`~pmviewer.core.review.case.ReviewCase` and the finding ids of
the rows selected in the table (earlier cases' decisions: :mod:`pmviewer.ui.earlier_cases`). Every change goes straight to the case (one committed
transaction each, no Save button); the case's change events update the table. A refused
change (locked case, missing reason, storage problem) is passed on through ``errored`` so
the window can show the counselor message.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.core.review import EarlierDecision
from pmviewer.ui.dialog_parts import text_label
from pmviewer.ui.earlier_cases import DECISION_LABELS, EarlierCases

# The five ACMG/AMP terms offered for an override (the box stays editable for other wording).
CLASSIFICATIONS = (
    "Pathogenic",
    "Likely pathogenic",
    "Uncertain significance",
    "Likely benign",
    "Benign",
)
COMMENT_DELAY_MS = 600  # save a comment this long after the last keystroke

# the chosen decision stands out: include green, exclude grey, undecided amber (to do)
_CHECKED = {
    "include": ("#cfe8cf", "#4d8a4d"),
    "exclude": ("#dcdcdc", "#707070"),
    "undecided": ("#fff0c8", "#c9a24a"),
}
_BANNER = {
    "locked": "QLabel{background:#e4ecf7;border:1px solid #8aa6cf;padding:4px;color:#14325c}",
    "amend": "QLabel{background:#fff4d6;border:1px solid #e0c27a;padding:4px;color:#4a3600}",
    "note": "QLabel{background:#f2f2f2;border:1px solid #c8c8c8;padding:4px;color:#333}",
}


class ReviewPanel(QWidget):
    """Decision, override and comment for the selected finding(s).

    Signals: ``errored(error)`` when the case refused a change.
    """

    errored = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.case: Any = None  # ReviewCase
        self.finding_ids: list[str] = []
        self._rows: dict[str, dict[str, Any]] = {}
        self._shown_id: str | None = None  # the one finding the editors belong to
        self._loading = False
        self._notes: list[str] = []
        self._build()
        self.show_findings([])

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.case_line = text_label(name="reviewCaseLine", style="color:#333", rich=True)
        layout.addWidget(self.case_line)
        self.banner = text_label(name="reviewBanner", rich=True)
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.title = text_label(name="reviewTitle", rich=True)
        layout.addWidget(self.title)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Decision", self._decision_row())
        self.kb_class = text_label(rich=True)
        form.addRow("ClinVar", self.kb_class)
        form.addRow("Override", self._override_row())
        form.addRow("Variant name", self._name_row())
        form.addRow("Comment", self._comment_box())
        layout.addLayout(form)
        self.earlier_cases = EarlierCases()
        self.earlier_cases.selection_changed.connect(self._update_reuse)
        self.earlier_cases.reuse_requested.connect(self.reuse_selected)
        layout.addWidget(self.earlier_cases)
        layout.addStretch(1)
        self._editors = [
            *self.decision_buttons.values(),
            self.override_box,
            self.reason_edit,
            self.override_button,
            self.clear_override_button,
            self.name_transcript,
            self.name_c,
            self.name_p,
            self.name_button,
            self.comment_edit,
        ]

    def _decision_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.decision_group = QButtonGroup(self)
        self.decision_buttons: dict[str, QPushButton] = {}
        tips = {
            "include": "Print this finding in the report (Ctrl+Shift+I)",
            "exclude": "Leave this finding out of the report (Ctrl+Shift+X)",
            "undecided": "Not decided yet (Ctrl+Shift+U)",
        }
        for key, label in DECISION_LABELS.items():
            button = QPushButton(label)
            button.setCheckable(True)
            button.setToolTip(tips[key])
            button.clicked.connect(lambda _c=False, k=key: self.apply_decision(k))
            self.decision_group.addButton(button)
            self.decision_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        for key, (background, border) in _CHECKED.items():
            self.decision_buttons[key].setStyleSheet(
                f"QPushButton:checked{{background:{background};border:1px solid {border};"
                "font-weight:bold}"
            )
        return row

    def _override_row(self) -> QHBoxLayout:
        override_row = QHBoxLayout()
        self.override_box = QComboBox()
        self.override_box.setEditable(True)
        self.override_box.addItem("")
        self.override_box.addItems(CLASSIFICATIONS)
        self.override_box.setToolTip("Your classification, replacing the knowledge base's")
        editor = self.override_box.lineEdit()
        if editor is not None:  # an editable combo box always has one
            editor.setPlaceholderText("none (ClinVar's)")
        self.override_box.setMinimumContentsLength(16)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("reason (required)")
        self.reason_edit.setToolTip("Why you changed the classification; printed in the report")
        self.override_button = QPushButton("Apply")
        self.override_button.setToolTip("Save the classification override and its reason")
        self.override_button.clicked.connect(self.apply_override)
        self.reason_edit.returnPressed.connect(self.apply_override)
        self.clear_override_button = QPushButton("Remove")
        self.clear_override_button.setToolTip("Go back to the knowledge-base classification")
        self.clear_override_button.clicked.connect(self.clear_override)
        override_row.addWidget(self.override_box, 2)
        override_row.addWidget(self.reason_edit, 3)
        override_row.addWidget(self.override_button)
        override_row.addWidget(self.clear_override_button)
        return override_row

    def _name_row(self) -> QHBoxLayout:
        """The reviewer's transcript-level name (HGVS), checked and audit-logged on Save."""
        row = QHBoxLayout()
        self.name_transcript = QLineEdit()
        self.name_transcript.setPlaceholderText("transcript, e.g. NM_007294.4")
        self.name_transcript.setToolTip("Versioned RefSeq or Ensembl transcript of the name")
        self.name_c = QLineEdit()
        self.name_c.setPlaceholderText("c. name, e.g. c.68_69del")
        self.name_p = QLineEdit()
        self.name_p.setPlaceholderText("p. name (optional)")
        self.name_button = QPushButton("Save name")
        self.name_button.setToolTip(
            "Save the name the report prints for this finding (source: entered by the reviewer); "
            "empty fields remove it"
        )
        self.name_button.clicked.connect(self.apply_name)
        self.name_c.returnPressed.connect(self.apply_name)
        row.addWidget(self.name_transcript, 3)
        row.addWidget(self.name_c, 3)
        row.addWidget(self.name_p, 3)
        row.addWidget(self.name_button)
        return row

    def apply_name(self) -> None:
        if self.case is None or len(self.finding_ids) != 1:
            return
        self._try(
            self.case.set_name,
            self.finding_ids[0],
            self.name_transcript.text(),
            self.name_c.text(),
            self.name_p.text(),
            keep_typed=True,
        )

    def _comment_box(self) -> QPlainTextEdit:
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("reviewComment")
        self.comment_edit.setPlaceholderText("Comment (saved as you type)")
        self.comment_edit.setFixedHeight(58)
        self.comment_edit.textChanged.connect(self._comment_typed)
        self.comment_timer = QTimer(self)
        self.comment_timer.setSingleShot(True)
        self.comment_timer.setInterval(COMMENT_DELAY_MS)
        self.comment_timer.timeout.connect(self._save_comment)
        return self.comment_edit

    # ------------------------------------------------------------------ state
    @property
    def locked(self) -> bool:
        return bool(self.case is not None and self.case.locked)

    def set_case(self, case: Any, notes: list[str] | None = None) -> None:
        """Work on ``case`` (``None``: no case, controls off). ``notes``: lines for the banner."""
        self.flush_edits()
        self.case = case
        self._notes = list(notes or [])
        self.finding_ids = []
        self.show_findings([])

    def show_findings(self, rows: list[dict[str, Any]]) -> None:
        """Show the review of the selected finding rows (dicts with ``finding_id`` ...)."""
        self.flush_edits()
        rows = [r for r in rows if r.get("finding_id")]
        self.finding_ids = [str(r["finding_id"]) for r in rows]
        self._rows = {str(r["finding_id"]): r for r in rows}
        self.refresh()

    def refresh(self) -> None:
        """Re-read the case for the shown findings (after a change or a lock)."""
        self._loading = True
        try:
            self._refresh()
        finally:
            self._loading = False

    def _refresh(self) -> None:
        self._update_banner()
        ids = self.finding_ids
        editable = self.case is not None and bool(ids) and not self.locked
        for widget in self._editors:
            widget.setEnabled(editable)
        single = len(ids) == 1
        for widget in (self.override_box, self.reason_edit, self.override_button,
                       self.name_transcript, self.name_c, self.name_p, self.name_button):  # fmt: skip
            widget.setEnabled(editable and single)
        self.clear_override_button.setEnabled(editable and single)
        self.comment_edit.setEnabled(editable and single)
        if self.case is None:
            self.title.setText("<i>Open a file to review its findings.</i>")
        elif not ids:
            self.title.setText(
                "<i>Select a finding to review it (Shift/Ctrl-click to select several).</i>"
            )
        elif single:
            self.title.setText(f"<b>Review of {escape(self._label(ids[0]))}</b>")
        else:
            self.title.setText(
                f"<b>{len(ids)} findings selected</b>: a decision applies to all of them"
            )
        decisions = self._check_decision_buttons()
        current = decisions[0] if single and decisions else None
        row = self._rows.get(ids[0], {}) if single else {}
        if single:
            self.kb_class.setText(escape(str(row.get("classification") or "not in ClinVar")))
        else:  # several or no findings: there is no one ClinVar classification to name
            self.kb_class.setText("—" if ids else "")
        self.override_box.setEditText(
            (current.classification_override or "") if current is not None else ""
        )
        self.reason_edit.setText((current.override_reason or "") if current is not None else "")
        self._show_name(current, row)
        comment = current.comment if current is not None else ""
        if self.comment_edit.toPlainText() != comment:  # keep the cursor while typing
            self.comment_edit.blockSignals(True)
            self.comment_edit.setPlainText(comment)
            self.comment_edit.blockSignals(False)
        self._shown_id = ids[0] if single else None
        if not single and len(ids) > 1:
            self.comment_edit.setPlaceholderText("Select one finding to comment on it")
        else:
            self.comment_edit.setPlaceholderText("Comment (saved as you type)")
        self._show_earlier(ids[0] if single and self.case is not None else None)

    def _show_name(self, current: Any, row: dict[str, Any]) -> None:
        """The reviewer's stored name, else the analysis' own name as a starting point."""
        values: tuple[str, ...]
        if current is not None and current.hgvs_c:
            values = (current.hgvs_transcript, current.hgvs_c, current.hgvs_p)
        else:
            values = tuple(
                str(v) if isinstance(v, str) else ""
                for v in (row.get("name_transcript"), row.get("name_c"), row.get("name_p"))
            )
        for edit, value in zip(
            (self.name_transcript, self.name_c, self.name_p), values, strict=True
        ):
            edit.setText(value)

    def _check_decision_buttons(self) -> list:
        """Check the button of the stored decision (none when the selection differs)."""
        ids = self.finding_ids
        decisions = [self.case.decision(fid) for fid in ids] if self.case and ids else []
        chosen = {d.decision for d in decisions}
        self.decision_group.setExclusive(False)
        for key, button in self.decision_buttons.items():
            button.setChecked(len(chosen) == 1 and key in chosen)
        self.decision_group.setExclusive(True)
        return decisions

    def set_summary(self, html: str) -> None:
        """One line about the whole case (status, progress, patient), set by the session."""
        self.case_line.setText(html)
        self.case_line.setVisible(bool(html))

    def _label(self, fid: str) -> str:
        return self.case.label(fid) if self.case is not None else fid

    def _update_banner(self) -> None:
        lines: list[tuple[str, str]] = []
        if self.case is not None:
            signoff = self.case.signoff()
            if self.case.locked:
                when = (signoff.approved_at or "")[:16].replace("T", " ")
                lines.append(
                    (
                        "locked",
                        f"<b>Locked.</b> Approved by {escape(signoff.approver)} on "
                        f"{escape(when)} UTC. To change this case, use Review ▸ Start "
                        "amendment…",
                    )
                )
            elif self.case.amendment_open:
                reason = signoff.amendments[-1].reason if signoff.amendments else ""
                lines.append(
                    (
                        "amend",
                        f"<b>Amendment in progress</b> ({escape(reason)}): every change is listed "
                        "in the amended report. Approve again when done.",
                    )
                )
            elif signoff.reviewer:
                lines.append(
                    (
                        "note",
                        f"Review signed by {escape(signoff.reviewer)}; waiting for approval.",
                    )
                )
        lines += [("note", escape(n)) for n in self._notes]
        self.banner.setVisible(bool(lines))
        if lines:
            self.banner.setStyleSheet(_BANNER[lines[0][0]])
            self.banner.setText("<br>".join(text for _kind, text in lines))

    def _show_earlier(self, fid: str | None) -> None:
        decisions: list[EarlierDecision] = []
        if fid is not None:
            try:
                decisions = self.case.earlier_decisions(fid)
            except PmviewerError as error:
                self.errored.emit(error)
        self.earlier_cases.show_decisions(decisions, fid is not None)
        self._update_reuse()

    def _update_reuse(self) -> None:
        earlier = self.selected_earlier()
        self.reuse_button.setEnabled(
            earlier is not None
            and bool(earlier.classification_override)
            and len(self.finding_ids) == 1
            and self.case is not None
            and not self.locked
        )

    def selected_earlier(self) -> EarlierDecision | None:
        return self.earlier_cases.selected()

    @property
    def earlier(self) -> list[EarlierDecision]:
        return list(self.earlier_cases.decisions)

    @property
    def earlier_table(self) -> QTableWidget:
        return self.earlier_cases.table

    @property
    def reuse_button(self) -> QPushButton:
        return self.earlier_cases.reuse_button

    # ------------------------------------------------------------------ actions
    def _try(self, action, *args, keep_typed: bool = False) -> Any:
        """Call a case setter; a refusal is reported, and the controls show the stored
        state again (``keep_typed``: leave what the user typed, e.g. a classification whose
        reason is still missing). A comment still waiting for its typing pause is stored
        first: the refresh after the change would otherwise show the stored one."""
        self._flush_comment()
        try:
            return action(*args)
        except PmviewerError as error:
            if not keep_typed:
                self.refresh()
            self.errored.emit(error)
            return None

    def apply_decision(self, decision: str) -> None:
        """Include/exclude/reset every selected finding (one transaction)."""
        if self.case is None or not self.finding_ids:
            return
        if not self.flush_edits():  # keep what was typed until it can be stored
            self._check_decision_buttons()
            return
        self._try(self.case.set_decisions, list(self.finding_ids), decision)
        self.refresh()

    def apply_override(self) -> None:
        if self.case is None or len(self.finding_ids) != 1:
            return
        text = self.override_box.currentText().strip()
        if not text:
            self.clear_override()
            return
        self._try(
            self.case.set_override,
            self.finding_ids[0],
            text,
            self.reason_edit.text(),
            keep_typed=True,
        )

    def clear_override(self) -> None:
        if self.case is None or len(self.finding_ids) != 1:
            return
        self._try(self.case.set_override, self.finding_ids[0], None, "")
        self.refresh()

    def reuse_selected(self) -> None:
        earlier = self.selected_earlier()
        if self.case is None or earlier is None or len(self.finding_ids) != 1:
            return
        self._try(self.case.reuse_classification, self.finding_ids[0], earlier)
        self.refresh()

    def _comment_typed(self) -> None:
        if not self._loading and self._shown_id is not None:
            self.comment_timer.start()

    def flush_edits(self) -> bool:
        """Store what was typed but not stored yet, before the panel shows something else
        (row change, another file, close, export): a comment waiting for its typing pause,
        and an override typed without pressing Apply. An override that cannot be stored
        (no reason) is reported, never dropped silently. Returns False when something could
        not be stored (the message was sent through ``errored``)."""
        stored = self._flush_comment()
        pending = self.pending_override()
        if pending is None:
            return stored
        fid = str(self._shown_id)
        try:
            self.case.set_override(fid, *pending)
        except PmviewerError as error:
            self.errored.emit(
                PmviewerError(
                    f"The classification typed for {self._label(fid)} was not saved. {error}"
                )
            )
            return False
        return stored

    def _flush_comment(self) -> bool:
        if not self.comment_timer.isActive():
            return True
        self.comment_timer.stop()
        return self._save_comment()

    def pending_override(self) -> tuple[str, str] | None:
        """(classification, reason) typed for the shown finding and not yet stored."""
        if self.case is None or self._shown_id is None or self._loading or self.locked:
            return None
        text = self.override_box.currentText().strip()
        reason = self.reason_edit.text().strip()
        if not text:
            return None  # removing an override takes the Remove button
        stored = self.case.decision(self._shown_id)
        if (text, reason) == (
            (stored.classification_override or "").strip(),
            (stored.override_reason or "").strip(),
        ):
            return None
        return text, reason

    def _save_comment(self) -> bool:
        if self.case is None or self._shown_id is None:
            return True
        fid, text = self._shown_id, self.comment_edit.toPlainText()
        try:
            self.case.set_comment(fid, text)
        except PmviewerError as error:
            self.errored.emit(error)
            return False
        return True
