"""The wheel carries the bundled resources, and an installed copy finds them (not the source tree)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel_path,) = out.glob("pmviewer-*.whl")
    return wheel_path


def test_wheel_contains_resources_and_entry_point(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert any(
        n.startswith("pmviewer/resources/knowledge/") and n.endswith(".sqlite") for n in names
    )
    assert any(n.startswith("pmviewer/resources/fonts/") and n.endswith(".ttf") for n in names)
    assert any(n.startswith("pmviewer/resources/demo/") and n.endswith(".vcf.gz") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "pmviewer = pmviewer.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_reads_its_own_bundled_files(wheel, tmp_path):
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:  # install = unpack into site-packages (no deps needed)
        archive.extractall(site)
    probe = (
        "import sqlite3; from pmviewer.core import resources as r;"
        "kb = r.bundled_knowledge_path(); demo = r.demo_vcf_path();"
        "print(kb); print(demo);"
        "assert kb.is_file() and demo.is_file();"
        "con = sqlite3.connect(f'file:{kb}?mode=ro', uri=True);"
        "print(con.execute('select count(*) from clinvar').fetchone()[0])"
    )
    result = subprocess.run(
        [str(python), "-I", "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    kb_path, demo_path, clinvar_rows = result.stdout.split()
    assert kb_path.startswith(site) and demo_path.startswith(site)
    assert not kb_path.startswith(str(REPO))
    assert int(clinvar_rows) > 1000
