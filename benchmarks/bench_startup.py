"""Speed the counselor feels: seconds from starting pmviewer to the main window on screen,
and to the demo patient's findings in the table (``pmviewer --demo``).

Each run is a fresh process (cold imports, fresh settings and cache folders), as a user
starting the program; the median of ``--repeat`` runs is printed with the machine's load
average and the CPU seconds the process used (its own, plus the children it waited for: the
demo's analysis process among them). pmviewer runs from compiled modules, as installed; the
first run of each checkout compiles them and is printed apart. The named peer is the least a Qt program takes to show a window here: a bare
interpreter importing PySide6.QtWidgets and showing an empty QMainWindow, measured in the
same run, interleaved with the pmviewer runs.

    python benchmarks/bench_startup.py [--repeat 5] [--process always] [--process never]
                                       [--compare OTHER_CHECKOUT ...]
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
import json, os, resource, sys, time
start = float(sys.argv[1])

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

from pmviewer.cli import main  # first, as the pmviewer command starts
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
marks = {}
app = QApplication(sys.argv[:1])
if sys.argv[2] == "peer":
    from PySide6.QtWidgets import QMainWindow
    window = QMainWindow(); window.show()
    QTimer.singleShot(0, lambda: (marks.update(shown=time.time() - start, shown_cpu=cpu()), app.quit()))
    app.exec()
    print(json.dumps(marks)); os._exit(0)

def done():
    marks["findings"] = time.time() - start
    marks["findings_cpu"] = cpu()
    print(json.dumps(marks), flush=True)
    os._exit(0)  # the full-table worker may still run: leave without tearing Qt down

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and type(obj).__name__ == "MainWindow":
            if "shown" not in marks:
                marks["shown"] = time.time() - start
                marks["shown_cpu"] = cpu()
                obj.findings_shown.connect(done)
                if hasattr(obj, "ready"):  # older checkouts build everything before showing
                    obj.ready.connect(lambda: marks.setdefault("ready", time.time() - start))
        return False

watch = Watch(); app.installEventFilter(watch)
QTimer.singleShot(120000, app.quit)
main(["--demo"])
"""


def one_run(kind: str, repo: Path = REPO, process: str = "") -> dict[str, float]:
    """``process``: PMVIEWER_ANALYSIS_PROCESS for the run ("": the window's own choice)."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PMVIEWER_ANALYSIS_PROCESS": process, "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config",
               "XDG_CACHE_HOME": f"{home}/.cache", "XDG_DATA_HOME": f"{home}/.local/share",
               "PMVIEWER_HOME": f"{home}/pmviewer", "PYTHONPATH": str(repo),
               "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}  # fmt: skip
        start = time.time()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, repr(start), kind],
            env=env, cwd=repo, capture_output=True, text=True, timeout=180, check=True,
        )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict[str, float]], key: str) -> float:
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else float("nan")


def _runs_text(runs: list[dict[str, float]]) -> str:
    return ", ".join(
        f"{r['shown']:.2f}/{r.get('ready', float('nan')):.2f}/{r['findings']:.2f}" for r in runs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--process", action="append", default=[], choices=["always", "never"],
        help="also measure this checkout with the demo's analysis process forced on or off",
    )  # fmt: skip
    parser.add_argument(
        "--compare", type=Path, action="append", default=[],
        help="another checkout (e.g. a copy of main) measured in the same run, interleaved; "
        "may be given more than once",
    )  # fmt: skip
    args = parser.parse_args()
    # as an installed application runs: from compiled modules (pip writes them at install;
    # with PYTHONDONTWRITEBYTECODE every run compiles pmviewer's sources again)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", tempfile.mkdtemp(prefix="pmviewer-pyc-"))
    print("load before:", " ".join(f"{x:.2f}" for x in os.getloadavg()), "(1, 5, 15 min)")
    checkouts = [(REPO, ""), *((REPO, p) for p in args.process), *((r, "") for r in args.compare)]
    first = [one_run("pmviewer", repo, process) for repo, process in checkouts]
    print("first runs, compiling the modules (not counted):", _runs_text(first))
    peer: list[dict[str, float]] = []
    runs: dict[tuple[Path, str], list[dict[str, float]]] = {c: [] for c in checkouts}
    for _ in range(args.repeat):  # interleaved: all see the same load
        peer.append(one_run("peer"))
        for repo, process in checkouts:
            runs[repo, process].append(one_run("pmviewer", repo, process))
    print("load after: ", " ".join(f"{x:.2f}" for x in os.getloadavg()), "(1, 5, 15 min)")
    peer_shown = _median(peer, "shown")
    print(f"medians of {args.repeat} runs (wall s / CPU s, the CPU of child processes included)")
    print(
        f"  empty Qt window shown (peer)    {peer_shown:5.2f} / {_median(peer, 'shown_cpu'):5.2f}"
    )
    for repo, process in checkouts:
        mine = runs[repo, process]
        shown, findings = _median(mine, "shown"), _median(mine, "findings")
        print(f"  {repo}" + (f", analysis process {process}:" if process else ":"))
        print(
            f"    pmviewer window shown         {shown:5.2f} / {_median(mine, 'shown_cpu'):5.2f}"
            f"  ({shown / peer_shown:.1f}x the peer; target < 1 s)"
        )
        print(f"    review page ready             {_median(mine, 'ready'):5.2f}")
        print(
            f"    demo findings in the table    {findings:5.2f} / "
            f"{_median(mine, 'findings_cpu'):5.2f}  (target < 1.5 s)"
        )
        print("    runs (shown/ready/findings s):", _runs_text(mine))


if __name__ == "__main__":
    main()
