"""Integrity checks of a knowledge file (``pmviewer kb verify``) and its content checksum.

The checksum covers every row of every table (the ``content_sha256`` meta row itself
excluded), so a file that is still valid SQLite but whose data changed is caught too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from pmviewer.core.errors import KnowledgeError


def _tables(conn: sqlite3.Connection) -> list[str]:
    return sorted(
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    )


def content_digest(conn: sqlite3.Connection) -> str:
    """SHA-256 over every table's name, columns and rows (in sorted row order)."""
    digest = hashlib.sha256()
    for table in _tables(conn):
        cursor = conn.execute(f'SELECT * FROM "{table}" LIMIT 0')
        columns = [d[0] for d in cursor.description]
        digest.update(f"{table}\t{','.join(columns)}\n".encode())
        order = ", ".join(str(i) for i in range(1, len(columns) + 1))
        where = " WHERE key != 'content_sha256'" if table == "meta" else ""
        for row in conn.execute(f'SELECT * FROM "{table}"{where} ORDER BY {order}'):
            digest.update(repr(row).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def verify_file(path: Path | str) -> dict[str, object]:
    """Check a knowledge file thoroughly; return a summary, or raise KnowledgeError.

    Checks: it opens as a knowledge file of this schema version with every core table;
    SQLite's own integrity check; the pharmacogenomics tables (those the pharmacogenomics
    builder of this pmviewer declares, else those the file records); the per-table record
    counts; the content checksum; a non-empty source list with SHA-256 values.
    """
    from pmviewer.core.knowledge.reader import open_unverified

    target = Path(path)
    damaged = (
        f"The knowledge file {target} is damaged: {{}}. Do not use it; rebuild it with "
        "'pmviewer kb build' or copy it again from a good source."
    )
    knowledge = open_unverified(target)
    conn = knowledge.connection
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in result] != ["ok"]:
            raise KnowledgeError(damaged.format("the database structure check failed"))
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        tables = set(_tables(conn))
        # structure first (a precise message), then the checksum over all content
        pgx_expected = _pgx_tables()
        recorded = json.loads(meta.get("pgx_tables", "[]"))
        missing_pgx = [t for t in (pgx_expected or recorded) if t not in tables]
        if missing_pgx:
            raise KnowledgeError(
                f"The knowledge file {target} lacks the pharmacogenomics tables "
                f"{', '.join(missing_pgx)}. Rebuild it with 'pmviewer kb build'."
            )
        counts = dict(conn.execute("SELECT table_name, row_count FROM table_counts").fetchall())
        for table, count in sorted(counts.items()):
            if table not in tables:
                raise KnowledgeError(damaged.format(f"the table '{table}' is missing"))
            actual_count = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if actual_count != count:
                raise KnowledgeError(
                    damaged.format(f"the table '{table}' has {actual_count} rows, expected {count}")
                )
        expected = meta.get("content_sha256", "")
        actual = content_digest(conn)
        if expected != actual:
            raise KnowledgeError(damaged.format("its content does not match its checksum"))
        bad_sources = conn.execute(
            "SELECT count(*) FROM sources WHERE length(sha256) != 64"
        ).fetchone()[0]
        if bad_sources or not conn.execute("SELECT count(*) FROM sources").fetchone()[0]:
            raise KnowledgeError(damaged.format("its source list is missing or incomplete"))
    except sqlite3.DatabaseError as error:
        raise KnowledgeError(damaged.format(f"SQLite reports '{error}'")) from error
    finally:
        knowledge.close()
    return {
        "path": str(target),
        "knowledge_version": meta.get("knowledge_version", ""),
        "schema_version": meta.get("schema_version", ""),
        "content_sha256": actual,
        "tables": len(tables),
        "records": sum(counts.values()),
        "pgx_tables_checked": len(pgx_expected or recorded),
    }


def _pgx_tables() -> tuple[str, ...]:
    try:
        from pmviewer.core.knowledge.build import pgx_tables
    except ModuleNotFoundError as error:
        if error.name != "pmviewer.core.knowledge.build.pgx_tables":
            raise
        return ()
    return tuple(pgx_tables.PGX_SCHEMA_TABLES)
