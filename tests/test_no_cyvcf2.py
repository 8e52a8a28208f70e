"""Without cyvcf2 (no Windows wheels) the application still loads, annotates, reports and
shows the window, with the bulk reader alone.

Each check runs in a fresh interpreter where ``import cyvcf2`` fails and
``PMVIEWER_NO_CYVCF2=1`` is set, and compares with what this process (with cyvcf2) gives.
The whole suite can be run once in that mode with ``PMVIEWER_NO_CYVCF2=1``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmviewer.cli import main
from pmviewer.core import vcf
from pmviewer.core.resources import demo_vcf_path

REPO = Path(__file__).resolve().parents[1]
_BLOCK = (
    "import sys; sys.modules['cyvcf2'] = None; sys.modules['cyvcf2.cyvcf2'] = None\nimport runpy\n"
)


def _run_without_cyvcf2(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "no_cyvcf2.py"
    script.write_text(_BLOCK + code + "\nassert sys.modules.get('cyvcf2') is None\n")
    env = dict(
        os.environ, PMVIEWER_NO_CYVCF2="1", PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen"
    )
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )


def _cli(*args: str) -> str:
    return "from pmviewer.cli import main\nsys.exit(main(" + repr(list(args)) + "))\n"


def test_demo_genome_loads_the_same_without_cyvcf2(tmp_path):
    demo = demo_vcf_path()
    out = tmp_path / "frame.parquet"
    regions = [("chr17", 43044295, 43125483), ("chr13", 32315474, 32400266)]
    code = (
        "from pmviewer.core import vcf\n"
        f"vcf.load({str(demo)!r}).frame.to_parquet({str(out)!r})\n"
        f"vcf.load({str(demo)!r}, regions={regions!r}).frame.to_parquet({str(out)!r} + '.r')\n"
    )
    done = _run_without_cyvcf2(code, tmp_path)
    assert done.returncode == 0, done.stderr
    import pandas as pd

    os.environ.pop("PMVIEWER_READER", None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PMVIEWER_READER", "htslib")
        ref = vcf.load(demo)
        ref_regions = vcf.load(demo, regions=regions)
    pd.testing.assert_frame_equal(pd.read_parquet(out), ref.frame)
    got = pd.read_parquet(str(out) + ".r")
    # an index query numbers no records (-1); the scan numbers them: compare the rest
    cols = [c for c in ref.frame.columns if c != "record_index"]
    pd.testing.assert_frame_equal(got[cols], ref_regions.frame[cols])
    assert len(got) > 0


def test_annotate_and_report_without_cyvcf2(tmp_path, capsys):
    demo = demo_vcf_path()
    findings = tmp_path / "findings.json"
    pdf = tmp_path / "report.pdf"
    done = _run_without_cyvcf2(
        "import sys\nfrom pmviewer.cli import main\n"
        f"assert main(['annotate', {str(demo)!r}, '--sex', 'F', '-o', {str(findings)!r}]) == 0\n"
        f"assert main(['report', {str(demo)!r}, '--sex', 'F', '-o', {str(pdf)!r}, "
        "'--timestamp', '2026-11-30T10:15:00+00:00']) == 0\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    reference = tmp_path / "reference.json"
    assert main(["annotate", str(demo), "--sex", "F", "-o", str(reference)]) == 0
    got, want = json.loads(findings.read_text()), json.loads(reference.read_text())
    assert got["findings"] == want["findings"]
    assert len(want["findings"]) > 0
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000


def test_window_opens_and_shows_the_demo_without_cyvcf2(tmp_path):
    png = tmp_path / "window.png"
    done = _run_without_cyvcf2(
        "import pmviewer.ui.app as app\n"
        "from PySide6.QtWidgets import QApplication\n"
        "grab = app.grab_window\n"
        "app.grab_window = lambda w, p: (grab(w, p), QApplication.quit())[0]\n"
        "from pmviewer.cli import main\n"
        f"main(['view', {str(demo_vcf_path())!r}, '--screenshot', {str(png)!r}])\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 10_000
    assert "could not" not in done.stderr.lower()


def test_bcf_is_refused_with_how_to_convert_it(corpus_dir, tmp_path):
    bcf = next(corpus_dir.rglob("*.bcf"))
    done = _run_without_cyvcf2(
        "from pmviewer.core import vcf\nfrom pmviewer.core.errors import InputFileError\n"
        "try:\n"
        f"    vcf.load({str(bcf)!r})\n"
        "except InputFileError as e:\n"
        "    print(e)\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "bcftools view -Oz" in done.stdout and bcf.name in done.stdout
    assert "Traceback" not in done.stdout
