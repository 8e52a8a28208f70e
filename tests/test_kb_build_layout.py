"""A newer NCBI-style ClinVar VCF dropped into the sources layout builds without code changes."""

from __future__ import annotations

import gzip
import os

import pytest

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.genome.normalize import normalise_key
from pmviewer.core.knowledge.build import build
from pmviewer.core.knowledge.reader import open_knowledge


def _first_vcf_record(path, gene):
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if (
                not line.startswith("#")
                and f"GENEINFO={gene}:" in line
                and "CLNSIG=Pathogenic;" in line
            ):
                cols = line.split("\t")
                if len(cols[3]) == len(cols[4]) == 1:
                    return cols
    raise AssertionError(f"no {gene} record")


@pytest.fixture
def layout(knowledge_sources, tmp_path):
    """The shared sources linked into a fresh folder, plus a newer full-style ClinVar VCF."""
    root = tmp_path / "sources"
    for folder in sorted(p for p in knowledge_sources.iterdir() if p.is_dir()):
        (root / folder.name).mkdir(parents=True)
        for item in folder.iterdir():
            os.symlink(item, root / folder.name / item.name)
    old_vcf = next((knowledge_sources / "clinvar").glob("clinvar_*GRCh38*.vcf.gz"))
    brca1 = _first_vcf_record(old_vcf, "BRCA1")
    pos = int(brca1[1])
    # NCBI release style: no 'chr', all classifications, one row per variation
    header = (
        "##fileformat=VCFv4.1\n##fileDate=2027-01-05\n##source=ClinVar\n##reference=GRCh38\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    )
    rows = [
        # the same variation ID reclassified in the newer release
        ("17", pos, brca1[2], brca1[3], brca1[4],
         "ALLELEID=1;CLNDN=Hereditary_breast_ovarian_cancer_syndrome;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;"
         "CLNSIG=Likely_pathogenic;GENEINFO=BRCA1:672;MC=SO:0001583|missense_variant;RS=1"),
        ("17", pos + 1, "900000001", "A", "G",
         "ALLELEID=2;CLNDN=not_provided;CLNREVSTAT=criteria_provided,_single_submitter;"
         "CLNSIG=Benign;GENEINFO=BRCA1:672;MC=SO:0001583|missense_variant"),
        ("17", pos + 2, "900000002", "C", "T",
         "ALLELEID=3;CLNDN=not_provided;CLNREVSTAT=criteria_provided,_conflicting_classifications;"
         "CLNSIG=Conflicting_classifications_of_pathogenicity;GENEINFO=BRCA1:672;MC=SO:0001583|missense_variant"),
        ("17", pos + 3, "900000003", "G", "A",
         "ALLELEID=4;CLNDN=not_provided;CLNREVSTAT=criteria_provided,_single_submitter;"
         "CLNSIG=Uncertain_significance;GENEINFO=BRCA1:672"),
        ("1", 1000000, "900000004", "G", "A",
         "ALLELEID=5;CLNDN=x;CLNREVSTAT=criteria_provided,_single_submitter;"
         "CLNSIG=Pathogenic;GENEINFO=NOTAGENE:1"),
    ]  # fmt: skip
    body = "".join(f"{c}\t{p}\t{i}\t{r}\t{a}\t.\t.\t{info}\n" for c, p, i, r, a, info in rows)
    with gzip.open(root / "clinvar" / "clinvar_20270105.vcf.gz", "wt") as handle:
        handle.write(header + body)
    # an undated CIViC nightly export whose newest review is later than the monthly release
    for monthly in sorted((knowledge_sources / "civic").glob("01-Jul-2025-*.tsv")):
        nightly = root / "civic" / monthly.name.replace("01-Jul-2025-", "nightly-")
        lines = monthly.read_text(encoding="utf-8").splitlines(keepends=True)
        if "ClinicalEvidence" in monthly.name:
            columns = lines[0].rstrip("\n").split("\t")
            cells = lines[1].rstrip("\n").split("\t")
            cells[columns.index("last_review_date")] = "2027-01-02 10:00:00 UTC"
            lines[1] = "\t".join(cells) + "\n"
        nightly.write_text("".join(lines), encoding="utf-8")
    return root, brca1


def test_newer_full_style_vcf_replaces_the_older_release(layout, tmp_path, monkeypatch):
    root, brca1 = layout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15 UTC
    out = build(root, tmp_path / "kb.sqlite")
    with open_knowledge(out) as kb:
        frame = kb.variants("GRCh38").dropna(subset=["variation_id"])
        by_id = frame.set_index(frame["variation_id"].astype(int))
        record = by_id.loc[int(brca1[2])]
        assert record["classification"] == "Likely pathogenic"
        assert record["clinvar_release"] == "2027-01-05"
        assert int(record["stars"]) == 2
        assert by_id.loc[900000002, "category"] == "uncertain"
        assert int(by_id.loc[900000002, "stars"]) == 1
        assert by_id.loc[900000003, "category"] == "uncertain"
        assert 900000001 not in by_id.index  # benign left out
        assert 900000004 not in by_id.index  # not an analysed gene
        # the older VCF is superseded as a whole; the other ClinVar inputs still merge in
        assert set(frame["source"].astype(str)) == {
            "clinvar/clinvar_20270105.vcf.gz",
            "clinvar/clinvar_2026-09_ATP7B_GAA_PLP_2star_GRCh38_GRCh37.tsv",
            "curated/recessive_founders.tsv",
        }
        key = normalise_key("17", int(brca1[1]), brca1[3], brca1[4])
        assert len(kb.variants_in("GRCh38", [key])) == 1
        meta = kb.metadata()
        assert meta["version"] == "2027.01.05"
        assert meta["build_date"] == "2027-01-15"
        assert meta["clinvar_dropped"]["not_an_analysed_gene"] == 1
        paths = {s["path"] for s in meta["sources"]}
        assert "clinvar/clinvar_20270105.vcf.gz" in paths
        civic = [s for s in meta["sources"] if s["name"] == "CIViC"]
        assert {s["path"] for s in civic} == {
            f"civic/nightly-{part}.tsv"
            for part in ("ClinicalEvidenceSummaries", "VariantSummaries",
                         "MolecularProfileSummaries", "AssertionSummaries")
        }  # fmt: skip
        assert {s["release"] for s in civic} == {"2027-01-02"}


def test_missing_required_source_is_a_clear_error(knowledge_sources, tmp_path):
    root = tmp_path / "sources"
    for folder in ("liftover", "genes", "clingen"):
        (root / folder).mkdir(parents=True)
        for item in (knowledge_sources / folder).iterdir():
            os.symlink(item, root / folder / item.name)
    with pytest.raises(KnowledgeError, match="acmg_sf"):
        build(root, tmp_path / "kb.sqlite")
    assert not (tmp_path / "kb.sqlite").exists()
