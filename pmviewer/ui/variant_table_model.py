"""The one table model of the window: an index mapper over a columnar pandas frame.

Sorting and filtering are core functions (:mod:`pmviewer.core.table_query`); the model keeps
``order`` (stable argsort of the sort column) and ``visible`` (``order`` restricted to the
filter mask) and maps view rows to frame rows. Sorting and filtering emit ``layoutChanged``
(persistent indexes follow their rows); a new frame resets the model. ``data()`` returns
plain ``str``/``int``/``float`` values, never numpy scalars.

On a big frame (a genome) a sort whose order is not cached yet, and any narrowing filter,
are computed on a worker (:class:`~pmviewer.ui.table_jobs.TableJobs`): the rows keep their
current order until the result arrives, ``busy_changed`` says what is running, and
``rows_changed`` follows every change of the shown rows made that way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from pmviewer.core.table_query import (
    FrameIndex,
    TableFilter,
    filter_mask,
    sort_order,
    visible_rows,
)
from pmviewer.core.wording import call_status_words
from pmviewer.export.report_findings import chosen_condition
from pmviewer.ui import theme
from pmviewer.ui.column_readers import AbsentColumn, ColumnReader
from pmviewer.ui.columns import Column
from pmviewer.ui.dialog_parts import plain_tooltip
from pmviewer.ui.table_jobs import BACKGROUND_ROWS, TableJobs

_Index = QModelIndex | QPersistentModelIndex
# review decision cells: (background, text); the text label always comes with the colour
_DECISION_COLOURS = {"include": ("#d9f0d9", "#1e5a1e"), "exclude": ("#ececec", "#555555")}
_ZYGOSITY_SHORT = {"het": "Het", "hom": "Hom", "hemi": "Hemi", "not_carried": "—", "unknown": "?"}
_ZYGOSITY_LONG = {
    "het": "Heterozygous",
    "hom": "Homozygous",
    "hemi": "Hemizygous",
    "not_carried": "Not carried",
    "unknown": "Zygosity not determined (no genotype)",
}


def selected_view_rows(selection_model, row_count: int) -> np.ndarray:
    """View rows of a row selection, ascending, read from its ranges (``selectedRows()``
    visits every cell: 13 s for a select-all of 200,000 rows). The work follows the size of
    the selection, not of the table (a genome's 4.6 million rows for one selected row)."""
    ranges = [
        np.arange(max(0, s.top()), min(row_count, s.bottom() + 1), dtype=np.int64)
        for s in selection_model.selection()
    ]
    if not ranges:
        return np.zeros(0, dtype=np.int64)
    if len(ranges) == 1:
        return ranges[0]
    return np.unique(np.concatenate(ranges))  # ascending, each row once


_ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.UserRole,  # SortRole
        Qt.ItemDataRole.UserRole + 1,  # RowRole
    )
)


