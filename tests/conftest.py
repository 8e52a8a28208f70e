"""Shared fixtures. Qt must run offscreen before anything imports it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No deadlines: a shared CI machine under load is not a slow function. CI also derandomizes,
# so a failure there is reproducible with the same examples.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "testdata" / "vcf"
KNOWLEDGE_SOURCES = SHARED / "knowledge-sources"


def _require(path: Path) -> Path:
    """Shared data is always present in CI; elsewhere its absence skips the test cleanly."""
    if path.exists():
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{path} is missing: CI must provide ../shared")
    pytest.skip(f"{path} not present (../shared is optional outside CI)")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return _require(CORPUS)


@pytest.fixture(scope="session")
def knowledge_sources() -> Path:
    return _require(KNOWLEDGE_SOURCES)


@pytest.fixture(scope="module")
def kb():
    """The bundled knowledge file, opened once per module (a module may define its own)."""
    from pmviewer.core.knowledge import open_knowledge

    with open_knowledge() as knowledge:
        yield knowledge


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Every test gets its own cache/data folders and settings; never the real user's."""
    home = tmp_path_factory.mktemp("pmviewer-home")
    monkeypatch.setenv("PMVIEWER_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield home


@pytest.fixture
def window(qtbot):
    """A shown main window; at the end its loading is cancelled and waited for."""
    from pmviewer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    yield window
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=120_000)
