"""The window's table views: which frame each tab shows, its filter, counts and detail text.

:class:`TableViews` switches the table between the findings views (Reportable, Carrier,
Uncertain: one frame filtered by the category after the review), Pharmacogenomics and All
variants, keeps each view's column layout, counts the rows of every tab and fills the detail
panel for the current row. The window hands it its widgets and the frames it loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from pmviewer.core.table_query import FrameIndex, TableFilter, consequence_terms, value_counts
from pmviewer.ui.columns import ALL_VARIANT_COLUMNS, FINDING_COLUMNS, PGX_COLUMNS
from pmviewer.ui.detail_panel import DetailPanel, empty_view_html, row_detail_html
from pmviewer.ui.filter_bar import FINDING_VIEWS, FilterBar
from pmviewer.ui.turns import next_turn

# the first row of a new view is selected this long after its rows are shown (not on the
# same turn as the steps that follow a file's findings)
FIRST_ROW_AFTER_MS = 30


def layout_key(view: str) -> str:
    """The findings views share one column layout."""
    return "findings2" if view in FINDING_VIEWS else view  # 2: key columns first


class TableViews:
    """The table's views over the window's frames.

    Parameters
    ----------
    table, model, filter_bar, detail
        The window's widgets.
    frames
        The window's frames by name (``findings``, ``pgx``, ``all``), filled as loading goes.
    column_states
        Saved header states by :func:`layout_key`, updated when the view changes.
    result, pgx_results, all_count
        The shown analysis (``AnalysisResult``), its pharmacogene results, and the number of
        rows of the whole file (``None`` while All variants is still loading).
    """

    def __init__(
        self,
        *,
        table: QTableView,
        model: Any,
        filter_bar: FilterBar,
        detail: DetailPanel,
        frames: dict[str, tuple[pd.DataFrame, FrameIndex]],
        column_states: dict[str, str],
        result: Callable[[], Any],
        pgx_results: Callable[[], list[dict[str, Any]]],
        all_count: Callable[[], int | None],
    ) -> None:
        self.table = table
        self.model = model
        self.filter_bar = filter_bar
        self.detail = detail
        self.frames = frames
        self.column_states = column_states
        self.result = result
        self.pgx_results = pgx_results
        self.all_count = all_count
        self.shown_layout: str | None = None
        self._first_row_pending = False  # the first row is selected on the next turn
        self._detail_later = False  # that selection's detail follows on a later turn
        self._detail_pending = False  # ... and has not been shown yet
        filter_bar.view_changed.connect(self.show_view)
        filter_bar.filter_changed.connect(self.apply_filter)
        table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        # a genome's first sort of a column, and its filters, are computed on a worker
        model.busy_changed.connect(self._show_busy)
        model.rows_changed.connect(self._after_rows_changed)

    # ------------------------------------------------------------------ counts
    def counts(self) -> dict[str, int | None]:
        """Rows per view (``None`` for All variants while it is still loading)."""
        counts: dict[str, int | None] = dict.fromkeys(
            ("reportable", "carrier", "uncertain", "pgx", "all")
        )
        if "findings" in self.frames:
            # from the index's codes: the counts are taken three times as findings arrive
            categories = value_counts(self.frames["findings"][1], "category")
            for key in FINDING_VIEWS:
                counts[key] = int(categories.get(key, 0))
            counts["pgx"] = len(self.pgx_results())
        counts["all"] = self.all_count()
        return counts

    def update_counts(self) -> None:
        self.filter_bar.set_counts(self.counts())

    # ------------------------------------------------------------------ views
    def remember_columns(self) -> None:
        if self.shown_layout and self.model.columnCount():
            state = bytes(self.table.horizontalHeader().saveState().toBase64().data()).decode()
            self.column_states[self.shown_layout] = state

    def _source(self, view: str):
        if view in FINDING_VIEWS:
            return self.frames.get("findings"), FINDING_COLUMNS
        if view == "pgx":
            return self.frames.get("pgx"), PGX_COLUMNS
        return self.frames.get("all"), ALL_VARIANT_COLUMNS

    def _filter(self, view: str) -> TableFilter:
        flt = self.filter_bar.table_filter()
        if view in FINDING_VIEWS:
            flt = replace(flt, categories=(view,))
        return flt

    def show_view(self, view: str) -> None:
        source, columns = self._source(view)
        self.remember_columns()
        if source is None:
            return
        frame, index = source
        self.filter_bar.set_variant_filters_enabled(view != "pgx")
        # before the filter is read: a term this frame lacks goes back to "any" in the box
        self.filter_bar.set_consequences(consequence_terms(frame, index))
        self.model.set_frame(frame, columns, index, self._filter(view))
        self.shown_layout = layout_key(view)
        header = self.table.horizontalHeader()
        state = self.column_states.get(self.shown_layout)
        if not (state and header.restoreState(QByteArray.fromBase64(state.encode()))):
            for i, column in enumerate(columns):
                header.resizeSection(i, column.width)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for i, column in enumerate(columns):  # the parents' column only for family files
            if column.key == "parents":
                header.setSectionHidden(i, "mother_genotype" not in frame.columns)
        self._after_rows_changed()
        if view == "all" and self.all_count() is None and self.result() is not None:
            self.filter_bar.count_label.setText(
                self.filter_bar.count_label.text() + " (analysed genes; all variants loading)"
            )

    def apply_filter(self, _flt=None) -> None:
        if self.model.columnCount() == 0:
            return
        self.model.set_filter(self._filter(self.filter_bar.view))
        self._after_rows_changed()

    def _show_busy(self, words: str) -> None:
        """While a sort or filter runs on a worker the table says so and stays usable."""
        viewport = self.table.viewport()
        if words:
            self.filter_bar.count_label.setText(words)
            viewport.setCursor(Qt.CursorShape.BusyCursor)
        else:
            viewport.unsetCursor()
            self._show_count()

    def _show_count(self) -> int:
        """Shown and total rows in the filter bar (or what is still being computed);
        returns the total."""
        shown, total = self.model.visible_count(), self.model.total_count()
        if self.filter_bar.view in FINDING_VIEWS:
            total = self.counts().get(self.filter_bar.view) or 0
        busy = self.model.is_busy() and self.model.busy_words()
        self.filter_bar.count_label.setText(busy or f"{shown:,} of {total:,} rows")
        return total

    def _after_rows_changed(self) -> None:
        total = self._show_count()
        current = self.table.currentIndex()
        if not current.isValid() and self.model.rowCount() > 0:
            # a moment later: the table paints its new rows first, then the detail panel
            # and the review controls fill (together they held the window ~0.1 s)
            if not self._first_row_pending:
                self._first_row_pending = True
                next_turn(self._select_first_row, self.table, FIRST_ROW_AFTER_MS)
        elif not current.isValid():
            result = self.result()
            findings = result.analysis.findings if result is not None else None
            self.detail.show_html(empty_view_html(self.filter_bar.view, total, findings))

    # ------------------------------------------------------------------ rows
    def _select_first_row(self) -> None:
        self._first_row_pending = False
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self._detail_later = True  # the selection shows first, its detail a moment later
            try:
                self.select_row(0)
            finally:
                self._detail_later = False

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        if self._detail_pending and not self._detail_later:  # the row was current already
            self._show_current_detail()

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.show_empty()
            return
        if self._detail_later:
            self._detail_pending = True
            next_turn(self._show_pending_detail, self.table, FIRST_ROW_AFTER_MS)
            return
        self._show_current_detail()

    def _show_pending_detail(self) -> None:
        if self._detail_pending:
            self._show_current_detail()

    def _show_current_detail(self) -> None:
        self._detail_pending = False
        current = self.table.currentIndex()
        if current.isValid() and current.row() < self.model.rowCount():
            self.detail.show_html(self.detail_html(self.model.row_dict(current.row())))

    def detail_html(self, row: dict[str, Any]) -> str:
        """The detail panel HTML for a row of the current view."""
        findings = self.frames.get("findings")
        return row_detail_html(
            row,
            self.filter_bar.view,
            self.result(),
            self.pgx_results(),
            findings[0] if findings else None,
        )
