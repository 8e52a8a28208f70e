"""``pmviewer batch INPUT... --out DIR``: annotate and report every input and every sample
of a multi-sample file on Dask, with one JSON and one draft PDF per (file, sample) and
``DIR/summary.tsv``.

- Default: a local Dask cluster on this machine, listening on 127.0.0.1 only.
- ``--scheduler tcp://HOST:PORT``: use a running dask.distributed cluster (the workers
  need pmviewer installed and read access to the inputs and to ``DIR``).
- ``--serial``: no cluster and no sockets at all, one job after the other.
- Resumable: a (file, sample, knowledge version) finished in an earlier run is skipped.
- A file that cannot be read is an error row in the summary, never a stopped batch.

Exit status 0: every job done or skipped; 3: the batch finished with error rows (see the
summary); 2: the command could not start. The reports are drafts: a batch has no review,
no patient details and no sign-off.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from pmviewer.commands.batch_jobs import BatchSettings, run_job
from pmviewer.core.batch import BatchJob, Ledger, SummaryRow, plan_jobs, summary_tsv
from pmviewer.core.errors import PmviewerError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="VCF, VCF.gz or BCF files")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the results")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="use a running dask.distributed cluster"
    )
    where.add_argument("--serial", action="store_true", help="run here, one job at a time")
    parser.add_argument(
        "--workers", type=int, default=0, help="local cluster size (default: one per CPU)"
    )
    parser.add_argument(
        "--knowledge", metavar="FILE", help="use another knowledge file than the bundled one"
    )
    parser.add_argument(
        "--plain-pdf", action="store_true", help="plain PDF reports instead of PDF/A-3b"
    )
    parser.add_argument(
        "--timestamp", metavar="ISO", help="report date-time printed on every report"
    )
    parser.add_argument("--rerun", action="store_true", help="run finished jobs again")


# exit status of a batch that finished but has error rows (2 is a refused command line)
EXIT_WITH_ERROR_ROWS = 3

# ------------------------------------------------------------------------------- engines
Runner = Callable[[list[BatchJob], BatchSettings], Iterator[SummaryRow]]


def run_serial(jobs: list[BatchJob], settings: BatchSettings) -> Iterator[SummaryRow]:
    for job in jobs:
        yield run_job(job, settings)


def run_on_dask(
    jobs: list[BatchJob], settings: BatchSettings, *, scheduler: str | None, workers: int
) -> Iterator[SummaryRow]:
    """Jobs on a Dask cluster, results as they finish. A local cluster binds 127.0.0.1 only
    and has no dashboard."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise PmviewerError(
            "Running a batch on Dask needs dask.distributed, which is not installed: "
            "install pmviewer with its batch extra (pip install 'pmviewer[batch]'), "
            "or run the batch here one job at a time with --serial."
        ) from error

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise PmviewerError(
                f"No Dask scheduler answered at {scheduler} ({error}). Check the address, "
                "or leave out --scheduler to use a local cluster."
            ) from error
    else:
        import os

        count = workers or max(1, min(len(jobs), os.cpu_count() or 1))
        cluster = LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
    try:
        futures = client.map(run_job, jobs, settings=settings, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------------------- progress
class Progress:
    """A one-line progress bar on stderr (a line per job when stderr is not a terminal)."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.errors = total, 0, 0
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()

    def step(self, row: SummaryRow) -> None:
        self.done += 1
        self.errors += row.status == "error"
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        name = Path(row.file).name + (f" [{row.sample}]" if row.sample else "")
        line = f"[{bar}] {self.done}/{self.total} {row.status}: {name}"
        if self.tty:
            print(f"\r{line[:120]:<120}", end="", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)


# ------------------------------------------------------------------------------- run
def _knowledge_identity(path: str | None) -> tuple[str, str]:
    from pmviewer.core.knowledge import open_knowledge

    meta = open_knowledge(path).metadata()
    return str(meta.get("version") or ""), str(meta.get("content_sha256") or "")


def run_batch(
    inputs: list[str],
    settings: BatchSettings,
    runner: Runner,
    *,
    rerun: bool = False,
) -> list[SummaryRow]:
    """Plan, skip what is finished, run the rest with ``runner``, write ``summary.tsv``."""
    from pmviewer.core.safe_write import write_atomic

    out = Path(settings.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    version, sha = _knowledge_identity(settings.knowledge)
    jobs = plan_jobs(inputs)
    ledger = Ledger(out)
    rows: dict[int, SummaryRow] = {}
    todo: list[BatchJob] = []
    for index, job in enumerate(jobs):
        if job.error:  # the header could not be read: an error row, no worker needed
            rows[index] = run_job(job, settings)
            continue
        earlier = None if rerun else ledger.finished(job.key(version, sha))
        if earlier is not None:
            rows[index] = replace(earlier, status="skipped")
        else:
            todo.append(job)
    skipped = sum(r.status == "skipped" for r in rows.values())
    if skipped:
        print(
            f"pmviewer: {skipped} of {len(jobs)} job(s) finished in an earlier run are "
            "skipped (--rerun runs them again).",
            file=sys.stderr,
        )
    for row in rows.values():
        if row.status == "error":
            print(f"pmviewer: error: {Path(row.file).name}: {row.error}", file=sys.stderr)
    positions = {(job.path, job.sample): i for i, job in enumerate(jobs)}
    keys = {(job.path, job.sample): job.key(version, sha) for job in jobs}
    progress = Progress(len(todo))
    try:
        for row in runner(todo, settings) if todo else iter(()):
            where = (row.file, row.sample)
            rows[positions[where]] = row
            ledger.record(keys[where], row)
            progress.step(row)
    finally:
        progress.close()
        ordered = [rows[i] for i in sorted(rows)]
        write_atomic(out / "summary.tsv", summary_tsv(ordered).encode("utf-8"))
    return ordered


def run(args: argparse.Namespace) -> int:
    from pmviewer.commands.report import _timestamp

    settings = BatchSettings(
        out_dir=str(Path(args.out).resolve()),
        knowledge=str(Path(args.knowledge).resolve()) if args.knowledge else None,
        archival=not args.plain_pdf,
        generated_at=_timestamp(args.timestamp).isoformat(),
    )
    if args.workers < 0:
        raise PmviewerError("--workers must be 1 or more (0 means one per CPU).")
    if args.serial:
        runner: Runner = run_serial
    else:

        def runner(jobs: list[BatchJob], s: BatchSettings) -> Iterator[SummaryRow]:
            return run_on_dask(jobs, s, scheduler=args.scheduler, workers=args.workers)

    rows = run_batch(args.inputs, settings, runner, rerun=args.rerun)
    errors = sum(r.status == "error" for r in rows)
    done = sum(r.status == "done" for r in rows)
    skipped = sum(r.status == "skipped" for r in rows)
    print(
        f"pmviewer: batch finished: {done} done, {skipped} skipped, {errors} error(s); "
        f"summary in {Path(args.out) / 'summary.tsv'}",
        file=sys.stderr,
    )
    return EXIT_WITH_ERROR_ROWS if errors else 0
