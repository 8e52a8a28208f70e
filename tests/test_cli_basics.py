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
