"""Event-loop stalls of the real window while it opens a genome, from open to "All variants".

Usage::

    python benchmarks/bench_ui_responsiveness.py                   # synthetic_4500000.vcf.gz
    python benchmarks/bench_ui_responsiveness.py --records 1500000 # that synthetic genome
    python benchmarks/bench_ui_responsiveness.py path/to/file.vcf.gz [--trace 0.15]

The window runs offscreen (``QT_QPA_PLATFORM=offscreen``) with an empty settings folder.
A 20 ms ``QTimer`` records the gap between consecutive ticks; a gap well above 20 ms means
the main thread could not run (its own work, or a worker holding the GIL). The "All
variants" tab is selected as soon as the findings are shown, so the full table is shown as
soon as it is ready. Prints the time to findings and to the full table, the largest and
99th-percentile gap, and the top gaps with the phase they fell in (worker, progress, status).

``--trace SECONDS``: on every tick the C-level ``faulthandler`` watchdog is re-armed; when
the loop stalls longer than SECONDS it dumps every thread's stack (it needs no GIL), so the
call holding the GIL is named. The dumps are summarised (innermost pmviewer frames).
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "data" / "synthetic_4500000.vcf.gz"
TICK_MS = 20


def _file_for(records: int) -> Path:
    path = HERE / "data" / f"synthetic_{records}.vcf.gz"
    if not path.exists():
        import subprocess

        subprocess.run(
            [sys.executable, str(HERE / "make_synthetic_genome.py"), "--records", str(records)],
            check=True,
        )
    return path


def _summarise_dumps(text: str, top: int = 12) -> list[tuple[int, str]]:
    """Count the innermost pmviewer/pandas/pyarrow frames of the non-timer threads."""
    counts: Counter[str] = Counter()
    for dump in re.split(r"(?=Thread 0x)|(?=Current thread 0x)", text):
        lines = [ln.strip() for ln in dump.splitlines() if ln.strip().startswith("File ")]
        if not lines or "bench_ui_responsiveness" in lines[0]:
            continue  # the main thread idle in the event loop (or in our tick handler)
        frames = [
            re.sub(r'^File "(.*?)", line (\d+) in (.*)$', r"\1:\2 \3", ln)
            for ln in lines[:6]
            if "threading.py" not in ln
        ]
        short = " <- ".join(re.sub(r"^.*/(site-packages|work/main)/", "", f) for f in frames[:3])
        if short:
            counts[short] += 1
    return counts.most_common(top)


# main-thread handlers whose duration is recorded, to tell their own work from GIL waits
_TIMED = {
    "pmviewer.ui.file_loading:FileLoader": (
        "_analysis_ready",
        "_show_findings",
        "_after_findings",
        "_all_ready",
    ),
    "pmviewer.ui.table_views:TableViews": ("show_view", "select_row"),
    "pmviewer.ui.review_session:ReviewSession": ("attach", "selected_rows"),
    "pmviewer.ui.variant_table_model:VariantTableModel": ("set_frame",),
    "pmviewer.ui.variant_table_model": ("filter_mask",),
    # functions the window imported by name
    "pmviewer.core.evidence": ("with_finding_categories",),
    "pmviewer.ui.table_views": ("consequence_terms",),
    "pmviewer.ui.detail_panel": ("finding_row",),
}


def _time_main_thread_calls() -> list[tuple[float, float, str]]:
    """Wrap the handlers of :data:`_TIMED`; returns the list (start, seconds, name) that the
    calls made on the main thread append to."""
    import functools
    import importlib
    import threading

    calls: list[tuple[float, float, str]] = []
    main_thread = threading.main_thread()
    for target, names in _TIMED.items():
        module_name, _, class_name = target.partition(":")
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name) if class_name else module
        for name in names:
            original = getattr(owner, name, None)
            if original is None:
                continue

            def timed(*a, __f=original, __n=f"{class_name or module_name}.{name}", **kw):
                if threading.current_thread() is not main_thread:
                    return __f(*a, **kw)
                start = time.perf_counter()
                try:
                    return __f(*a, **kw)
                finally:
                    calls.append((start, time.perf_counter() - start, __n))

            setattr(owner, name, functools.wraps(original)(timed))
    return calls


def _record_gc(calls: list[tuple[float, float, str]]) -> None:
    """Add every garbage collection longer than 10 ms (any thread: it holds the GIL)."""
    import gc
    import threading

    started: dict[str, float] = {}

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            seconds = time.perf_counter() - started.pop("t")
            where = "main" if threading.current_thread() is threading.main_thread() else "worker"
            calls.append(
                (time.perf_counter() - seconds, seconds, f"gc gen{info['generation']} ({where})")
            )

    gc.callbacks.append(callback)


def _count_worker_yields() -> list[float]:
    """Seconds each worker spent stepping aside for the main thread (appended per wait)."""
    from pmviewer.ui import workers

    waits: list[float] = []
    if not hasattr(workers, "GuiHeartbeat"):  # an older checkout, for before/after figures
        return waits
    original = workers.GuiHeartbeat.yield_if_busy

    def counted(self, cancel=None):
        start = time.perf_counter()
        original(self, cancel)
        waited = time.perf_counter() - start
        if waited > 0.001:
            waits.append(waited)

    workers.GuiHeartbeat.yield_if_busy = counted
    return waits


class MainThreadSampler:
    """A Python thread that records the main thread's stack every ``interval`` seconds.

    The interpreter hands the GIL to a waiting thread every switch interval (5 ms), so the
    sampler runs while the main thread executes Python, and reads its stack where it is
    stuck in a call into Qt (PySide releases the GIL there) or waits for the GIL (then the
    sample names the line it waits at; the other threads' samples tell which one held it).
    """

    def __init__(self, interval: float = 0.004) -> None:
        import threading

        self.interval = interval
        self.samples: list[tuple[float, str, str]] = []  # (time, main stack, other threads)
        self._stop = threading.Event()
        self._main = threading.main_thread().ident
        self._thread = threading.Thread(target=self._run, name="stall sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _stack(frame, depth: int = 8) -> str:
        import traceback

        entries = traceback.extract_stack(frame)[::-1]
        wanted = [e for e in entries if "pmviewer" in e.filename or "bench_" not in e.filename]
        return " <- ".join(f"{Path(e.filename).stem}:{e.lineno} {e.name}" for e in wanted[:depth])

    def _run(self) -> None:
        import threading

        me = threading.get_ident()
        while not self._stop.wait(self.interval):
            frames = sys._current_frames()
            main = frames.get(self._main)
            if main is None:
                continue
            others = " | ".join(
                self._stack(f, 3) for ident, f in frames.items() if ident not in (me, self._main)
            )
            self.samples.append((time.perf_counter(), self._stack(main), others))

    def inside(self, start: float, end: float, top: int = 6) -> list[tuple[int, str]]:
        """The most frequent main-thread stacks sampled between ``start`` and ``end``."""
        counts = Counter(
            stack or f"(no Python; other threads: {others or '-'})"
            for at, stack, others in self.samples
            if start <= at <= end
        )
        return [(n, stack) for stack, n in counts.most_common(top)]


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=None)
    ap.add_argument("--records", type=int, default=None, help="synthetic genome size")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument(
        "--trace", type=float, default=0.0, help="sample stacks every SECONDS of a stall"
    )
    ap.add_argument(
        "--sample", action="store_true", help="name the main thread's calls in each top gap"
    )
    ap.add_argument("--dump", type=Path, default=None, help="keep the raw stack dumps here")
    ap.add_argument("--switch-interval", type=float, default=None, help="sys.setswitchinterval")
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument(
        "--no-freeze", action="store_true", help="leave start-up objects to the collector"
    )
    args = ap.parse_args()
    path = args.path or (_file_for(args.records) if args.records else DEFAULT)
    if not path.exists():
        print(f"{path} is missing: run benchmarks/make_synthetic_genome.py", file=sys.stderr)
        return 2

    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PMVIEWER_HOME"] = tempfile.mkdtemp(prefix="pmviewer-ui-bench-")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pmviewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    main_calls = _time_main_thread_calls()
    _record_gc(main_calls)
    yields = _count_worker_yields()
    # started as the application starts it: shown at once, the review page built once the
    # data libraries are imported, start-up objects frozen out of the collector's passes
    window = MainWindow(deferred=True)
    window.resize(1400, 900)
    window.show()
    while not window.is_ready:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()  # the case store opens on the turn after ready
    if not args.no_freeze:
        import gc

        gc.freeze()

    gaps: list[tuple[float, float, str]] = []  # (gap, time since open, phase)
    gap_cpu: dict[float, float] = {}  # time since open -> main-thread CPU seconds in the gap
    last_cpu = [0.0]
    marks: dict[str, float] = {}
    progress = {"value": ""}
    dump_file = (
        open(args.dump, "w+", encoding="utf-8")  # noqa: SIM115 - closed at exit
        if args.dump
        else tempfile.NamedTemporaryFile("w+", prefix="pmviewer-stalls-", suffix=".txt")
    )
    last = [0.0]

    def phase() -> str:
        worker = window.worker
        name = worker.name if worker is not None else "-"
        return f"{name} {progress['value']} {window.load_status_text()!r}"

    def _tick() -> None:
        now = time.perf_counter()
        hook_worker()
        cpu = time.thread_time()
        if last[0]:
            gaps.append((now - last[0], now - t0, phase()))
            gap_cpu[now - t0] = cpu - last_cpu[0]
        last[0], last_cpu[0] = now, cpu
        if args.trace:
            # re-armed on every tick: fires only while the loop is stalled, then every
            # ``trace`` seconds until it runs again (a sampling profiler of the stalls)
            faulthandler.dump_traceback_later(args.trace, repeat=True, file=dump_file)

    def on_progress(done: int, total: int) -> None:
        progress["value"] = f"{done}/{total}"

    # the status text shown under the table (load_status is a widget of the window)
    def status_text() -> str:
        status = getattr(window, "load_status", None)
        for attr in ("text", "label"):
            widget = getattr(status, attr, None)
            if callable(getattr(widget, "text", None)):
                return widget.text()[:40]
        return ""

    window.load_status_text = status_text  # type: ignore[attr-defined]

    def hook_worker() -> None:
        worker = window.worker
        if worker is not None and not getattr(worker, "_bench_hooked", False):
            worker._bench_hooked = True  # type: ignore[attr-defined]
            progress["value"] = ""  # the previous worker's last report no longer applies
            worker.signals.progress.connect(on_progress)

    def findings() -> None:
        marks["findings"] = time.perf_counter() - t0
        # as a click would: in its own event, after the findings view was painted
        all_tab = window.filter_bar._keys.index("all")
        QTimer.singleShot(0, lambda: window.filter_bar.tabs.setCurrentIndex(all_tab))
        hook_worker()

    def done() -> None:
        marks["all"] = time.perf_counter() - t0
        QTimer.singleShot(200, app.quit)  # a few more ticks after the table is shown

    def failed(error) -> None:
        marks["failed"] = time.perf_counter() - t0
        print(f"loading failed: {error!r}", file=sys.stderr)
        app.quit()

    window.findings_shown.connect(findings)
    window.all_variants_shown.connect(done)
    window.load_failed.connect(failed)
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(_tick)
    QTimer.singleShot(int(args.timeout * 1000), app.quit)

    sampler = MainThreadSampler() if args.sample else None
    if sampler is not None:
        sampler.start()
    load_at_start = os.getloadavg()[0]
    t0 = time.perf_counter()
    window.open_file(str(path))
    hook_worker()
    timer.start()
    app.exec()
    timer.stop()
    faulthandler.cancel_dump_traceback_later()
    if sampler is not None:
        sampler.stop()

    if "all" not in marks:
        print("the full table was not shown", file=sys.stderr)
    values = sorted(g for g, _, _ in gaps)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))] if values else 0.0
    print(f"file: {path.name}")
    print(f"load average at start: {load_at_start:.2f}, at end: {os.getloadavg()[0]:.2f}")
    print(f"CPU seconds of this process: {_cpu_seconds():.2f}")
    print(f"time to findings:   {marks.get('findings', float('nan')):.2f} s")
    print(f"time to full table: {marks.get('all', float('nan')):.2f} s")
    print(f"ticks: {len(gaps)} (every {TICK_MS} ms)")
    print(f"max gap: {values[-1] if values else 0:.3f} s   p99 gap: {p99:.3f} s")
    print(f"gaps > 0.1 s: {sum(g > 0.1 for g in values)}; > 0.2 s: {sum(g > 0.2 for g in values)}")
    # on a busy machine a gap includes waits for a core; the main thread's CPU does not
    print(f"largest main-thread CPU in one gap: {max(gap_cpu.values(), default=0):.3f} s")
    print(f"workers stepped aside for the main thread: {len(yields)} times, {sum(yields):.2f} s")
    print("top gaps (seconds, at time since open, phase at the end of the gap):")
    for gap, at, where in sorted(gaps, reverse=True)[: args.top]:
        print(f"  {gap:6.3f} s at {at:7.2f} s  (main thread CPU {gap_cpu[at]:.3f} s)  {where}")
        inside = [
            f"{name} {seconds:.3f} s"
            for start, seconds, name in main_calls
            if seconds > 0.01 and at - gap - 0.001 <= start - t0 <= at
        ]
        if inside:
            print(f"{'':22s}during the gap: {', '.join(inside)}")
        if sampler is not None and gap > 0.05:
            for count, stack in sampler.inside(t0 + at - gap, t0 + at):
                print(f"{'':22s}{count:3d} x {stack}")
    if args.trace:
        dump_file.seek(0)
        text = dump_file.read()
        n = text.count("Timeout (")
        print(f"stack samples every {args.trace} s of a stall: {n}; innermost frames of the")
        print("threads not idle (main thread and workers), most frequent first:")
        for count, (frames) in ((c, f) for f, c in _summarise_dumps(text)):
            print(f"  {count:3d}  {frames}")
    window.cancel_loading()
    return 0 if "all" in marks else 1


if __name__ == "__main__":
    sys.exit(main())
