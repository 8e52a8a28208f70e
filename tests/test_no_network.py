"""pmviewer opens no network sockets, ever: every headless command runs under strace and the
trace must show no AF_INET/AF_INET6 socket and no connect() outside the local machine."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pmviewer.core.resources import demo_vcf_path

NETWORK_SOCKET = re.compile(r"socket\((AF_INET|AF_INET6|PF_INET|PF_INET6)")
CONNECT = re.compile(r"connect\(\d+, \{sa_family=(AF_INET|AF_INET6)")


def _traced(args: list[str], tmp_path: Path, name: str) -> str:
    if shutil.which("strace") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("strace is missing: the quick start installs it")
        pytest.skip("strace not installed")
    log = tmp_path / f"{name}.strace"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect",
            "-o",
            str(log),
            sys.executable,
            "-m",
            "pmviewer",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return log.read_text()


def test_annotate_and_report_open_no_network_socket(tmp_path):
    demo = str(demo_vcf_path())
    traces = {
        "annotate": _traced(
            ["annotate", demo, "-o", str(tmp_path / "f.json")], tmp_path, "annotate"
        ),
        "report": _traced(["report", demo, "-o", str(tmp_path / "r.pdf")], tmp_path, "report"),
        "kb-info": _traced(["kb", "info"], tmp_path, "kb"),
    }
    for name, trace in traces.items():
        assert not NETWORK_SOCKET.search(trace), f"{name} opened a network socket:\n{trace}"
        assert not CONNECT.search(trace), f"{name} connected to the network:\n{trace}"
    assert (tmp_path / "r.pdf").stat().st_size > 1000


def test_viewer_opens_no_network_socket(tmp_path):
    """The real window, offscreen, loads the demo patient under strace."""
    if shutil.which("strace") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("strace is missing: the quick start installs it")
        pytest.skip("strace not installed")
    import time

    log, shot = tmp_path / "viewer.strace", tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        ["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(log),
         sys.executable, "-m", "pmviewer", "--demo", "--screenshot", str(shot)],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not shot.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # the "All variants" table and idle work after the first paint
        assert shot.exists(), "the viewer did not finish loading the demo patient"
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # strace and the traced viewer together
        process.wait(timeout=30)
    trace = log.read_text()
    assert not NETWORK_SOCKET.search(trace), f"the viewer opened a network socket:\n{trace}"
    assert not CONNECT.search(trace), f"the viewer connected to the network:\n{trace}"
