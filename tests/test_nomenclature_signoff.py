"""Names a lab can sign, sign-off that means something, and germline therapeutic implications.

Expected transcripts come from the knowledge file's MANE table and ClinVar records, and the
CIViC items from CIViC's own evidence file, read independently here.
"""

from __future__ import annotations

import csv

import pytest
from safety_vcf import pick, record, write_vcf
from test_report_fixtures import SIGNED

from pmviewer.core.annotation import annotate, check_hgvs
from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import Decision, SignOff
from pmviewer.core.pipeline import analyse
from pmviewer.core.resources import resource_path
from pmviewer.core.vcf import load
from pmviewer.export.pdf import build_report
from pmviewer.export.report_model import build_report_model


def _mane(kb, gene: str) -> str:
    return str(kb.genes().set_index("gene").loc[gene, "mane_select_refseq"])


def _csq(row, *entries: tuple[str, str]) -> str:
    return "CSQ=" + ",".join(
        f"{row['alt'][1:] or '-'}|frameshift_variant|HIGH|ATP7B|540|Transcript|{tx}|"
        f"protein_coding|{tx}:{c}|"
        for tx, c in entries
    )


def _annotated(tmp_path, kb, lines):
    """The window's and CLI's path: the loader prefers the bundled MANE transcripts."""
    return analyse(write_vcf(tmp_path / "p.vcf", lines), knowledge=kb).findings.frame


def test_the_file_annotation_on_the_exact_mane_transcript_is_chosen(tmp_path, kb, clinvar38):
    row = pick(clinvar38, "gene == 'ATP7B' and hgvs_c == 'c.4374_4375del'")
    mane = _mane(kb, "ATP7B")
    older = mane.split(".")[0] + "." + str(int(mane.split(".")[1]) - 1)
    frame = _annotated(
        tmp_path, kb, [record(row, info=_csq(row, (older, row["hgvs_c"]), (mane, row["hgvs_c"])))]
    )
    (f,) = frame.itertuples()
    assert (f.name_source, f.name_transcript, f.name_c) == ("file_mane", mane, row["hgvs_c"])
    only_old = _annotated(tmp_path, kb, [record(row, info=_csq(row, (older, row["hgvs_c"])))])
    (g,) = only_old.itertuples()
    assert g.name_source == "clinvar" and g.name_transcript == row["transcript"]
    assert f"is on {older}, another version than MANE Select {mane}" in g.name_note


def test_clinvar_name_on_a_non_mane_transcript_says_so(tmp_path, kb, clinvar38):
    row = pick(clinvar38, "gene == 'MUTYH' and hgvs_c.notna() and hgvs_c != ''")
    assert row["transcript"] != _mane(kb, "MUTYH")  # ClinVar names MUTYH on another transcript
    (f,) = _annotated(tmp_path, kb, [record(row, gt="1/1")]).itertuples()
    assert f.name_source == "clinvar" and f.name_c == row["hgvs_c"]
    assert "not the MANE Select transcript" in f.name_note and _mane(kb, "MUTYH") in f.name_note


def test_a_real_vep_file_with_unversioned_transcripts(corpus_dir, kb):
    path = corpus_dir / "b_multisample" / "scout__643594.clinical.vcf.gz"
    frame = analyse(path, sample="ADM1059A1", knowledge=kb).findings.frame
    ldlr = frame[frame["kb_gene"] == "LDLR"]
    assert len(ldlr) and (ldlr["name_source"] == "").all()
    assert ldlr["name_note"].str.contains("written without a version").all()


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (("NM_007294.4", "c.68_69del", "p.(Glu23ValfsTer17)"), ""),
        (("NM_000059.4", "c.5946del", ""), ""),
        (("NM_007294.4", "c.4096+1G>A", "p.?"), ""),
        (("NM_007294", "c.68_69del", ""), "not a versioned transcript"),
        (("NM_007294.4", "68_69del", ""), "is not a c. name"),
        (("NM_007294.4", "c.68_69del", "p.E23fs"), "three-letter amino acids"),
    ],
)
def test_reviewer_hgvs_syntax(entry, problem):
    result = check_hgvs(*entry)
    assert (problem in result) if problem else result == ""


def _brca2_findings(tmp_path, kb, clinvar38):
    row = pick(clinvar38, "gene == 'BRCA2' and category == 'plp' and stars >= 3")
    path = write_vcf(tmp_path / "b.vcf", [record(row)])
    findings = annotate(load(path), kb)
    (fid,) = findings.frame.loc[findings.frame["category"] == "reportable", "finding_id"]
    return findings, fid, row


