"""The window's analysis job asks the tumour gate once per file (one header read)."""

from __future__ import annotations

from pmviewer.core.tumour import gate
from pmviewer.ui.jobs import analyse_job


def test_the_tumour_gate_reads_the_header_once(corpus_dir, monkeypatch):
    path = corpus_dir / "i_somatic" / "gatk__mutect_filtering_NA12878.vcf"
    reads: list[object] = []
    real = gate.recognise

    def counted(header):
        reads.append(header)
        return real(header)

    monkeypatch.setattr(gate, "recognise", counted)
    result = analyse_job(str(path), sample=None, build=None, mode="germline")
    assert len(reads) == 1
    assert result.analysis.findings.sample == "SM-612V6"  # the matched normal, never the tumour


def test_the_worker_prepares_what_the_window_attaches(corpus_dir):
    from bundled import require_bundled

    from pmviewer.core.evidence import pgx_frame
    from pmviewer.core.resources import demo_vcf_path
    from pmviewer.core.review import labels_from_findings

    require_bundled(demo_vcf_path(), "the demo patient")
    result = analyse_job(str(demo_vcf_path()), sample=None, build=None, sex="F")
    findings = result.analysis.findings
    frame = result.findings_frame
    assert list(frame.index) == list(range(len(findings.frame)))
    assert result.labels == labels_from_findings(findings.frame.reset_index(drop=True))
    assert result.pgx_table.equals(pgx_frame(list(findings.pgx or [])))
    assert findings.sex_source == "stated"


def test_the_prepared_review_state_is_the_one_of_a_new_case(corpus_dir):
    from bundled import require_bundled

    from pmviewer.core.resources import demo_vcf_path
    from pmviewer.core.review import ReportSections, reviewed_findings

    require_bundled(demo_vcf_path(), "the demo patient")
    result = analyse_job(str(demo_vcf_path()), sample=None, build=None, sex="F")
    findings = result.analysis.findings
    expected = reviewed_findings(findings.frame, {}, findings.sex, ReportSections())
    assert result.unreviewed.equals(expected)
    # the regional All variants preview is marked with the analysis's categories
    marked = result.regional_marked
    assert len(marked) == len(result.analysis.table.frame)
    assert marked["category"].notna().sum() > 0


def test_the_table_shown_is_reused_only_for_the_same_content_and_sample():
    from types import SimpleNamespace

    from pmviewer.ui.jobs import reusable_table

    table = SimpleNamespace(info=SimpleNamespace(sha256="aa"), sample="S1")
    shown = SimpleNamespace(table=table)

    def findings(sha256, sample):
        return SimpleNamespace(input_sha256=sha256, sample=sample)

    assert reusable_table(shown, findings("aa", "S1")) is table
    assert reusable_table(shown, findings("bb", "S1")) is None  # the file was replaced
    assert reusable_table(shown, findings("aa", "S2")) is None  # another sample of it
    assert reusable_table(shown, findings(None, "S1")) is None
    assert reusable_table(None, findings("aa", "S1")) is None
