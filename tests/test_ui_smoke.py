"""Start-up smoke test: ``pmviewer FILE --screenshot PNG`` in a subprocess (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from pmviewer.core.resources import demo_vcf_path

ACTIONABLE = "h_actionable/cpsr__example.vcf.gz"


def test_viewer_starts_loads_and_saves_a_screenshot(tmp_path, corpus_dir, _isolated_user_dirs):
    demo = demo_vcf_path()
    args = [str(demo)] if demo.exists() else [str(corpus_dir / ACTIONABLE), "--build", "GRCh37"]
    shot = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pmviewer", *args, "--screenshot", str(shot)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not shot.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.3)
        assert process.poll() is None, process.communicate()[0]  # still running after the shot
        assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 10_000
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert "Traceback" not in output
