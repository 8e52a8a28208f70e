"""Damage done to private copies of a SQLite file (knowledge file, review store) in tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def run_sql(path: Path, *statements: str) -> None:
    """Run ``statements`` in one committed transaction, then close the file."""
    conn = sqlite3.connect(path)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def flip_bytes(path: Path, start: int, count: int = 64) -> None:
    """Invert ``count`` bytes from ``start``: damage no checksum-free reader would notice."""
    data = bytearray(path.read_bytes())
    for offset in range(start, start + count):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
