"""The drug view: every drug with a CPIC recommendation for this patient, sortable and searchable.

A small table (tens of rows), so a ``QSortFilterProxyModel`` over a plain model is enough
(STYLE.md section 4). Rows come from :func:`pmviewer.core.pgx.drug_view`; cells are plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
)

from pmviewer.core.pgx import ACTIONS, UNCLASSIFIED, DrugRow, drug_view


class DrugTableModel(QAbstractTableModel):
    """Drug rows: action, drug, genes and phenotype, strength, guideline, source, text."""

    COL_ACTION, COL_DRUG, COL_PHENOTYPE, COL_STRENGTH, COL_GUIDELINE, COL_SOURCE, COL_TEXT = range(
        7
    )
    HEADERS = (
        "Action",
        "Drug",
        "Gene and phenotype",
        "Strength",
        "Guideline",
        "Source",
        "Recommendation",
    )
    SortRole = Qt.ItemDataRole.UserRole
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, rows: list[DrugRow] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DrugRow] = list(rows or [])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _cell(self, row: DrugRow, column: int) -> str:
        return (
            row.action_title,
            row.drug if row.population in ("", "general") else f"{row.drug} ({row.population})",
            row.phenotype,
            row.strength,
            row.guideline,
            row.sources,
            row.text.replace("\n", " "),
        )[column]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_TEXT:
            return row.text
        if role == self.SortRole:
            if index.column() == self.COL_ACTION:
                return f"{ACTIONS.index(row.action)}{row.drug.lower()}"
            return self._cell(row, index.column()).lower()
        if role == self.RowRole:
            return row
        return None


class DrugViewDialog(QDialog):
    """Non-modal window listing the drug rows, with a search box over every column."""

    def __init__(self, pgx: list[dict[str, Any]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Drugs with a CPIC recommendation")
        self.resize(1100, 600)
        self.rows = drug_view(pgx)
        self.model = DrugTableModel(self.rows, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(DrugTableModel.SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search drug, gene, phenotype or text…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DrugTableModel.COL_ACTION, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 130, 300, 90, 220, 120)):
            self.table.setColumnWidth(column, width)
        pairs = {(r.action, r.drug) for r in self.rows}
        counts = {a: sum(action == a for action, _ in pairs) for a in ACTIONS}
        self.summary = QLabel(
            f"{len({r.drug for r in self.rows})} drugs: "
            + ", ".join(f"{a} {counts[a]}" for a in ACTIONS if counts[a] or a != UNCLASSIFIED)
            + ". Drugs whose genes were not called are not listed (not assessed).",
            self,
        )
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def visible_drugs(self) -> list[str]:
        """Drug names in view order (after search and sort)."""
        return [
            self.proxy.data(self.proxy.index(i, DrugTableModel.COL_DRUG))
            for i in range(self.proxy.rowCount())
        ]


def show_drug_view(window) -> None:
    """The menu action: open the drug view for the window's current results."""
    dialog = DrugViewDialog(list(getattr(window, "pgx_results", []) or []), window)
    window._drug_view = dialog  # keep a reference while it is open
    dialog.show()