# the roles a cell is painted with -> their place in a cached cell
_PAINT_SLOTS = {
    int(Qt.ItemDataRole.DisplayRole): 0,
    int(Qt.ItemDataRole.TextAlignmentRole): 1,
    int(Qt.ItemDataRole.BackgroundRole): 2,
    int(Qt.ItemDataRole.ForegroundRole): 3,
}
_NUMERIC_KINDS = frozenset(("int", "pos", "float1", "float2"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# frame rows whose painted cells are kept (a screen shows ~40; scrolling back reuses them)
PAINTED_ROWS_KEPT = 2000


class VariantTableModel(QAbstractTableModel):
    """Rows of a variant or finding frame, shown through :class:`~pmviewer.ui.columns.Column`s."""

    SortRole = Qt.ItemDataRole.UserRole
    RowRole = Qt.ItemDataRole.UserRole + 1
    busy_changed = Signal(str)  # "Sorting by Gene…", "" when done
    rows_changed = Signal()  # a sort or filter computed on a worker was applied

    def __init__(self, parent=None):
        super().__init__(parent)
        self._jobs = TableJobs(self)
        self._jobs.busy_changed.connect(self.busy_changed)
        self._frame = pd.DataFrame()
        self._columns: list[Column] = []
        self._readers: dict[str, ColumnReader | AbsentColumn] = {}
        self._painted: dict[int, list[tuple[Any, ...]]] = {}  # frame row -> painted cells
        self._index = FrameIndex(self._frame)
        self._order = np.arange(0, dtype=np.int64)
        self._mask = np.ones(0, dtype=bool)
        self._visible = self._order
        self._filter = TableFilter()
        self._mask_filter = self._filter  # the filter ``_mask`` was computed for
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ------------------------------------------------------------------ content
    def set_frame(
        self,
        frame: pd.DataFrame,
        columns: list[Column],
        index: FrameIndex | None = None,
        table_filter: TableFilter | None = None,
    ) -> None:
        """Show ``frame`` (resets the model; sort goes back to file order)."""
        self._jobs.drop()  # results computed on the previous frame are moot
        self.beginResetModel()
        self._frame = frame  # accessed by position only, so its index labels do not matter
        self._columns = list(columns)
        self._readers, self._painted = {}, {}
        self._index = index if index is not None and index.frame is frame else FrameIndex(frame)
        self._order = self._index.file_order()  # cached: a worker builds it for big frames
        self._filter = self._mask_filter = table_filter or TableFilter()
        self._mask = filter_mask(self._frame, self._filter, self._index)
        # no gather when nothing is filtered out (40 ms on the main thread for 4.6M rows)
        self._visible = self._visible_rows()
        self._sort = None
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    @property
    def columns(self) -> list[Column]:
        return self._columns

    @property
    def frame_index(self) -> FrameIndex:
        return self._index

    @property
    def table_filter(self) -> TableFilter:
        return self._filter

    def total_count(self) -> int:
        return len(self._frame)

    def visible_count(self) -> int:
        return len(self._visible)

    def frame_row(self, row: int) -> int:
        """Frame position of view row ``row``."""
        return int(self._visible[row])

    def frame_rows(self, view_rows: np.ndarray) -> np.ndarray:
        """Frame positions of several view rows at once."""
        return self._visible[view_rows]

    def view_row_of(self, frame_row: int) -> int | None:
        hits = np.flatnonzero(self._visible == frame_row)
        return int(hits[0]) if len(hits) else None

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self._columns) if c.key == key)

    def column_changed(self, key: str) -> None:
        """Values of frame column ``key`` changed in place: repaint that column only."""
        self._readers.pop(key, None)
        self._painted.clear()
        for i, column in enumerate(self._columns):
            if key in (column.key, column.sort_column) and self.rowCount() > 0:
                self.dataChanged.emit(self.index(0, i), self.index(self.rowCount() - 1, i))

    # ------------------------------------------------------------------ sort / filter
    def _relayout(self, new_visible: np.ndarray) -> None:
        self.layoutAboutToBeChanged.emit()
        old_visible = self._visible
        persistent = self.persistentIndexList()
        if persistent:
            rows = {index.row() for index in persistent if 0 <= index.row() < len(old_visible)}
            targets: dict[int, int] = {}
            if len(rows) <= 32:  # usually the current row and a small selection
                for row in rows:
                    hits = np.flatnonzero(new_visible == old_visible[row])
                    targets[row] = int(hits[0]) if len(hits) else -1
            else:
                position = np.full(len(self._frame), -1, dtype=np.int64)
                position[new_visible] = np.arange(len(new_visible))
                targets = {row: int(position[old_visible[row]]) for row in rows}
            new_indexes = []
            for index in persistent:
                target = targets.get(index.row(), -1)
                new_indexes.append(
                    self.index(int(target), index.column()) if target >= 0 else QModelIndex()
                )
            self._visible = new_visible
            self.changePersistentIndexList(persistent, new_indexes)
        self._visible = new_visible
        self.layoutChanged.emit()

    def is_busy(self) -> bool:
        """Is a sort or filter being computed on a worker?"""
        return self._jobs.busy()

    def busy_words(self) -> str:
        return self._jobs.words()

    def set_filter(self, table_filter: TableFilter) -> None:
        """Keep only the rows ``table_filter`` selects (sort order is kept)."""
        self._filter = table_filter
        frame, index = self._frame, self._index
        if len(frame) < BACKGROUND_ROWS or self._keeps_all(table_filter):
            self._jobs.drop("filter")
            self._filtered(table_filter, filter_mask(frame, table_filter, index), emit=False)
            return
        self._jobs.run(
            "filter",
            "Filtering…",
            lambda: filter_mask(frame, table_filter, index),
            lambda mask: self._filtered(table_filter, mask),
        )

    def _filtered(self, table_filter: TableFilter, mask: np.ndarray, emit: bool = True) -> None:
        self._mask, self._mask_filter = mask, table_filter
        self._relayout(self._visible_rows())
        if emit:
            self.rows_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or len(self._frame) == 0:
            return
        key = self._columns[column].sort_column
        if key not in self._frame.columns:
            return
        ascending = order == Qt.SortOrder.AscendingOrder
        self._sort = (column, order)
        frame, index = self._frame, self._index
        if len(frame) < BACKGROUND_ROWS or index.cached_order(key, ascending) is not None:
            self._jobs.drop("sort")
            self._sorted(sort_order(frame, key, ascending, index), emit=False)
            return
        # the first sort of this column ranks every row: on a worker, both directions
        self._jobs.run(
            "sort",
            f"Sorting by {self._columns[column].title}…",
            lambda: sort_order(frame, key, ascending, index),
            self._sorted,
        )

    def _sorted(self, order: np.ndarray, emit: bool = True) -> None:
        self._order = order
        self._relayout(self._visible_rows())
        if emit:
            self.rows_changed.emit()

    def _keeps_all(self, table_filter: TableFilter) -> bool:
        return table_filter == TableFilter(categories=table_filter.categories) and (
            table_filter.categories is None or "category" not in self._frame.columns
        )

    def _visible_rows(self) -> np.ndarray:
        # with no filter active the sorted order is the visible order (saves a gather)
        if self._keeps_all(self._mask_filter):
            return self._order
        return visible_rows(self._order, self._mask)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.tooltip or column.title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self._visible):
                return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ITEM_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def value(self, frame_row: int, key: str) -> Any:
        """Plain value of frame column ``key`` at ``frame_row`` (None when absent/missing)."""
        reader = self._readers.get(key)
        if reader is None:
            frame = self._frame
            reader = ColumnReader(frame[key]) if key in frame.columns else AbsentColumn()
            self._readers[key] = reader
        return reader.get(frame_row)

    def cell_value(self, frame_row: int, column: Column) -> Any:
        """The value a column shows (derived columns combine several frame columns)."""
        key = column.key
        if key == "variant":
            chrom, pos = self.value(frame_row, "chrom"), self.value(frame_row, "pos")
            ref, alt = self.value(frame_row, "ref"), self.value(frame_row, "alt")
            return f"{chrom}:{pos:,} {ref}>{alt}" if pos is not None else ""
        if key == "hgvs":
            c = self.value(frame_row, "kb_hgvs_c") or self.value(frame_row, "hgvs_c")
            p = self.value(frame_row, "kb_hgvs_p") or self.value(frame_row, "hgvs_p")
            text = " ".join(x for x in (c, f"({p})" if p else None) if x)
            return text or self.value(frame_row, "kb_hgvs_g")  # ClinVar's genomic HGVS
        if key == "kb_gene":
            return self.value(frame_row, "kb_gene") or self.value(frame_row, "gene")
        if key == "ad":
            ref, alt = self.value(frame_row, "ad_ref"), self.value(frame_row, "ad_alt")
            return (
                None
                if ref is None and alt is None
                else f"{ref if ref is not None else '.'},{alt if alt is not None else '.'}"
            )
        if key == "classification" and "finding_id" in self._frame.columns:
            return self.value(frame_row, key) or "not in ClinVar"
        if key == "quality":
            problems = self.quality_problems(frame_row)
            return "; ".join(problems) if problems else "PASS"
        if key == "condition" and "sf_condition" in self._frame.columns:
            # the one condition the report prints (ACMG SF condition, else ClinVar's best)
            return chosen_condition(
                {"sf_condition": self.value(frame_row, "sf_condition"),
                 "condition": self.value(frame_row, "condition")}
            ) or None  # fmt: skip
        if key == "parents":
            mother, father = (
                self.value(frame_row, "mother_genotype"),
                self.value(frame_row, "father_genotype"),
            )
            if mother is None and father is None:
                return None
            if self.value(frame_row, "de_novo"):
                return f"de novo (M {mother or '–'}, F {father or '–'})"
            return f"M {mother or '–'} · F {father or '–'}"
        if key == "quality_mark":
            return "; ".join(self.quality_problems(frame_row))
        return self.value(frame_row, key)

    def quality_problems(self, frame_row: int) -> list[str]:
        """FILTER (when not PASS) and the quality warnings of a row, in words."""
        flt = self.value(frame_row, "filter")
        flags = self.value(frame_row, "quality_flags") or []
        parts = [] if flt in (None, "PASS", ".") else [f"FILTER {flt}"]
        return parts + [str(f) for f in flags]

    def is_flagged(self, frame_row: int) -> bool:
        """Does this row carry a quality warning (findings views only; the All variants view
        shows FILTER in its own column)?"""
        if "quality_flags" not in self._frame.columns:
            return False
        return bool(self.quality_problems(frame_row))

    @staticmethod
    def display(value: Any, kind: str) -> str:
        if value is None:
            return ""
        if kind == "category":
            return theme.category_label(value)
        if kind == "decision":
            return {"include": "✓ Include", "exclude": "✗ Exclude"}.get(str(value), "")
        if kind == "marker":
            return "✎" if str(value).strip() else ""
        if kind == "qmark":
            return "⚠" if str(value).strip() else ""
        if kind == "zygosity":
            return _ZYGOSITY_SHORT.get(str(value), str(value))
        if kind == "call_status":
            return call_status_words(value)
        if kind == "stars":
            n = max(0, min(4, int(value)))
            return "★" * n + "☆" * (4 - n)
        if kind == "int":
            return str(int(value))
        if kind == "pos":
            return f"{int(value):,}"
        if kind == "float1":
            return f"{float(value):.1f}"
        if kind == "float2":
            return f"{float(value):.2f}"
        if kind == "list":
            return "; ".join(str(v) for v in value)
        if isinstance(value, (list, tuple)):
            return "; ".join(str(v) for v in value)
        return str(value)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # the four roles a cell is painted with come from its row's cached cells; the ~3
        # other roles Qt asks while painting (font, check state, decoration) return at once
        slot = _PAINT_SLOTS.get(role)
        if slot is not None:
            row = index.row()  # -1 for an invalid index
            if row < 0 or row >= len(self._visible):
                return None
            frame_row = int(self._visible[row])
            cells = self._painted.get(frame_row)
            if cells is None:
                cells = self._paint_row(frame_row)
            return cells[index.column()][slot]
        if role not in _ANSWERED_ROLES or not index.isValid() or index.row() >= len(self._visible):
            return None
        column = self._columns[index.column()]
        frame_row = int(self._visible[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole and column.kind in ("marker", "qmark"):
            value = self.cell_value(frame_row, column)  # the comment / the problems
            return plain_tooltip(value) if value else None
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "zygosity":
            value = self.cell_value(frame_row, column)
            return _ZYGOSITY_LONG.get(str(value)) if value is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(frame_row, column)
            return plain_tooltip(text) if len(text) > 24 else None
        if role == Qt.ItemDataRole.AccessibleTextRole and column.kind == "qmark":
            problems = self.cell_value(frame_row, column)
            return f"Quality warning: {problems}" if problems else "Quality passes"
        if role == self.SortRole:
            value = self.value(frame_row, column.sort_column)
            return value if isinstance(value, (str, int, float)) else None
        if role == self.RowRole:
            return self.row_dict(index.row())
        return None

    def _paint_row(self, frame_row: int) -> list[tuple[Any, ...]]:
        """(text, alignment, background, foreground) of every cell of a frame row, kept
        for :data:`PAINTED_ROWS_KEPT` rows: a repaint asks each cell four times."""
        if len(self._painted) >= PAINTED_ROWS_KEPT:
            self._painted.clear()
        flagged = self.is_flagged(frame_row)  # looked up once for the row's cells
        cells = []
        for column in self._columns:
            align = _RIGHT if column.kind in _NUMERIC_KINDS else _LEFT
            cells.append((self._text(frame_row, column), align, *self._colours(
                frame_row, column, flagged)))  # fmt: skip
        self._painted[frame_row] = cells
        return cells

    def _text(self, frame_row: int, column: Column) -> str:
        text = self.display(self.cell_value(frame_row, column), column.kind)
        if column.kind == "category" and text:
            qualifier = self.value(frame_row, "clinvar_qualifier")
            if isinstance(qualifier, str) and qualifier:
                text = f"{text} · {qualifier}"  # ClinVar's qualifier beside the category
        return text

    def _colours(self, frame_row: int, column: Column, flagged: bool) -> tuple[Any, Any]:
        """(background, foreground) of a cell: a decision's colours, a finding category's
        tint, or the quality-warning tint of a flagged row."""
        if column.kind == "decision":
            pair = _DECISION_COLOURS.get(str(self.value(frame_row, column.key)))
            return (None, None) if pair is None else (QColor(pair[0]), QColor(pair[1]))
        if column.kind == "category":
            category = self.value(frame_row, "category")
            return theme.category_background(category), theme.category_foreground(category)
        if flagged:
            return theme.quality_flag_background(), QColor(theme.QUALITY_FLAG_TEXT)
        return None, None

    # ------------------------------------------------------------------ export
    def row_dict(self, row: int) -> dict[str, Any]:
        """Every frame column of view row ``row`` as plain values."""
        frame_row = int(self._visible[row])
        return {key: self.value(frame_row, key) for key in self._frame.columns}

    def rows_as_tsv(self, rows: list[int]) -> str:
        """View rows as tab-separated text with a header line (what Ctrl+C copies)."""
        lines = ["\t".join(c.title for c in self._columns)]
        for row in sorted(set(rows)):
            frame_row = int(self._visible[row])
            cells = [
                self.display(self.cell_value(frame_row, c), c.kind)
                .replace("\t", " ")
                .replace("\n", " ")
                for c in self._columns
            ]
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"
