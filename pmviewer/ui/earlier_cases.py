"""What earlier cases on this workstation decided about the same variant, and the button
that reuses one of their classifications (under the review controls)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.review import EarlierDecision
from pmviewer.ui.dialog_parts import plain_tooltip

DECISION_LABELS = {"include": "Include", "exclude": "Exclude", "undecided": "Undecided"}


class EarlierCases(QWidget):
    """The earlier decisions on one variant. Signals: ``reuse_requested`` (Reuse clicked),
    ``selection_changed`` (another earlier decision selected)."""

    reuse_requested = Signal()
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decisions: list[EarlierDecision] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("Earlier cases on this computer")
        self.label.setTextFormat(Qt.TextFormat.RichText)  # our markup, counts only
        self.label.setToolTip(
            "Decisions on the same variant in other cases reviewed here (no patient details)"
        )
        layout.addWidget(self.label)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("earlierDecisions")
        self.table.setHorizontalHeaderLabels(
            ["Date", "Decision", "Classification", "Comment", "Signed off"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setFixedHeight(84)
        self.table.itemSelectionChanged.connect(self.selection_changed)
        layout.addWidget(self.table)
        self.reuse_button = QPushButton("Reuse classification")
        self.reuse_button.setToolTip(
            "Use the selected earlier classification for this finding; the reason says where "
            "it came from"
        )
        self.reuse_button.clicked.connect(self.reuse_requested)
        reuse_row = QHBoxLayout()
        reuse_row.addWidget(self.reuse_button)
        reuse_row.addStretch(1)
        layout.addLayout(reuse_row)

    def show_decisions(self, decisions: list[EarlierDecision], variant_shown: bool) -> None:
        """Fill the table (``variant_shown``: one finding is shown, so say "none" if empty)."""
        self.decisions = list(decisions)
        table = self.table
        table.setRowCount(len(self.decisions))
        for i, e in enumerate(self.decisions):
            values = [
                e.date,
                DECISION_LABELS.get(e.decision, e.decision),
                e.classification_override or "(ClinVar kept)",
                e.comment or "",
                "yes" if e.case_status in ("final", "amended") else "no",
            ]
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if j == 2 and e.override_reason:
                    item.setToolTip(plain_tooltip(f"Reason: {e.override_reason}"))
                if j == 3 and e.comment:
                    item.setToolTip(plain_tooltip(e.comment))
                table.setItem(i, j, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        count = len(self.decisions)
        if not variant_shown:
            self.label.setText("Earlier cases on this computer")
        elif count:
            self.label.setText(
                f"<b>Earlier cases on this computer</b>: {count} decision(s) on this variant"
            )
        else:
            self.label.setText("Earlier cases on this computer: none for this variant")
        table.setEnabled(count > 0)
        table.setVisible(count > 0)  # an empty table only takes room from the details
        self.reuse_button.setVisible(count > 0)
        if count:
            with_class = [i for i, e in enumerate(self.decisions) if e.classification_override]
            if with_class:
                table.selectRow(with_class[0])

    def selected(self) -> EarlierDecision | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.decisions[row] if 0 <= row < len(self.decisions) else None
