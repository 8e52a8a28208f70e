"""``pmviewer report``: typed inputs are validated with clear messages (exit 2), and the
command runs end to end on real VCFs against a knowledge file built from the real sources."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from bundled import require_bundled
from pypdf import PdfReader

from pmviewer.cli import main

CONTIGS = "".join(
    f"##contig=<ID=chr{c},length={n}>\n"
    for c, n in (("6", 170805979), ("13", 114364328), ("22", 50818468), ("X", 156040895))
)
HEADER = (
    "##fileformat=VCFv4.2\n"
    + CONTIGS
    + '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    + '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
    + '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">\n'
    + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT\n"
)
# BRCA2 c.5946del (ClinVar VCV 9325, GRCh38) heterozygous, well covered
BRCA2_LINE = "chr13\t32340300\trs80359550\tGT\tG\t99\tPASS\t.\tGT:DP:GQ\t0/1:40:99\n"


def text_of(pdf: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def run_report(capsys, *args: str) -> tuple[int, str]:
    code = main(["report", *args])
    return code, capsys.readouterr().err


@pytest.fixture()
def vcf(tmp_path) -> Path:
    path = tmp_path / "patient.vcf"
    path.write_text(HEADER + BRCA2_LINE)
    return path


# ------------------------------------------------------------------ input validation
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        ("[1, 2]", "patient.json must be a JSON object"),
        ({"name": "A", "nmae": "B"}, "unknown field(s): nmae. Allowed fields: name, date_of_birth"),
        ({"date_of_birth": "12/04/1980"}, "'date_of_birth' must be a date written YYYY-MM-DD"),
        ({"specimen_collected": "2026-02-30"}, "'specimen_collected' must be a date"),
        ({"sex": "X"}, '\'sex\' must be "F", "M" or "" (unknown)'),
        ({"mrn": 12345}, "'mrn' must be text in quotes"),
    ],
)
def test_bad_patient_json_exits_2_with_a_clear_message(tmp_path, vcf, capsys, content, message):
    patient = write(tmp_path / "patient.json", content)
    code, err = run_report(
        capsys, str(vcf), "--patient", str(patient), "-o", str(tmp_path / "r.pdf")
    )
    assert code == 2
    assert err.startswith("pmviewer: error: ")
    assert message in err
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ({"decision": []}, "unknown key 'decision'"),
        ({"decisions": [{"decision": "include"}]}, "decision 1 has no finding_id"),
        ({"decisions": [{"finding_id": "x", "decision": "maybe"}]}, "has decision 'maybe'"),
        (
            {"decisions": [{"finding_id": "x", "classification_override": "Benign"}]},
            "overrides the classification without a reason",
        ),
        ({"signoff": {"status": "signed"}}, "signoff status 'signed'"),
        ({"signoff": {"status": "final"}}, "marked final but has no reviewer or approver"),
        ({"patient": {"date_of_birth": "1980"}}, "must be a date written YYYY-MM-DD"),
        ({"options": {"include_everything": True}}, "unknown key 'include_everything'"),
    ],
)
def test_bad_review_file_exits_2(tmp_path, vcf, capsys, review, message):
    path = write(tmp_path / "review.json", review)
    code, err = run_report(capsys, str(vcf), "--review", str(path), "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and message in err


def test_missing_input_files_are_named(tmp_path, vcf, capsys):
    code, err = run_report(
        capsys, str(vcf), "--patient", str(tmp_path / "nope.json"), "-o", str(tmp_path / "r.pdf")
    )
    assert code == 2 and "nope.json does not exist" in err
    code, err = run_report(
        capsys, str(vcf), "--timestamp", "yesterday", "-o", str(tmp_path / "r.pdf")
    )
    assert code == 2 and "--timestamp must be a date-time" in err


def test_sex_option_contradicting_the_patient_details_is_refused(tmp_path, vcf, capsys):
    # the rules would use one sex while the report prints the other
    patient = write(tmp_path / "patient.json", {"sex": "female"})
    code, err = run_report(
        capsys, str(vcf), "--patient", str(patient), "--sex", "M", "-o", str(tmp_path / "r.pdf")
    )
    assert code == 2 and "--sex M" in err and "female (F)" in err
    assert not (tmp_path / "r.pdf").exists()


def test_unreadable_input_file_message_has_no_python_error_text(tmp_path, vcf, capsys):
    folder = tmp_path / "patient.json"
    folder.mkdir()
    for option in ("--patient", "--review"):
        code, err = run_report(capsys, str(vcf), option, str(folder), "-o", str(tmp_path / "r.pdf"))
        assert code == 2 and "patient.json could not be read" in err
        assert "Errno" not in err and "Is a directory" not in err


# ------------------------------------------------------------------ end to end
@pytest.fixture(scope="session")
def knowledge_file(knowledge_sources, tmp_path_factory) -> Path:
    from pmviewer.core.knowledge.build.builder import build

    return build(knowledge_sources, tmp_path_factory.mktemp("kb") / "kb.sqlite")


def analysed(vcf_path: Path, knowledge_file: Path, **kwargs):
    from pmviewer.core.knowledge.reader import open_knowledge
    from pmviewer.core.pipeline import analyse

    return analyse(vcf_path, knowledge=open_knowledge(knowledge_file), **kwargs).findings


def test_draft_report_of_a_tiny_vcf(tmp_path, vcf, knowledge_file, capsys):
    patient = write(
        tmp_path / "patient.json",
        {
            "name": "Ana Müller-Łukasiewicz",
            "date_of_birth": "1975-01-31",
            "sex": "F",
            "mrn": "MRN-77",
            "specimen_type": "Saliva",
        },
    )
    lab = write(tmp_path / "lab.json", {"name": "Harbour Genomics", "address": "1 Quay St"})
    out = tmp_path / "report.pdf"
    code, err = run_report(
        capsys,
        str(vcf),
        "--knowledge",
        str(knowledge_file),
        "--patient",
        str(patient),
        "--lab",
        str(lab),
        "--timestamp",
        "2026-11-30T10:15:00+00:00",
        "-o",
        str(out),
    )
    assert code == 0, err
    assert "wrote" in err and "draft report" in err
    findings = analysed(vcf, knowledge_file, sex="F")
    reportable = findings.frame[findings.frame["category"] == "reportable"]
    assert list(reportable["kb_gene"]) == ["BRCA2"]
    text = text_of(out)
    flat = re.sub(r"\s+", "", text)
    assert "POSITIVE: 1 reportable finding identified in 1 gene (BRCA2)." in text
    assert "Ana Müller-Łukasiewicz" in text and "MRN-77" in text and "Harbour Genomics" in text
    assert str(int(reportable["clinvar_id"].iloc[0])) in text
    assert "patient.vcf" in text and findings.input_sha256 in flat
    assert str(findings.knowledge["version"]) in text
    assert "DRAFT" in text and "NOT YET REVIEWED" in text
    assert "FILTER must be PASS" in text  # the quality thresholds used
    # re-printing with the same timestamp gives the same bytes
    again = tmp_path / "again.pdf"
    run_report(
        capsys,
        str(vcf),
        "--knowledge",
        str(knowledge_file),
        "--patient",
        str(patient),
        "--lab",
        str(lab),
        "--timestamp",
        "2026-11-30T10:15:00+00:00",
        "-o",
        str(again),
    )
    assert again.read_bytes() == out.read_bytes()


def test_final_report_from_a_review_file(tmp_path, vcf, knowledge_file, capsys):
    findings = analysed(vcf, knowledge_file)
    ids = list(findings.frame.loc[findings.frame["category"] == "reportable", "finding_id"])
    review = {
        "input_sha256": findings.input_sha256,
        "decisions": [
            {"finding_id": fid, "decision": "include", "comment": "Confirmed by Sanger."}
            for fid in ids
        ],
        "signoff": {
            "status": "final",
            "reviewer": "Sam Reviewer",
            "reviewer_credentials": "CGC",
            "reviewed_at": "2026-11-29",
            "approver": "Dr. Lee Approver",
            "approver_credentials": "FACMG",
            "approved_at": "2026-11-30",
        },
        "patient": {"name": "Review Patient", "mrn": "R-1"},
    }
    out = tmp_path / "final.pdf"
    code, err = run_report(
        capsys,
        str(vcf),
        "--knowledge",
        str(knowledge_file),
        "--review",
        str(write(tmp_path / "review.json", review)),
        "-o",
        str(out),
    )
    assert code == 0, err
    text = text_of(out)
    assert "FINAL" in text and "DRAFT" not in text
    assert "Dr. Lee Approver" in text and "Confirmed by Sanger." in text
    assert "Review Patient" in text

    # the same review on another file is refused
    other = tmp_path / "other.vcf"
    other.write_text(HEADER + BRCA2_LINE.replace("0/1:40:99", "0/1:41:99"))
    code, err = run_report(
        capsys,
        str(other),
        "--knowledge",
        str(knowledge_file),
        "--review",
        str(tmp_path / "review.json"),
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert code == 2 and "made for a different input file (the SHA-256 checksums differ)" in err

    # final without decisions is refused with a clear message
    code, err = run_report(
        capsys,
        str(vcf),
        "--knowledge",
        str(knowledge_file),
        "--status",
        "final",
        "-o",
        str(tmp_path / "y.pdf"),
    )
    assert code == 2 and "not yet reviewed (BRCA2)" in err


def test_synthetic_header_labels_the_report(tmp_path, knowledge_file, capsys):
    path = tmp_path / "synthetic.vcf"
    path.write_text(
        HEADER.replace(
            "##fileformat=VCFv4.2\n", "##fileformat=VCFv4.2\n##pmviewer_synthetic=true\n"
        )
        + BRCA2_LINE
    )
    out = tmp_path / "s.pdf"
    code, err = run_report(capsys, str(path), "--knowledge", str(knowledge_file), "-o", str(out))
    assert code == 0, err
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert "SYNTHETIC DEMONSTRATION DATA" in pages[0]
    assert all("SYNTHETIC" in p for p in pages)


@pytest.mark.corpus
def test_report_on_a_real_corpus_vcf(corpus_dir, knowledge_file, tmp_path, capsys):
    vcf_path = corpus_dir / "h_actionable" / "cpsr__example.vcf.gz"
    out = tmp_path / "cpsr.pdf"
    code, err = run_report(
        capsys,
        str(vcf_path),
        "--build",
        "GRCh37",
        "--knowledge",
        str(knowledge_file),
        "--include-carrier",
        "--include-uncertain",
        "-o",
        str(out),
    )
    assert code == 0, err
    findings = analysed(vcf_path, knowledge_file, build="GRCh37")
    frame = findings.frame
    text = text_of(out)
    reportable = sorted(set(frame.loc[frame["category"] == "reportable", "kb_gene"]))
    if reportable:
        n = int((frame["category"] == "reportable").sum())
        assert f"POSITIVE: {n} reportable finding" in text
        for gene in reportable:
            assert gene in text
    else:
        assert "NEGATIVE: no reportable variants" in text
    # GRCh37: pharmacogenes are stated as not callable, never as normal
    not_called = [p["gene"] for p in findings.pgx if not p.get("diplotype")]
    assert "Not callable from this file" in text
    for gene in not_called[:5]:
        assert gene in text
    assert "GRCh37" in text and "cpsr__example.vcf.gz" in text


def test_demo_report_is_labelled_synthetic(tmp_path, capsys):
    from pmviewer.core.resources import bundled_knowledge_path, demo_vcf_path, resource_path

    require_bundled(
        demo_vcf_path().exists() and bundled_knowledge_path().exists(),
        "the bundled demo VCF or knowledge file",
    )
    out = tmp_path / "demo.pdf"
    patient = resource_path("demo", "demo-patient.json")
    code, err = run_report(capsys, str(demo_vcf_path()), "--patient", str(patient), "-o", str(out))
    assert code == 0, err
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert "SYNTHETIC DEMONSTRATION DATA" in pages[0]
    assert all("SYNTHETIC" in p for p in pages)
    details = json.loads(patient.read_text())
    assert details["name"] in pages[0] and details["mrn"] in pages[0]


def test_review_exported_by_the_store_is_read(tmp_path, vcf, knowledge_file, capsys):
    from pmviewer.core.model import Decision, PatientDetails, SignOff
    from pmviewer.core.review.export import ReviewDocument, dumps_review

    findings = analysed(vcf, knowledge_file)
    ids = list(findings.frame.loc[findings.frame["category"] == "reportable", "finding_id"])
    doc = ReviewDocument(
        decisions={fid: Decision(fid, "exclude") for fid in ids},
        signoff=SignOff(),
        patient=PatientDetails(name="Exported Patient", date_of_birth="1990-02-03"),
        case={
            "sha256": findings.input_sha256,
            "sample": findings.sample,
            "input_name": vcf.name,
            "build": "GRCh38",
        },
        options={"include_carrier": True, "include_uncertain": False},
    )
    path = tmp_path / "exported.json"
    path.write_text(dumps_review(doc), encoding="utf-8")
    out = tmp_path / "r.pdf"
    code, err = run_report(
        capsys, str(vcf), "--knowledge", str(knowledge_file), "--review", str(path), "-o", str(out)
    )
    assert code == 0, err
    text = text_of(out)
    assert "Exported Patient" in text and "1990-02-03" in text
    assert "NEGATIVE: no reportable variants" in text  # the reviewer excluded BRCA2
    assert f"{len(ids)} finding(s) were excluded by the reviewer" in text
    assert "carrier findings included" in text
