"""The bundled demo patient is analysed without starting the reader process, with the
findings the reader process gives."""

from __future__ import annotations

import pandas as pd
from bundled import require_bundled

from pmviewer.core.resources import demo_vcf_path


def test_the_demo_analysis_starts_no_reader_process_and_finds_the_same(monkeypatch):
    from pmviewer.core.pipeline import analyse
    from pmviewer.core.vcf import ISOLATED, isolated
    from pmviewer.ui.jobs import analyse_job

    demo = str(demo_vcf_path())
    require_bundled(demo_vcf_path(), "the demo patient")
    separate = analyse(demo, sex="F", vcf_io=ISOLATED)

    def no_child(*_args, **_kwargs):
        raise AssertionError("the demo started a reader process")

    monkeypatch.setattr(isolated, "call_isolated", no_child)
    result = analyse_job(demo, sample=None, build=None, sex="F")
    findings = result.analysis.findings
    pd.testing.assert_frame_equal(
        findings.frame.reset_index(drop=True), separate.findings.frame.reset_index(drop=True)
    )
    assert findings.pgx == separate.findings.pgx
    assert len(result.analysis.table.frame) == len(separate.table.frame)
