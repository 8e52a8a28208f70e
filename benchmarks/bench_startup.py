"""Speed the counselor feels: seconds from starting pmviewer to the window on screen, and to
the demo patient's findings in the table (``pmviewer --demo``).

Each run is a fresh process (cold imports, fresh settings and cache folders), as a user
starting the program; the median of ``--repeat`` runs is printed with the machine's load.
The first window is the start-up card (under a real display; offscreen it is the main
window). The named peer is the bare interpreter: ``python -c "import PySide6.QtWidgets"`` plus an
empty window, the least a Qt program can take to show a window here.

    python benchmarks/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, time
start = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
marks = {}
app = QApplication(sys.argv[:1])
if sys.argv[2] == "peer":
    from PySide6.QtWidgets import QMainWindow
    window = QMainWindow(); window.show()
    QTimer.singleShot(0, lambda: (marks.__setitem__("first", time.time() - start), app.quit()))
    app.exec()
    marks["shown"] = marks["first"]
    print(json.dumps(marks)); os._exit(0)

def done():
    marks["findings"] = time.time() - start
    print(json.dumps(marks), flush=True)
    os._exit(0)  # the full-table worker may still run: leave without tearing Qt down

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and obj.isWidgetType() and obj.isWindow():
            marks.setdefault("first", time.time() - start)
            if type(obj).__name__ == "MainWindow" and "shown" not in marks:
                marks["shown"] = time.time() - start
                obj.findings_shown.connect(done)
        return False

watch = Watch(); app.installEventFilter(watch)
QTimer.singleShot(60000, app.quit)
from pmviewer.cli import main
main(["--demo"])
"""


def one_run(kind: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config",
               "XDG_CACHE_HOME": f"{home}/.cache", "XDG_DATA_HOME": f"{home}/.local/share",
               "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}  # fmt: skip
        start = time.time()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, repr(start), kind],
            env=env, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    peer = [one_run("peer")["shown"] for _ in range(args.repeat)]
    runs = [one_run("pmviewer") for _ in range(args.repeat)]
    first = statistics.median(r["first"] for r in runs)
    shown = statistics.median(r["shown"] for r in runs)
    findings = statistics.median(r["findings"] for r in runs)
    peer_shown = statistics.median(peer)
    print(f"empty Qt window shown (peer)   {peer_shown:6.2f} s")
    print(
        f"first pmviewer window on screen {first:5.2f} s  ({first / peer_shown:.1f}x the peer; target < 1 s)"
    )
    print(f"main window shown              {shown:6.2f} s")
    print(f"demo findings in the table     {findings:6.2f} s  (target < 1.5 s)")
    print(
        "runs (first/main/findings):",
        ", ".join(f"{r['first']:.2f}/{r['shown']:.2f}/{r['findings']:.2f}" for r in runs),
    )


if __name__ == "__main__":
    main()
