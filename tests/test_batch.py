"""``pmviewer batch``: every file and sample, resumable, error rows, and the same results on a
real dask.distributed cluster (a scheduler and two workers started here on 127.0.0.1) as
one ``analyse`` call per sample (the independent reference)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmviewer.cli import main
from pmviewer.commands.batch import EXIT_WITH_ERROR_ROWS
from pmviewer.core.batch import SF_NOT_ASSESSED, plan_jobs
from pmviewer.core.resources import demo_vcf_path
from pmviewer.export.archive import check_archive

STAMP = ["--timestamp", "2026-11-30T10:15:00+00:00"]


@pytest.fixture()
def inputs(corpus_dir) -> list[str]:
    return [
        str(demo_vcf_path()),
        str(corpus_dir / "b_multisample" / "pharmcat__docs_multisample.vcf"),
        str(corpus_dir / "g_edge_malformed" / "cyvcf2__empty.vcf"),
    ]


def summary(folder: Path) -> list[dict]:
    with open(folder / "summary.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def reference_row(path: str, sample: str) -> dict:
    """What one ``analyse`` call says about a sample (no batch code involved)."""
    from pmviewer.core.pipeline import analyse

    findings = analyse(path, sample=sample).findings
    counts = findings.frame["category"].astype(str).value_counts().to_dict()
    calls = sorted(
        f"{p['gene']} {p['diplotype']}"
        for p in findings.pgx
        if p.get("callable") and p.get("diplotype")
    )
    return {
        "counts": {c: counts.get(c, 0) for c in ("reportable", "carrier", "uncertain")},
        "calls": calls,
    }


def batch_calls(row: dict) -> list[str]:
    return sorted(part.rsplit(" (", 1)[0] for part in row["pgx_calls"].split("; ") if part)


def test_plan_has_one_job_per_sample_and_keeps_unreadable_files(inputs):
    jobs = plan_jobs(inputs + [inputs[0]])  # a repeated input runs once
    assert [(Path(j.path).name, j.sample) for j in jobs] == [
        ("demo-patient.GRCh38.vcf.gz", "SYNTHETIC_DEMO"),
        ("pharmcat__docs_multisample.vcf", "Sample_1"),
        ("pharmcat__docs_multisample.vcf", "Sample_2"),
        ("cyvcf2__empty.vcf", ""),
    ]
    assert "does not look like a VCF" in jobs[-1].error
    assert len({j.output_stem() for j in jobs}) == len(jobs)


def test_serial_batch_matches_one_analysis_per_sample_and_writes_archives(inputs, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["batch", *inputs, "--out", str(out), "--serial", *STAMP])
    assert code == EXIT_WITH_ERROR_ROWS  # the empty file is an error row, the rest ran
    rows = summary(out)
    assert [(Path(r["file"]).name, r["sample"], r["status"]) for r in rows] == [
        ("demo-patient.GRCh38.vcf.gz", "SYNTHETIC_DEMO", "done"),
        ("pharmcat__docs_multisample.vcf", "Sample_1", "done"),
        ("pharmcat__docs_multisample.vcf", "Sample_2", "done"),
        ("cyvcf2__empty.vcf", "", "error"),
    ]
    assert "does not look like a VCF" in rows[-1]["error"]
    for row in rows[:3]:
        expected = reference_row(row["file"], row["sample"])
        assert {c: int(row[c]) for c in expected["counts"]} == expected["counts"]
        assert batch_calls(row) == expected["calls"]
        assert row["sf_genes_not_assessed"] == SF_NOT_ASSESSED
        findings = json.loads((out / row["json"]).read_text())
        assert findings["input"]["sample"] == row["sample"]
        pdf = (out / row["pdf"]).read_bytes()
        assert check_archive(pdf).passed
    # the two samples of one file really differ (PharmCAT's example: CYP2C19 *38/*38 vs *2/*2)
    assert batch_calls(rows[1]) != batch_calls(rows[2])
    assert "finished: 3 done, 0 skipped, 1 error(s)" in capsys.readouterr().err


def test_a_second_run_skips_finished_jobs_and_a_changed_file_runs_again(inputs, tmp_path, capsys):
    out = tmp_path / "out"
    demo = tmp_path / "demo.vcf.gz"
    demo.write_bytes(Path(inputs[0]).read_bytes())
    args = ["batch", str(demo), inputs[1], "--out", str(out), "--serial", "--plain-pdf", *STAMP]
    assert main(args) == 0
    first = summary(out)
    capsys.readouterr()
    assert main(args) == 0
    again = summary(out)
    assert [r["status"] for r in again] == ["skipped"] * 3
    assert [r["pgx_calls"] for r in again] == [r["pgx_calls"] for r in first]
    assert "3 of 3 job(s) finished in an earlier run are skipped" in capsys.readouterr().err
    # a touched input and a deleted output run again; the rest stays skipped
    os.utime(demo, ns=(time.time_ns(), time.time_ns() + 10**9))
    (out / first[1]["pdf"]).unlink()
    assert main(args) == 0
    assert [r["status"] for r in summary(out)] == ["done", "done", "skipped"]
    assert main([*args, "--rerun"]) == 0
    assert [r["status"] for r in summary(out)] == ["done"] * 3


def test_another_knowledge_file_is_not_a_finished_job(tmp_path, monkeypatch):
    from pmviewer.commands import batch as batch_command

    out = tmp_path / "out"
    args = ["batch", str(demo_vcf_path()), "--out", str(out), "--serial", "--plain-pdf"]
    assert main(args) == 0
    monkeypatch.setattr(batch_command, "_knowledge_identity", lambda path: ("2099.01", "f" * 64))
    assert main(args) == 0
    assert summary(out)[0]["status"] == "done"


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_a_running_cluster_with_two_workers_gives_the_serial_results(inputs, tmp_path):
    from distributed import Client

    dask = str(Path(sys.executable).parent / "dask")
    scheduler_file = tmp_path / "scheduler.json"
    processes = [
        _start(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            tmp_path / "scheduler.log",
        )
    ]
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for n in (1, 2):
            processes.append(
                _start(
                    [
                        dask,
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--name",
                        f"w{n}",
                    ],
                    tmp_path / f"worker{n}.log",
                )
            )
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            assert len(client.scheduler_info()["workers"]) == 2
        cluster_out, serial_out = tmp_path / "cluster", tmp_path / "serial"
        code = main(["batch", *inputs, "--out", str(cluster_out), "--scheduler", address, *STAMP])
        assert code == EXIT_WITH_ERROR_ROWS
        assert main(["batch", *inputs, "--out", str(serial_out), "--serial", *STAMP]) == code
        assert summary(cluster_out) == summary(serial_out)
        for row in summary(cluster_out)[:3]:
            assert (cluster_out / row["json"]).read_bytes() == (
                serial_out / row["json"]
            ).read_bytes()
            assert (cluster_out / row["pdf"]).read_bytes() == (serial_out / row["pdf"]).read_bytes()
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_no_scheduler_at_the_address_is_said_in_words(tmp_path, capsys):
    code = main(
        ["batch", str(demo_vcf_path()), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert code == 2
    assert "No Dask scheduler answered at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_serial_batch_opens_no_network_socket(tmp_path):
    from test_no_network import CONNECT, NETWORK_SOCKET, _traced

    trace = _traced(
        ["batch", str(demo_vcf_path()), "--out", str(tmp_path / "out"), "--serial"],
        tmp_path,
        "batch",
    )
    assert not NETWORK_SOCKET.search(trace), trace
    assert not CONNECT.search(trace), trace
