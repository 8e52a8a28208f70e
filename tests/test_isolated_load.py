"""Files are parsed in a child process: a native crash becomes a message, the caller survives.

Also: the crafted files that made htslib crash (no ##contig lines, malformed first record) are
refused with a clear message in-process too (the CLI path), never with a signal.
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from bundled import require_bundled
from window_steps import open_and_wait

from pmviewer.core import vcf
from pmviewer.core.errors import Cancelled, InputFileError, SampleError
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.isolated import IsolatedVcf, call_isolated

GERMLINE = "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"
MULTI = "a_germline/vcfpy__gatk.vcf"

HEADER = (
    "##fileformat=VCFv4.2\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
)
# the two shapes the fuzz run found crashing htslib (undeclared contig + malformed record)
CRASHERS = {
    "negative_pos.vcf": HEADER + "1\t-1\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n",
    "gt_not_a_number.vcf": HEADER + "1\t100\t.\tA\tG\t50\tPASS\t.\tGT\tX/Y\n",
    "second_contig_bad_gt.vcf": HEADER
    + "1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n2\t200\t.\tA\tG\t50\tPASS\t.\tGT\tX/1\n",
}


def segfault(**_: object) -> None:
    """Crash the process the way a native library does (a read through a null pointer)."""
    ctypes.string_at(0)


def sleep_forever(progress=None, cancel=None) -> None:
    while True:
        time.sleep(0.05)


def test_isolated_load_returns_the_same_table_as_in_process(corpus_dir):
    path = str(corpus_dir / GERMLINE)
    seen: list[tuple[int, int]] = []
    here = vcf.load(path)
    there = vcf.ISOLATED.load(path, progress=lambda d, t: seen.append((d, t)))
    pd.testing.assert_frame_equal(here.frame, there.frame)
    pd.testing.assert_frame_equal(here.covered, there.covered)
    pd.testing.assert_frame_equal(here.no_calls, there.no_calls)
    assert there.info.sha256 == here.info.sha256 == vcf.sha256_file(path)
    assert there.stats == here.stats
    assert seen  # progress crossed the process boundary


def test_isolated_errors_keep_their_kind_and_samples(corpus_dir, tmp_path):
    with pytest.raises(SampleError) as caught:
        vcf.ISOLATED.load(str(corpus_dir / MULTI))
    assert "NA12878" in caught.value.samples
    bad = tmp_path / "bad.vcf"
    bad.write_text(CRASHERS["gt_not_a_number.vcf"])
    with pytest.raises(InputFileError, match="genotype 'X/Y'"):
        vcf.ISOLATED.load(str(bad))


def test_a_crash_in_the_child_is_a_message_and_the_caller_survives():
    with pytest.raises(InputFileError) as caught:
        call_isolated(segfault, {}, crash_message=lambda how: f"reader stopped ({how})")
    assert "SIGSEGV" in str(caught.value)


def test_a_crash_while_reading_names_the_bad_line(tmp_path, monkeypatch):
    bad = tmp_path / "patient.vcf"
    bad.write_text(CRASHERS["negative_pos.vcf"])

    def crashing_load(path, sample=None, regions=None, progress=None, cancel=None, **_):
        from pmviewer.core.vcf import isolated

        return call_isolated(
            segfault, {}, crash_message=isolated._crash_text(path), progress=progress
        )

    with pytest.raises(InputFileError) as caught:
        crashing_load(str(bad))
    text = str(caught.value)
    assert "patient.vcf" in text and "Line 4" in text and "negative" in text
    assert "Nothing in your open case was changed" in text


def test_cancel_stops_the_child_promptly():
    token = CancelToken()
    started = time.monotonic()
    import threading

    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(Cancelled):
        call_isolated(sleep_forever, {}, crash_message=str, cancel=token)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_crafted_files_are_refused_in_process_without_a_signal(tmp_path, name):
    path = tmp_path / name
    path.write_text(CRASHERS[name])
    script = textwrap.dedent(
        f"""
        from pmviewer.core import vcf
        from pmviewer.core.errors import InputFileError
        for regions in (None, [("1", 1, 1000)]):
            try:
                vcf.load({str(path)!r}, regions=regions)
            except InputFileError as e:
                print("REFUSED", e)
            else:
                print("LOADED")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("REFUSED") == 2
    assert "Line " in done.stdout
    assert "[E::" not in done.stderr and "[W::" not in done.stderr  # captured, translated


def test_window_survives_a_reader_crash_and_keeps_the_open_case(
    qtbot, window, monkeypatch, tmp_path
):
    from pmviewer.core.resources import demo_vcf_path
    from pmviewer.ui import jobs
    from pmviewer.ui.dialogs import ErrorDialog

    demo = demo_vcf_path()
    require_bundled(demo, "the bundled demo patient")
    open_and_wait(qtbot, window, demo)
    shown = window.result

    def crashing_load(path, sample=None, regions=None, progress=None, cancel=None, **_):
        from pmviewer.core.vcf import isolated

        return call_isolated(segfault, {}, crash_message=isolated._crash_text(path), cancel=cancel)

    monkeypatch.setattr(jobs, "vcf_io", lambda: IsolatedVcf(load=crashing_load))
    other = tmp_path / "other.vcf"
    other.write_text(CRASHERS["gt_not_a_number.vcf"])
    with qtbot.waitSignal(window.load_failed, timeout=120_000) as blocker:
        window.open_file(str(other), build="GRCh38")
    assert isinstance(blocker.args[0], InputFileError)
    assert "SIGSEGV" in str(blocker.args[0]) and "other.vcf" in str(blocker.args[0])
    assert isinstance(window.dialog, ErrorDialog)
    assert window.result is shown and window.path == str(demo)  # the open case is still there
