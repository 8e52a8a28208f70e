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
