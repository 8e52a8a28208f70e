"""Settings file and the opt-in recent-files list (each test has its own PMVIEWER_HOME)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from pmviewer.ui import recent_files
from pmviewer.ui.settings import (
    DEFAULTS,
    SCHEMA_VERSION,
    read_settings,
    settings_path,
    write_settings,
)


def test_defaults_and_round_trip(qapp, _isolated_user_dirs):
    assert settings_path().is_relative_to(_isolated_user_dirs)
    assert read_settings() == DEFAULTS
    write_settings(column_layout={"findings": "AAAA"}, last_directory="/data")
    assert read_settings("column_layout") == {"findings": "AAAA"}
    assert read_settings("last_directory") == "/data"
    assert f"schema_version={SCHEMA_VERSION}" in settings_path().read_text()


def test_unknown_keys_are_rejected(qapp):
    with pytest.raises(KeyError):
        write_settings(patient_name="x")
    with pytest.raises(KeyError):
        read_settings("no_such_setting")


def test_old_file_is_upgraded(qapp):
    store = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    store.setValue("recent_files", '["/old/patient.vcf"]')  # written before versioning
    store.setValue("obsolete_key", "1")
    store.sync()
    values = read_settings()
    assert values["recent_files"] == [] and values["schema_version"] == SCHEMA_VERSION
    text = settings_path().read_text()
    assert "obsolete_key" not in text and "/old/patient.vcf" not in text


def test_recent_files_are_opt_in_and_clearable(qapp, tmp_path):
    vcf = tmp_path / "p.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n")
    recent_files.add_recent(str(vcf))
    assert recent_files.recent_files() == []  # not remembered without opting in
    recent_files.set_enabled(True)
    recent_files.add_recent(str(vcf))
    recent_files.add_recent(str(vcf))
    assert recent_files.recent_files() == [str(vcf.resolve())]
    recent_files.clear_recent()
    assert recent_files.recent_files() == []
    recent_files.add_recent(str(vcf))
    recent_files.set_enabled(False)  # turning it off forgets the list
    assert read_settings("recent_files") == []
