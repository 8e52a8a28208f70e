"""Every real VCF of the shared corpus goes through the whole analysis: findings, or a clear
counselor-facing error (unknown build, several samples ...). Never a crash."""

from __future__ import annotations

import pytest

from pmviewer.core.errors import BuildError, PmviewerError, SampleError
from pmviewer.core.knowledge.reader import open_knowledge
from pmviewer.core.pipeline import analyse
from pmviewer.core.tumour import TumourFileError
from pmviewer.core.vcf.loader import inspect

SUFFIXES = (".vcf", ".vcf.gz", ".bcf", ".gvcf", ".gvcf.gz", ".vcf.bgz", ".g.vcf.bgz")


def test_whole_corpus_annotates_or_fails_clearly(corpus_dir, capsys):
    knowledge = open_knowledge()
    files = sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
    assert len(files) > 100
    outcomes = {}
    for path in files:
        name = str(path.relative_to(corpus_dir))
        try:
            info = inspect(path)
            sample = info.samples[0] if len(info.samples) > 1 else None
            analysis = analyse(path, sample=sample, knowledge=knowledge)
            fate = analysis.findings.fate
            outcomes[name] = (
                f"OK {analysis.findings.build} reportable={fate['reportable']} carrier={fate['carrier']} uncertain={fate['uncertain']} pgx_genes={len(analysis.findings.pgx)}"
            )
        except TumourFileError:
            outcomes[name] = "tumour file (asks: tumour report, or the normal sample only)"
        except BuildError:
            outcomes[name] = "unknown build (asks the user)"
        except SampleError as error:
            outcomes[name] = f"sample error: {error}"
        except PmviewerError as error:
            outcomes[name] = f"clear error: {str(error)[:70]}"
        # any other exception fails the test with its traceback
    with capsys.disabled():
        print()
        for name, outcome in outcomes.items():
            print(f"  {name:70s} {outcome}")
        ok = sum(v.startswith("OK") for v in outcomes.values())
        print(
            f"  annotated: {ok}, unknown build: {sum('unknown build' in v for v in outcomes.values())}, "
            f"clear errors: {sum('error' in v for v in outcomes.values())}, of {len(outcomes)} files"
        )
    assert ok >= len(outcomes) // 3
    # files with actionable variants are annotated, not refused; the tumour files among them
    # are never analysed as germline (issue 12: the TCGA file gave a TP53 secondary finding)
    for name, outcome in outcomes.items():
        if name.startswith("h_actionable/") and "GRCh37" in name:
            assert outcome.startswith("OK") or outcome.startswith("tumour file"), (name, outcome)
        if name.startswith("i_somatic/") or name == "h_actionable/cpsr__example.vcf.gz":
            assert outcome.startswith("tumour file"), (name, outcome)


@pytest.mark.parametrize(
    "name", ["a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz", "c_gvcf/glnexus__NA12878.g.vcf.gz"]
)
def test_real_genomes_give_findings_frames_with_the_contract(corpus_dir, name):
    analysis = analyse(corpus_dir / name)
    frame = analysis.findings.frame
    assert analysis.findings.build == "GRCh38"
    assert {"finding_id", "category", "reason", "quality_flags"} <= set(frame.columns)
    assert frame["finding_id"].is_unique or frame.empty
