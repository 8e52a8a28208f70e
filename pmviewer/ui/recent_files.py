"""The opt-in list of recently opened files: paths only, never contents, clearable."""

from __future__ import annotations

from pathlib import Path

from pmviewer.ui.settings import read_settings, write_settings

MAX_RECENT = 10


def enabled() -> bool:
    return bool(read_settings("remember_recent_files"))


def set_enabled(on: bool) -> None:
    """Turn remembering on or off; turning it off forgets the list at once."""
    if on:
        write_settings(remember_recent_files=True)
    else:
        write_settings(remember_recent_files=False, recent_files=[])


def recent_files() -> list[str]:
    """Remembered paths that still exist, newest first (empty when not opted in)."""
    if not enabled():
        return []
    return [p for p in read_settings("recent_files") if isinstance(p, str) and Path(p).exists()]


def add_recent(path: str) -> None:
    """Remember ``path`` (no-op unless the user opted in)."""
    if not enabled():
        return
    path = str(Path(path).resolve())
    items = [p for p in read_settings("recent_files") if p != path]
    write_settings(recent_files=[path, *items][:MAX_RECENT])


def clear_recent() -> None:
    write_settings(recent_files=[])
