"""The genome table in the real window: memory, fill time, sort/filter, stalls, open/close.

Usage::

    python benchmarks/bench_table.py                    # synthetic_4500000.vcf.gz
    python benchmarks/bench_table.py --records 1000000  # quicker (made if missing)
    python benchmarks/bench_table.py path/to/file.vcf.gz --cycles 3

The window runs offscreen with an empty settings folder and opens the file; when the
findings are shown the "All variants" tab is selected (as a click would). Once the full
table is shown it clicks every column header of that view (ascending, then descending,
then ascending again: the first click of a column may build its sort cache on a worker),
applies the filter bar's filters one by one, then closes the window. That is repeated
``--cycles`` times with a new window (open → full table → sort → filter → close).

A 20 ms ``QTimer`` records the gaps between its ticks: a gap well above 20 ms is an
event-loop stall. Prints, with the load average and the ratio to each target (issue #16):

- RSS with the genome's full table shown (< 1.2 GB) and the peak RSS;
- "All variants" filled after the findings (< 10 s);
- every sort and filter: click-to-shown seconds and the main thread's own seconds
  (< 0.3 s once the column's cache exists);
- the largest event-loop stall while loading and while sorting/filtering (< 100 ms), and the
  largest main-thread CPU time of one stall (the part a busy machine does not inflate);
- RSS after each cycle (after cycle 10 within ~5 % of after cycle 2).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
import weakref
from pathlib import Path

from bench_ui_responsiveness import _file_for as synthetic_genome  # made if missing

TICK_MS = 20
TARGETS = {"rss_gb": 1.2, "fill_s": 10.0, "sort_s": 0.3, "stall_s": 0.1, "cycle_drift": 0.05}
FILTERS = {
    "quick filter gene 'G01234'": {"text": "G01234"},
    "quick filter position chr17:43,044,295": {"text": "chr17:43,044,295"},
    "quick filter range chr17:43,000,000-43,100,000": {"text": "chr17:43,000,000-43,100,000"},
    "quick filter rsID rs123456": {"text": "rs123456"},
    "FILTER pass": {"quality": "pass"},
    "FILTER pass + het": {"quality": "pass", "zygosity": "het"},
    "impact HIGH+MODERATE": {"consequence": "impact:HIGH+MODERATE"},
    "consequence missense_variant": {"consequence": "missense_variant"},
    "everything combined": {
        "text": "chr1",
        "quality": "pass",
        "zygosity": "hom",
        "consequence": "impact:HIGH",
    },
    "no filter": {},
}


def rss_gb() -> float:
    """Resident memory of this process now, in GB (``/proc/self/status`` VmRSS)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024**2
    return float("nan")


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Ticks:
    """A 20 ms timer on the main thread that records the gaps between its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        # (end of the gap, gap seconds, main-thread CPU seconds in the gap): on a busy
        # machine a gap is also time the main thread waited for a core; its CPU is not
        self.gaps: list[tuple[float, float, float]] = []
        self._last = 0.0
        self._last_cpu = 0.0
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self._last:
            self.gaps.append((now, now - self._last, cpu - self._last_cpu))
        self._last, self._last_cpu = now, cpu

    def start(self) -> None:
        self._last = 0.0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def largest(self, since: float, until: float = float("inf"), cpu: bool = False) -> float:
        """The largest gap that overlaps ``since``..``until`` (``cpu``: the largest
        main-thread CPU time of one gap there)."""
        return max(
            (c if cpu else g for end, g, c in self.gaps if end > since and end - g < until),
            default=0.0,
        )


def _wait(app, until, timeout: float) -> bool:
    """Run the event loop until ``until()`` is true (or ``timeout`` seconds passed)."""
    deadline = time.perf_counter() + timeout
    while not until():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True


def _busy(model) -> bool:
    """A sort or filter still computed on a worker (older checkouts compute at once)."""
    return bool(getattr(model, "is_busy", lambda: False)())


def _sort_all_columns(app, window, ticks: Ticks, rows: list[str]) -> list[float]:
    """Click every header of the All variants view three times; returns the warm times."""
    from PySide6.QtCore import Qt

    model, header = window.model, window.table.horizontalHeader()
    warm: list[float] = []
    header_text = f"{'sort':<34} {'click→shown s':>14} {'main thread s':>14} {'stall s':>8}"
    rows.append(header_text)
    for i, column in enumerate(model.columns):
        for round_, order in enumerate(
            (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder)
        ):
            started = time.perf_counter()
            # what a header click does (sortByColumn would sort twice: Qt forces a second)
            header.setSortIndicator(i, order)
            own = time.perf_counter() - started
            _wait(app, lambda: not _busy(model), 300)
            shown = time.perf_counter() - started
            app.processEvents()
            stall = ticks.largest(started, time.perf_counter())
            direction = "asc" if order == Qt.SortOrder.AscendingOrder else "desc"
            label = f"{column.title} {direction}{' (first)' if round_ == 0 else ''}"
            rows.append(f"{label:<34} {shown:14.3f} {own:14.3f} {stall:8.3f}")
            if round_:
                warm.append(shown)
    return warm


def _filter_all(app, window, ticks: Ticks, rows: list[str]) -> list[float]:
    bar = window.filter_bar
    times: list[float] = []
    rows.append(f"{'filter':<44} {'shown s':>8} {'main s':>7} {'rows':>10} {'stall s':>8}")
    for label, choice in FILTERS.items():
        started = time.perf_counter()
        bar.apply_preset(choice)  # sets every choice, then applies the filter once
        own = time.perf_counter() - started
        _wait(app, lambda: not _busy(window.model), 300)
        seconds = time.perf_counter() - started
        app.processEvents()
        stall = ticks.largest(started, time.perf_counter())
        times.append(seconds)
        rows.append(
            f"{label:<44} {seconds:8.3f} {own:7.3f} {window.model.visible_count():10,} {stall:8.3f}"
        )
    return times


def one_cycle(app, path: Path, ticks: Ticks, detailed: bool, timeout: float) -> dict:
    """Open → full table → (sort, filter) → close; RSS once the window was deleted."""
    from PySide6.QtCore import QEvent

    figures, kept = _open_use_close(app, path, ticks, detailed, timeout)
    _wait(app, lambda: False, 0.2)
    # deleteLater runs from the event loop; outside app.exec() it is sent explicitly
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    app.processEvents()
    figures["rss_closed_gb"] = rss_gb()
    figures["frames_alive"] = sum(ref() is not None for ref in kept)
    return figures


def _open_use_close(app, path: Path, ticks: Ticks, detailed: bool, timeout: float):
    from PySide6.QtCore import QTimer

    from pmviewer.ui.main_window import MainWindow

    # started as the application starts it: shown at once, the review page built once the
    # data libraries are in, the case store opened before the first file, start-up objects
    # frozen out of the collector's passes
    window = MainWindow(deferred=True)
    window.resize(1400, 900)
    window.show()
    _wait(app, lambda: window.is_ready, 120)
    gc.freeze()  # as the application does once the window is ready
    _wait(app, lambda: False, 0.3)  # the gap of building the window ends before the open
    marks: dict[str, float] = {}

    def findings() -> None:
        marks["findings"] = time.perf_counter()
        all_tab = window.filter_bar._keys.index("all")
        QTimer.singleShot(0, lambda: window.filter_bar.tabs.setCurrentIndex(all_tab))

    window.findings_shown.connect(findings)
    window.all_variants_shown.connect(lambda: marks.setdefault("all", time.perf_counter()))
    window.load_failed.connect(lambda error: marks.setdefault("failed", time.perf_counter()))
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    window.open_file(str(path))
    _wait(app, lambda: "all" in marks or "failed" in marks, timeout)
    _wait(app, lambda: False, 0.3)  # a few more ticks after the table is shown
    figures: dict = {
        "findings_s": marks.get("findings", float("nan")) - t0,
        "fill_s": marks.get("all", float("nan")) - marks.get("findings", float("nan")),
        "load_stall_s": ticks.largest(t0),
        "load_stall_cpu_s": ticks.largest(t0, cpu=True),
        "load_cpu_s": cpu_seconds() - cpu0,
        "rss_shown_gb": rss_gb(),
        "rows": window.model.total_count(),
        "failed": "failed" in marks,
        "report": [],
    }
    if detailed and "all" in marks:
        before = time.perf_counter()
        figures["sort_warm"] = _sort_all_columns(app, window, ticks, figures["report"])
        figures["filters"] = _filter_all(app, window, ticks, figures["report"])
        figures["use_stall_s"] = ticks.largest(before)
        figures["use_stall_cpu_s"] = ticks.largest(before, cpu=True)
        figures["rss_used_gb"] = rss_gb()
    kept = [weakref.ref(frame) for frame, _ in window.frames.values()]
    gc.unfreeze()  # the closed window must be collectable (the application closes only one)
    window.cancel_loading()
    window.close()
    window.deleteLater()
    return figures, kept


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=None)
    ap.add_argument("--records", type=int, default=4_500_000, help="synthetic genome size")
    ap.add_argument("--cycles", type=int, default=10, help="open/close cycles")
    ap.add_argument("--timeout", type=float, default=900.0)
    args = ap.parse_args()
    path = args.path or synthetic_genome(args.records)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PMVIEWER_HOME"] = tempfile.mkdtemp(prefix="pmviewer-table-bench-")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    ticks = Ticks()
    ticks.start()
    print(f"file: {path.name}; RSS before the first window {rss_gb():.2f} GB")
    cycles = []
    for cycle in range(1, args.cycles + 1):
        figures = one_cycle(app, path, ticks, detailed=cycle == 1, timeout=args.timeout)
        cycles.append(figures)
        print(
            f"cycle {cycle:2d}: findings {figures['findings_s']:6.2f} s, All variants "
            f"+{figures['fill_s']:6.2f} s ({figures['rows']:,} rows), load CPU "
            f"{figures['load_cpu_s']:6.1f} s, largest stall {figures['load_stall_s']:.3f} s, "
            f"RSS shown {figures['rss_shown_gb']:.2f} GB, after close "
            f"{figures['rss_closed_gb']:.2f} GB, frames still alive "
            f"{figures['frames_alive']}   (load {os.getloadavg()[0]:.2f})",
            flush=True,
        )
        if figures["failed"]:
            print("loading failed", file=sys.stderr)
            return 1
        if cycle == 1:
            print("\n".join(figures["report"]), flush=True)
    ticks.stop()
    first = cycles[0]
    print(
        f"\nload average {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)"
    )
    print(f"{'figure':<52} {'measured':>10} {'target':>8} {'ratio':>6}")

    def line(label: str, value: float, target: float) -> None:
        print(f"{label:<52} {value:10.3f} {target:8.3f} {value / target:6.2f}")

    line("RSS with the full table shown, GB", first["rss_shown_gb"], TARGETS["rss_gb"])
    line("RSS after sorting and filtering, GB", first.get("rss_used_gb", 0), TARGETS["rss_gb"])
    line("peak RSS of the run, GB", peak_rss_gb(), TARGETS["rss_gb"])
    line('"All variants" filled after findings, s', first["fill_s"], TARGETS["fill_s"])
    line("slowest warm sort, s", max(first.get("sort_warm") or [0]), TARGETS["sort_s"])
    line("slowest filter, s", max(first.get("filters") or [0]), TARGETS["sort_s"])
    line("largest stall while loading, s", first["load_stall_s"], TARGETS["stall_s"])
    line(
        "largest stall while sorting/filtering, s", first.get("use_stall_s", 0), TARGETS["stall_s"]
    )
    # the main thread's own CPU in its longest-running gap: what a quiet machine would see
    line(
        "  main-thread CPU of one stall, loading, s", first["load_stall_cpu_s"], TARGETS["stall_s"]
    )
    line(
        "  main-thread CPU of one stall, sorting/filtering, s",
        first.get("use_stall_cpu_s", 0),
        TARGETS["stall_s"],
    )
    if len(cycles) >= 3:
        base, last = cycles[1]["rss_closed_gb"], cycles[-1]["rss_closed_gb"]
        drift = (last - base) / base
        print(
            f"RSS after close: cycle 2 {base:.2f} GB, cycle {len(cycles)} {last:.2f} GB "
            f"(drift {drift:+.1%}, target within ±{TARGETS['cycle_drift']:.0%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
