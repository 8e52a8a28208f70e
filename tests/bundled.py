"""Bundled resources (demo patient, knowledge file) ship with the package: in CI their absence
fails the test; elsewhere (a partial checkout) it skips cleanly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def require_bundled(present: bool | Path, what: str) -> None:
    if present if isinstance(present, bool) else present.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing: it ships with the package, so CI must have it")
    pytest.skip(f"{what} is not present in this checkout")
