"""Viewer settings: one INI file (QSettings) under the user's config folder.

Every key and its default lives in :data:`DEFAULTS`; :func:`read_settings` and
:func:`write_settings` reject unknown keys, so a typo cannot create a silent new setting.
Structured values (lists, dicts) are stored as JSON text. Settings never hold patient data:
window geometry, column layout, the laboratory's details and the reviewer's name printed on
reports, the analysis preferences (knowledge file, reference genome, quality thresholds), and
— only when the user opts in — the paths of recently opened files.

``schema_version`` is stored with the values; :data:`UPGRADES` turns an older file into the
current layout step by step when it is read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths

SCHEMA_VERSION = 2

DEFAULTS: dict[str, Any] = {
    "schema_version": SCHEMA_VERSION,
    "remember_recent_files": False,  # opt-in: paths only, never contents
    "recent_files": [],
    "window_geometry": "",  # base64 of QWidget.saveGeometry()
    "window_state": "",  # base64 of QMainWindow.saveState()
    "splitter_state": "",  # base64 of the table/detail splitter
    "column_layout": {},  # view name -> base64 of QHeaderView.saveState()
    "last_directory": "",
    # laboratory details printed on reports (LabDetails fields); never patient data
    "lab_details": {},
    "reviewer_name": "",  # pre-fills the sign-off dialog on this workstation
    "reviewer_credentials": "",
    "report_page_size": "A4",  # "A4" | "letter"
    # analysis preferences (schema 2)
    "knowledge_file": "",  # "" = the bundled knowledge file
    "reference_fasta": "",  # "" = none (indels are trimmed, not left-aligned)
    "quality_thresholds": {},  # QualityThresholds fields; missing ones take its defaults
    # evidence policy: {"min_stars": int, "qualifiers": {qualifier: report|review|exclude}}
    "evidence_policy": {},
    "assay_targets": {},  # laboratory assay name -> its target BED path
    "assay": "",  # the assay whose targets the analysis uses ("" = none)
    # saved filter presets: name -> {"text", "quality", "zygosity", "consequence", "genes"}
    # (gene panels and filter choices, never patient data)
    "filter_presets": {},
    "last_report_directory": "",  # where the last report PDF was saved
}

_JSON_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, (list, dict))}


def settings_path() -> Path:
    """The INI file. ``PMVIEWER_HOME`` relocates it (tests, portable installs)."""
    home = os.environ.get("PMVIEWER_HOME")
    if home:
        folder = Path(home) / "config"
    else:
        location = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.GenericConfigLocation
        )
        folder = Path(location) / "pmviewer"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "pmviewer.ini"


def _qsettings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def _upgrade_0_to_1(values: dict[str, Any]) -> dict[str, Any]:
    """Files written before versioning: keep only known keys; recent files stay opt-in."""
    kept = {k: v for k, v in values.items() if k in DEFAULTS}
    if "remember_recent_files" not in kept:
        kept.pop("recent_files", None)
    return kept


def _upgrade_1_to_2(values: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the analysis preferences; their defaults (bundled knowledge file, no
    reference genome, default thresholds) are what version 1 always used."""
    return {k: v for k, v in values.items() if k in DEFAULTS}


# from-version -> function returning the values in the next version's layout
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _upgrade_0_to_1,
    1: _upgrade_1_to_2,
}


def _decode(key: str, raw: Any) -> Any:
    default = DEFAULTS[key]
    try:
        if key in _JSON_KEYS:
            value = json.loads(raw) if isinstance(raw, str) else raw
            return value if isinstance(value, type(default)) else default
        if isinstance(default, bool):
            return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
        if isinstance(default, int):
            return int(raw)
        return str(raw)
    except (TypeError, ValueError):
        return default


def _read_all() -> dict[str, Any]:
    store = _qsettings()
    raw = {key: store.value(key) for key in store.allKeys()}
    version = int(raw.get("schema_version", 0) or 0)
    values = {k: v for k, v in raw.items() if k in DEFAULTS}
    if version < SCHEMA_VERSION:
        values = {k: v for k, v in raw.items()}
        while version < SCHEMA_VERSION:
            values = UPGRADES[version](values)
            version += 1
        store.clear()
        for key, value in values.items():
            if key != "schema_version":
                store.setValue(key, value)
        store.setValue("schema_version", SCHEMA_VERSION)
        store.sync()
    return {key: _decode(key, value) for key, value in values.items() if value is not None}


def read_settings(key: str | None = None) -> Any:
    """One setting (``key``) or all of them as a dict, defaults filled in."""
    if key is not None and key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    values = {**DEFAULTS, **_read_all()}
    values["schema_version"] = SCHEMA_VERSION
    return values if key is None else values[key]


def write_settings(**values: Any) -> None:
    """Store the given settings (unknown keys raise ``KeyError``)."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    store = _qsettings()
    for key, value in values.items():
        store.setValue(key, json.dumps(value) if key in _JSON_KEYS else value)
    store.setValue("schema_version", SCHEMA_VERSION)
    store.sync()
