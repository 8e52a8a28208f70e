"""The error log is private (0600 in a 0700 folder) and holds no patient identifiers."""

from __future__ import annotations

import os

from pmviewer.core.error_log import error_log_path


def test_cli_internal_error_is_logged_privately_without_patient_text(monkeypatch, capsys):
    from pmviewer import cli
    from pmviewer.commands import annotate

    folder = error_log_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)  # an older install's folder

    def explode(args):
        raise RuntimeError("sample Jane_Doe in /cases/Jane Doe 1980-04-12/patient.vcf")

    monkeypatch.setattr(annotate, "run", explode)
    assert cli.main(["annotate", "x.vcf"]) == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "Jane" not in err and "Traceback" not in err
    log = error_log_path()
    text = log.read_text()
    assert "RuntimeError (message withheld)" in text and "explode" in text
    assert "Jane" not in text and "/cases/" not in text
    assert log.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
