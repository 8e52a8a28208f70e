"""Resuming a batch: a finished (file, sample, knowledge) leaves a small record in
``DIR/.pmviewer-batch/``, written after its outputs, so a batch started again skips it."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from pmviewer.core.batch.summary import SummaryRow, row_from_dict
from pmviewer.core.safe_write import write_atomic

LEDGER_DIR = ".pmviewer-batch"


class Ledger:
    """The finished jobs of one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / LEDGER_DIR

    def finished(self, key: str) -> SummaryRow | None:
        """The summary row of a finished job whose outputs still exist, else None."""
        path = self.folder / f"{key}.json"
        try:
            row = row_from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        outputs = [p for p in (row.json, row.pdf) if p]
        if row.status != "done" or not all((self.folder.parent / p).is_file() for p in outputs):
            return None
        return row

    def record(self, key: str, row: SummaryRow) -> None:
        """Mark a job finished (only successful jobs: an error is tried again next time)."""
        if row.status != "done":
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / f"{key}.json", json.dumps(asdict(row), indent=1).encode("utf-8"))
