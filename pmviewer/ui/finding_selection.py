"""Which findings the table's selected rows are, in any view (All variants included).

The review panel works on finding ids; the table selects view rows of whatever frame it
shows. :class:`FindingSelection` maps one to the other on whole columns, so a select-all of
a genome's rows stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtWidgets import QTableView

from pmviewer.ui.variant_table_model import selected_view_rows


class FindingSelection:
    """The selected findings of ``table`` (over ``model``); ``current_view`` names the view
    shown and ``findings`` returns the open file's findings (``None`` before one is open)."""

    def __init__(
        self,
        table: QTableView,
        model: Any,
        current_view: Callable[[], str],
        findings: Callable[[], Any],
    ) -> None:
        self.table = table
        self.model = model
        self.current_view = current_view
        self.findings = findings
        self._positions: dict[tuple, tuple[str, Any]] | None = None

    def forget(self) -> None:
        """Another file (or none) is open: the position lookup is built again when needed."""
        self._positions = None

    def _selected_frame_rows(self) -> np.ndarray:
        """Frame positions of the selected rows, in view order."""
        model = self.model
        selection = self.table.selectionModel()
        return model.frame_rows(selected_view_rows(selection, model.rowCount()))

    def _by_position(self) -> dict[tuple, tuple[str, Any]]:
        """(chrom, pos, ref, alt) -> (finding_id, classification), for the All variants view."""
        if self._positions is None:
            frame = self.findings().frame if self.findings() is not None else None
            self._positions = {}
            if frame is not None and len(frame):
                # whole columns as lists: row-wise pandas access is slow on a genome's findings
                keys = zip(
                    frame["chrom"].astype(str).tolist(),
                    frame["pos"].astype("int64").tolist(),
                    frame["ref"].astype(str).tolist(),
                    frame["alt"].astype(str).tolist(),
                    strict=True,
                )
                values = zip(
                    frame["finding_id"].astype(str).tolist(),
                    frame["classification"]
                    .astype(object)
                    .where(frame["classification"].notna(), None)
                    .tolist(),
                    strict=True,
                )
                for key, value in zip(keys, values, strict=True):
                    self._positions.setdefault(key, value)
        return self._positions

    def selected_rows(self) -> list[dict[str, Any]]:
        """The selected table rows that are findings: ``finding_id`` and ``classification``.

        Works on whole columns, so a select-all of a genome's All variants view stays quick
        (4.5 million rows: 5.3 s row by row, 0.05 s so); only rows marked as findings are
        looked up one by one.
        """
        view = self.current_view()
        model = self.model
        if view == "pgx" or model.columnCount() == 0:
            return []
        frame_rows = self._selected_frame_rows()
        rows = []
        if view == "all":  # only the rows marked as findings, picked out in one step
            if "category" not in model.frame.columns:
                return []
            # only the selected rows' marks (the whole column of a genome for one row: ~10 ms)
            marked = model.frame["category"].iloc[frame_rows].notna().to_numpy()
            if not marked.any():  # no finding selected: the findings' lookup is not needed
                return []
            positions = self._by_position()
            for frame_row in frame_rows[marked].tolist():
                key = tuple(model.value(frame_row, k) for k in ("chrom", "pos", "ref", "alt"))
                fid, classification = positions.get(
                    (str(key[0]), int(key[1]), str(key[2]), str(key[3])), (None, None)
                )
                if fid:
                    rows.append({"finding_id": str(fid), "classification": classification})
            return rows
        one = len(frame_rows) == 1  # a single finding also brings its name (review panel)
        for frame_row in frame_rows.tolist():
            fid = model.value(frame_row, "finding_id")
            if fid:
                classification = model.value(frame_row, "classification")
                row = {"finding_id": str(fid), "classification": classification}
                if one:
                    row.update({k: model.value(frame_row, k)
                                for k in ("name_transcript", "name_c", "name_p")})  # fmt: skip
                rows.append(row)
        return rows
