"""Is this knowledge file the one it claims to be? Checked at every open, cheaply.

* Every open computes the SHA-256 of the file's bytes (~0.03 s for the bundled file); that
  computed value, never one stored inside the file, is what reports print.
* The bundled file must match the digest shipped next to it in the package
  (``pmviewer-knowledge.sqlite.sha256``, written by ``pmviewer kb build``).
* A file the user chose must hold exactly the content its builder recorded: every row of
  every table is hashed and compared with its ``content_sha256`` (about 0.3 s); a deleted or
  edited row is refused. A file whose bytes passed once is remembered by its byte digest in
  the cache folder, so reopening it costs only the byte hash (a changed byte changes the
  digest, so this memory cannot go stale the way a path/size/mtime cache can).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.paths import cache_dir

DIGEST_SUFFIX = ".sha256"


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(4 * 1024 * 1024):
                digest.update(block)
    except OSError as error:
        raise KnowledgeError(
            f"The knowledge file {path.name} could not be read ({error.strerror or error}). "
            "Choose another knowledge file, or reinstall pmviewer to restore the bundled one."
        ) from error
    return digest.hexdigest()


def digest_path(path: Path) -> Path:
    """Where the shipped digest of ``path`` lives (``<file>.sha256`` next to it)."""
    return path.with_name(path.name + DIGEST_SUFFIX)


def write_digest(path: Path) -> str:
    """Write ``<file>.sha256`` (``sha256sum`` format) for a freshly built knowledge file."""
    value = file_sha256(path)
    digest_path(path).write_text(f"{value}  {path.name}\n", encoding="ascii")
    return value


def shipped_digest(path: Path) -> str | None:
    try:
        text = digest_path(path).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    return text[0].lower() if text and len(text[0]) == 64 else None


def check_bundled(path: Path, actual: str) -> None:
    """The bundled file against the digest shipped in the package."""
    expected = shipped_digest(path)
    if expected is None:
        raise KnowledgeError(
            "The digest that identifies the bundled knowledge file is missing from this "
            "installation, so the file cannot be trusted. Reinstall pmviewer."
        )
    if expected != actual:
        raise KnowledgeError(
            "The bundled knowledge file has been changed or damaged since pmviewer was "
            f"installed (its SHA-256 is {actual}, the installed one is {expected}). Do not use "
            "this installation for reports; reinstall pmviewer."
        )


def _verified_marker(actual: str) -> Path:
    return cache_dir() / "verified-knowledge" / actual


def check_content(path: Path, conn: sqlite3.Connection, meta: dict[str, str], actual: str) -> None:
    """A chosen file's rows against the content checksum its builder recorded."""
    from pmviewer.core.knowledge.build.verify import content_digest

    marker = _verified_marker(actual)
    if marker.is_file():
        return
    recorded = meta.get("content_sha256", "")
    try:
        computed = content_digest(conn)
    except sqlite3.DatabaseError as error:
        raise KnowledgeError(
            f"The knowledge file {path.name} is damaged (SQLite could not read all of it). "
            "Choose another knowledge file, or rebuild it with 'pmviewer kb build'."
        ) from error
    if not recorded or computed != recorded:
        raise KnowledgeError(
            f"The knowledge file {path.name} has been changed since it was built: its content "
            "does not match the checksum recorded when it was built (rows were added, edited "
            "or deleted). It cannot be used for reports. Choose another knowledge file, or "
            "rebuild it with 'pmviewer kb build'."
        )
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(path.name, encoding="utf-8")
    except OSError:
        pass  # a read-only cache only costs the check next time