def test_final_report_needs_a_name_distinct_people_and_reasons(tmp_path, kb, clinvar38):
    findings, fid, _ = _brca2_findings(tmp_path, kb, clinvar38)
    include = {fid: Decision(fid, "include", comment="Confirmed by Sanger.")}
    with pytest.raises(PmviewerError, match=r"transcript-level \(c./p.\) name .* BRCA2"):
        build_report_model(findings, decisions=include, signoff=SIGNED)
    named = {
        fid: Decision(fid, "include", comment="Confirmed.", hgvs_transcript=_mane(kb, "BRCA2"),
                      hgvs_c="c.5946del", hgvs_p="p.(Ser1982ArgfsTer22)")
    }  # fmt: skip
    model = build_report_model(findings, decisions=named, signoff=SIGNED)
    (f,) = model.section("reportable")
    assert (f.hgvs_c, f.name_source) == ("c.5946del", "entered by the reviewer")
    same = SignOff(**{**SIGNED.__dict__, "approver": " sam reviewer "})
    with pytest.raises(PmviewerError, match="different people"):
        build_report_model(findings, decisions=named, signoff=same)
    excluded = {fid: Decision(fid, "exclude")}
    with pytest.raises(PmviewerError, match="reviewer's reason for: BRCA2"):
        build_report_model(findings, decisions=excluded, signoff=SIGNED)
    why = {fid: Decision(fid, "exclude", comment="Sample swap suspected; retest requested.")}
    model = build_report_model(findings, decisions=why, signoff=SIGNED)
    assert model.reviewer_reasons == [
        f"Reportable finding BRCA2 {fid} excluded by the reviewer: Sample swap suspected; "
        "retest requested."
    ]
    assert build_report(model).startswith(b"%PDF")


def test_included_quality_flagged_finding_needs_a_reason(tmp_path, kb, clinvar38):
    row = pick(clinvar38, "gene == 'BRCA2' and category == 'plp' and stars >= 3")
    path = write_vcf(tmp_path / "q.vcf", [record(row, dp=6)])  # below the depth threshold
    findings = annotate(load(path), kb)
    (fid,) = findings.frame["finding_id"]
    assert findings.frame["quality_flags"].iloc[0]
    name = dict(hgvs_transcript=_mane(kb, "BRCA2"), hgvs_c="c.5946del")
    with pytest.raises(PmviewerError, match="included with quality flags"):
        build_report_model(findings, decisions={fid: Decision(fid, "include", **name)},
                           signoff=SIGNED)  # fmt: skip
    ok = {fid: Decision(fid, "include", comment="Confirmed by Sanger.", **name)}
    model = build_report_model(findings, decisions=ok, signoff=SIGNED)
    assert "included despite quality flags" in model.reviewer_reasons[0]


def _civic_germline_predictive(knowledge_sources, gene: str) -> set[int]:
    (path,) = (knowledge_sources / "civic").glob("*ClinicalEvidenceSummaries.tsv")
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {
        int(r["evidence_id"])
        for r in rows
        if r["molecular_profile"] in (f"{gene} Mutation", f"{gene} Loss-of-function")
        and r["evidence_type"] == "Predictive"
        and "Germline" in r["variant_origin"]
        and r["evidence_status"] == "accepted"
    }


def test_brca2_pathogenic_finding_lists_civic_germline_predictive_evidence(
    tmp_path, kb, clinvar38, knowledge_sources
):
    findings, fid, _ = _brca2_findings(tmp_path, kb, clinvar38)
    items = findings.frame.set_index("finding_id").loc[fid, "therapies"]
    assert {i["civic_evidence_id"] for i in items} == _civic_germline_predictive(
        knowledge_sources, "BRCA2"
    )
    olaparib_a = [i for i in items if i["level"] == "A" and "Olaparib" in i["therapies"]]
    assert olaparib_a and all(i["citation"] and i["disease"] for i in olaparib_a)
    assert [i["level"] for i in items] == sorted(i["level"] for i in items)
    model = build_report_model(findings)
    (f,) = model.section("reportable")
    assert f.therapies == items


def _therapies(tmp_path, kb, row, name):
    frame = annotate(load(write_vcf(tmp_path / name, [record(row)])), kb).frame
    (therapies,) = frame.loc[frame["clinvar_id"] == row["variation_id"], "therapies"]
    return list(therapies)


def test_a_vus_gets_no_gene_level_therapy(tmp_path, kb, clinvar38):
    # BRCA1 has CIViC's gene-level germline profile "BRCA1 Mutation" and a VUS in the file
    vus = pick(clinvar38, "gene == 'BRCA1' and category == 'uncertain'")
    plp = pick(clinvar38, "gene == 'BRCA1' and category == 'plp'")
    items = _therapies(tmp_path, kb, plp, "plp.vcf")
    assert any(str(i["match_basis"]).startswith("gene-level") for i in items)  # P/LP: it applies
    assert _therapies(tmp_path, kb, vus, "vus.vcf") == []


def test_demo_report_prints_therapeutic_implications(tmp_path):
    demo = resource_path("demo") / "demo-patient.GRCh38.vcf.gz"
    model = build_report_model(analyse(demo).findings)
    assert any(f.gene == "BRCA2" and f.therapies for f in model.findings)
    pdf = build_report(model)
    assert len(pdf) > 10_000
