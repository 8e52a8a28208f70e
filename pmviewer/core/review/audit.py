"""The audit trail: one append-only row per changed field, and amendment notes in words.

Rows are written inside the same transaction as the change they describe, so the log and
the case never disagree. ``old``/``new`` are text (``None`` when a value was absent).
"""

from __future__ import annotations

import getpass
import sqlite3
from datetime import datetime, timezone
from typing import NamedTuple


class AuditRow(NamedTuple):
    """One recorded change. ``finding_id`` is ``None`` for case-level fields."""

    time: str  # UTC, ISO 8601 with offset: 2026-11-30T09:17:19+00:00
    os_user: str
    finding_id: str | None
    field: str
    old: str | None
    new: str | None


def now_utc() -> str:
    """Current time in UTC, ISO 8601 to the second (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def os_user() -> str:
    """The operating-system login of whoever runs pmviewer (the audit's "who")."""
    try:
        return getpass.getuser()
    except Exception:  # no login name available (some service accounts / containers)
        return "unknown"


def append(
    conn: sqlite3.Connection,
    case_id: int,
    user: str,
    finding_id: str | None,
    field: str,
    old: object,
    new: object,
    time: str | None = None,
) -> None:
    """Append one audit row (caller holds the write transaction)."""
    conn.execute(
        "INSERT INTO audit (case_id, time, os_user, finding_id, field, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (case_id, time or now_utc(), user, finding_id, field, _text(old), _text(new)),
    )


def read(conn: sqlite3.Connection, case_id: int, finding_id: str | None = None) -> list[AuditRow]:
    """The case's rows, oldest first; only one finding's when ``finding_id`` is given."""
    sql = "SELECT time, os_user, finding_id, field, old, new FROM audit WHERE case_id = ?"
    params: tuple = (case_id,)
    if finding_id is not None:
        sql += " AND finding_id = ?"
        params += (finding_id,)
    rows = conn.execute(sql + " ORDER BY seq", params).fetchall()
    return [AuditRow(*row) for row in rows]


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(value)


def quote(value: str | None, limit: int = 60) -> str:
    """A value as shown in an amendment note: quoted, shortened, '(none)' when empty."""
    if value is None or value == "":
        return "(none)"
    flat = " ".join(str(value).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{flat}"'


def change_words(label: str, field: str, old: str | None, new: str | None) -> str:
    """One amendment note, e.g. ``BRCA2 c.5946del: decision include -> exclude``."""
    if field == "decision":
        return f"{label}: decision {old or 'undecided'} -> {new or 'undecided'}"
    if field == "classification_override":
        before = old if old else "as in the knowledge base"
        after = new if new else "as in the knowledge base"
        return f"{label}: classification {before} -> {after}"
    if field == "override_reason":
        return f"{label}: reason for classification {quote(old)} -> {quote(new)}"
    if field == "comment":
        return f"{label}: comment {quote(old)} -> {quote(new)}"
    return f"{label}: {quote(old)} -> {quote(new)}"
