"""Batch throughput (samples per minute): serial in one process vs a local Dask cluster.

Inputs are copies of the bundled demo VCF (one sample each) and, when ../shared is present,
of PharmCAT's two-sample example (``b_multisample/pharmcat__docs_multisample.vcf``), so a
run mixes single- and multi-sample files. Every sample is annotated and gets a findings
JSON and a PDF/A-3b report with the FHIR bundle attached, exactly as ``pmviewer batch``.

Prints the load average, samples/min for serial and for the local cluster (cluster start-up
included, and timed on its own), and the ratio cluster/serial.

Usage: .venv/bin/python benchmarks/bench_batch.py [--samples 16] [--workers 2] [--plain-pdf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from pmviewer.commands.batch import run_batch, run_on_dask, run_serial
from pmviewer.commands.batch_jobs import BatchSettings
from pmviewer.core.resources import demo_vcf_path

MULTISAMPLE = (
    Path(__file__).resolve().parents[1].parent
    / "shared/testdata/vcf/b_multisample/pharmcat__docs_multisample.vcf"
)


def make_inputs(folder: Path, samples: int) -> list[str]:
    paths: list[str] = []
    count = 0
    n = 0
    while count < samples:
        if MULTISAMPLE.exists() and n % 4 == 3 and samples - count >= 2:
            target = folder / f"multi{n}.vcf"
            shutil.copyfile(MULTISAMPLE, target)
            count += 2
        else:
            target = folder / f"demo{n}.vcf.gz"
            shutil.copyfile(demo_vcf_path(), target)
            count += 1
        paths.append(str(target))
        n += 1
    return paths


def run(inputs: list[str], out: Path, runner, archival: bool) -> tuple[float, int]:
    settings = BatchSettings(
        out_dir=str(out), archival=archival, generated_at="2026-11-30T10:15:00+00:00"
    )
    start = time.perf_counter()
    rows = run_batch(inputs, settings, runner)
    elapsed = time.perf_counter() - start
    assert all(r.status == "done" for r in rows), [r.error for r in rows if r.error]
    return elapsed, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plain-pdf", action="store_true")
    args = parser.parse_args()
    archival = not args.plain_pdf
    os.environ.setdefault("PMVIEWER_HOME", tempfile.mkdtemp(prefix="pmviewer-bench-home-"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = make_inputs(folder, args.samples)
        print(f"load average before: {os.getloadavg()[0]:.2f} (cpus: {os.cpu_count()})")
        print(
            f"{len(inputs)} files, {args.samples} samples, reports: {'PDF/A-3b + FHIR' if archival else 'plain PDF'}"
        )

        serial_s, n = run(inputs, folder / "serial", run_serial, archival)
        print(
            f"serial (one process):        {serial_s:7.1f} s  {60 * n / serial_s:6.1f} samples/min"
        )

        from distributed import LocalCluster

        start = time.perf_counter()
        with LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        ):
            startup = time.perf_counter() - start

        def dask_runner(jobs, settings):
            return run_on_dask(jobs, settings, scheduler=None, workers=args.workers)

        cluster_s, n = run(inputs, folder / "cluster", dask_runner, archival)
        print(
            f"local cluster ({args.workers} workers):   {cluster_s:7.1f} s  {60 * n / cluster_s:6.1f} samples/min"
            f"  (cluster start-up alone: {startup:.1f} s)"
        )
        print(f"ratio local cluster / serial throughput: {serial_s / cluster_s:.2f}x")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
