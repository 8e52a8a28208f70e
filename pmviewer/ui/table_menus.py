"""Right-click menus of the variant table: a column chooser on the header; copy, hide the
column and filter by the value under the mouse on the cells. Tab leaves the table."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QTableView

# cells whose value can be matched exactly (lists, stars and derived text cannot)
_VALUE_KINDS = {"text", "zygosity", "category", "int"}
_DERIVED = {"variant", "hgvs", "quality", "quality_mark", "ad"}


def install(window) -> None:
    table: QTableView = window.table
    table.setTabKeyNavigation(False)  # Tab moves to the detail panel, not cell to cell
    header = table.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda pos: column_menu(window, pos).popup(
        header.mapToGlobal(pos)))  # fmt: skip
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.customContextMenuRequested.connect(lambda pos: _popup(cell_menu(window, pos), table, pos))


def _popup(menu: QMenu | None, table: QTableView, pos: QPoint) -> None:
    if menu is not None:
        menu.popup(table.viewport().mapToGlobal(pos))


def column_menu(window, _pos: QPoint | None = None) -> QMenu:
    """Checkable list of the view's columns (the layout is remembered per view)."""
    header = window.table.horizontalHeader()
    menu = QMenu(window.table)
    menu.setTitle("Columns")
    columns = window.model.columns
    shown = sum(not header.isSectionHidden(i) for i in range(len(columns)))
    for i, column in enumerate(columns):
        title = (
            column.title
            if len(column.title) > 2
            else f"{column.title} ({column.tooltip.split(':')[0]})"
        )
        action = menu.addAction(title)
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(i))
        action.setEnabled(header.isSectionHidden(i) or shown > 1)  # never hide the last one
        action.toggled.connect(lambda on, s=i: header.setSectionHidden(s, not on))
    menu.addSeparator()
    menu.addAction("Show all columns").triggered.connect(
        lambda: [header.setSectionHidden(i, False) for i in range(len(columns))]
    )
    return menu


def cell_menu(window, pos: QPoint) -> QMenu | None:
    table: QTableView = window.table
    index = table.indexAt(pos)
    if not index.isValid():
        return None
    model = window.model
    column = model.columns[index.column()]
    text = str(model.data(index) or "")
    menu = QMenu(table)
    copy_cell = menu.addAction("Copy this cell")
    copy_cell.setEnabled(bool(text))
    copy_cell.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
    menu.addAction(window.menus.copy_action)
    menu.addSeparator()
    value = model.value(model.frame_row(index.row()), column.key)
    can_filter = (
        column.kind in _VALUE_KINDS
        and column.key not in _DERIVED
        and column.key in model.frame.columns
        and value is not None
        and not isinstance(value, (list, tuple))
    )
    shown = text if len(text) <= 40 else text[:39] + "…"
    by_value = menu.addAction(
        f"Filter by {column.title} = {shown}" if can_filter else "Filter by this value"
    )
    by_value.setEnabled(can_filter)
    by_value.triggered.connect(
        lambda: window.filter_bar.add_value(column.key, column.title, str(value))
    )
    if window.filter_bar.equals:
        menu.addAction("Remove the value filters").triggered.connect(window.filter_bar.clear_values)
    menu.addSeparator()
    header = table.horizontalHeader()
    hide = menu.addAction(f"Hide the {column.title} column")
    hide.triggered.connect(lambda: header.setSectionHidden(index.column(), True))
    menu.addMenu(column_menu(window))
    return menu
