"""The window's review page: filter bar, warnings banner, variant table, detail panel and the
room for the review controls, laid out side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmviewer.ui.detail_panel import DetailPanel
from pmviewer.ui.filter_bar import FilterBar
from pmviewer.ui.variant_table_model import VariantTableModel


class ReviewPage(QWidget):
    """The widgets of the page; the window's controllers fill them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_bar = FilterBar()
        self.banner = QLabel("")
        self.banner.setObjectName("warnings")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)  # warnings quote file text
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#warnings{background:#fff4d6;border:1px solid #e0c27a;padding:4px;color:#4a3600}"
        )
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        self.model = VariantTableModel(self)
        self.table = variant_table(self.model)

        self.detail = DetailPanel()
        self.detail.setMinimumWidth(320)
        # room for the review controls (decision, override, comment)
        self.review_area = QWidget()
        self.review_area.setObjectName("reviewArea")
        review_layout = QVBoxLayout(self.review_area)
        review_layout.setContentsMargins(0, 0, 0, 0)
        self.review_area.setVisible(False)

        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.addWidget(self.detail)
        self.side.addWidget(self.review_area)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        page_layout = QVBoxLayout(self)
        page_layout.setContentsMargins(6, 6, 6, 0)
        page_layout.addWidget(self.filter_bar)
        page_layout.addWidget(self.banner)
        page_layout.addWidget(self.splitter, 1)

    def show_warnings(self, warnings: list[str]) -> None:
        self.banner.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.banner.setVisible(bool(warnings))


def variant_table(model: VariantTableModel) -> QTableView:
    """The variant table over ``model`` (rows selected whole, columns movable)."""
    table = QTableView()
    table.setObjectName("variantTable")
    table.setModel(model)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(22)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setSectionsMovable(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSortIndicatorShown(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    return table
