import subprocess
import sys

from pmviewer import __version__
from pmviewer.cli import main


def test_version_flag_prints_the_package_version(capsys):
    try:
        main(["--version"])
    except SystemExit as stop:
        assert stop.code == 0
    assert __version__ in capsys.readouterr().out


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "pmviewer", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("annotate", "report", "kb"):
        assert command in out.stdout


def test_an_unexpected_fault_is_logged_not_shown(monkeypatch, capsys, _isolated_user_dirs):
    import pmviewer.commands.kb as kb_command

    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(kb_command, "run", broken)
    assert main(["kb", "info"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pmviewer: internal error:") and "Traceback" not in err
    log = _isolated_user_dirs / "data" / "logs" / "pmviewer-errors.log"
    text = log.read_text()  # the type and code locations; messages are withheld (privacy)
    assert "builtins.ZeroDivisionError (message withheld)" in text and "broken" in text
    assert "boom" not in text
