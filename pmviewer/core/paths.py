"""User folders. Files the user owns are never modified: indexes and caches go to the cache
folder, cases to the data folder. ``PMVIEWER_HOME`` relocates both (tests, portable installs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "pmviewer"


def _root_override() -> Path | None:
    home = os.environ.get("PMVIEWER_HOME")
    return Path(home) if home else None


def cache_dir() -> Path:
    root = _root_override()
    path = root / "cache" if root else Path(platformdirs.user_cache_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    root = _root_override()
    path = root / "data" if root else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
