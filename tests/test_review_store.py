"""Review store: decisions, overrides and comments are saved at once and restored on reopen."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmviewer.core.model import Decision, PatientDetails
from pmviewer.core.review.store import (
    ChangeEvent,
    ReviewStore,
    ReviewValueError,
    decisions_frame,
    labels_from_findings,
)

# Real ClinVar records (20250928 GRCh38 ACMG SF subset) as the annotator keys them.
BRCA2 = "GRCh38:13:32379416:ATGGAATC:A"
TTN = "GRCh38:2:178632635:CT:C"
MLH1_DEL = "GRCh38:3:37008833:AC:A"
MLH1_SNV = "GRCh38:3:37017597:C:T"

VCF = """##fileformat=VCFv4.2
##contig=<ID=chr2,length=242193529>
##contig=<ID=chr3,length=198295559>
##contig=<ID=chr13,length=114364328>
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878\tNA12891
chr2\t178632635\t.\tCT\tC\t50\tPASS\t.\tGT\t0/1\t0/0
chr3\t37008833\t.\tAC\tA\t50\tPASS\t.\tGT\t0/1\t0/1
chr13\t32379416\t.\tATGGAATC\tA\t50\tPASS\t.\tGT\t0/1\t0/0
"""

NASTY = "Mère & fils <b>bold</b> \"quoted\" 'single' \u00e9\u0301 日本語 עברית 🧬\n\ttab & &amp; <script>"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def vcf(tmp_path: Path) -> Path:
    path = tmp_path / "patient.vcf"
    path.write_text(VCF)
    return path


@pytest.fixture
def store():
    with ReviewStore() as s:
        yield s


def open_case(store: ReviewStore, vcf: Path, sample: str = "NA12878", kv: str = "kb-2025.09"):
    return store.open_case(sha256_of(vcf), sample, str(vcf), "GRCh38", kv)


def test_decide_comment_override_patient_all_restored_after_reopen(vcf):
    with ReviewStore() as store:
        case = open_case(store, vcf)
        assert case.set_decision(BRCA2, "include")
        assert case.set_decision(TTN, "exclude")
        assert case.set_override(MLH1_DEL, "Likely pathogenic", "Segregates in family <3 & 4>")
        assert case.set_comment(BRCA2, NASTY)
        case.set_patient(PatientDetails(name="Zoë O'Brien-Łukasz", date_of_birth="1980-02-29"))
        before = case.decisions()
        store_path = store.path

    with ReviewStore() as again:
        assert again.path == store_path
        case = open_case(again, vcf)
        restored = case.decisions()
        patient = case.patient()
        untouched = case.decision(MLH1_SNV)
        status, locked = case.status, case.locked
    assert restored == before
    assert restored[BRCA2] == Decision(BRCA2, "include", None, None, NASTY)
    assert restored[TTN].decision == "exclude"
    assert restored[MLH1_DEL] == Decision(
        MLH1_DEL, "undecided", "Likely pathogenic", "Segregates in family <3 & 4>", ""
    )
    assert patient.name == "Zoë O'Brien-Łukasz"
    assert patient.date_of_birth == "1980-02-29"
    assert untouched == Decision(MLH1_SNV)  # never touched: undecided
    assert status == "draft" and not locked


def test_changed_file_with_same_name_is_a_different_case(store, vcf):
    first = open_case(store, vcf)
    first.set_decision(BRCA2, "include")
    old_sha = sha256_of(vcf)

    vcf.write_text(VCF + "chr3\t37017597\t.\tC\tT\t50\tPASS\t.\tGT\t0/1\t0/0\n")
    second = open_case(store, vcf)
    assert second.case_id != first.case_id
    assert second.decisions() == {}
    earlier = store.other_versions("patient.vcf", sha256_of(vcf))
    assert [c.sha256 for c in earlier] == [old_sha]
    assert earlier[0].n_decided == 1
    assert {c.case_id for c in store.find_cases_by_name("/elsewhere/patient.vcf")} == {
        first.case_id,
        second.case_id,
    }
    # reopening the original content restores the original case
    vcf.write_text(VCF)
    assert open_case(store, vcf).case_id == first.case_id
    assert store.other_versions("patient.vcf", old_sha)[0].case_id == second.case_id


def test_each_sample_of_a_file_is_its_own_case(store, vcf):
    a = open_case(store, vcf, "NA12878")
    b = open_case(store, vcf, "NA12891")
    a.set_decision(MLH1_DEL, "include")
    assert a.case_id != b.case_id
    assert b.decisions() == {}
    assert store.find_case(sha256_of(vcf), "NA12891").case_id == b.case_id
    assert store.find_case(sha256_of(vcf), "nobody") is None
    unnamed = store.open_case(sha256_of(vcf), None, "patient.vcf", "GRCh38", "kb")
    assert unnamed.info.sample is None and unnamed.case_id not in (a.case_id, b.case_id)


def test_override_needs_a_reason_and_nothing_is_saved_without_one(store, vcf):
    case = open_case(store, vcf)
    labels = {TTN: "TTN g.178632638del"}
    case.set_labels(labels)
    audit_before = len(case.audit_log())
    with pytest.raises(ReviewValueError, match="reason.*TTN g.178632638del"):
        case.set_override(TTN, "Benign", "   ")
    assert case.decisions() == {}
    assert len(case.audit_log()) == audit_before

    case.set_override(TTN, "Benign", "Population frequency too high")
    assert case.decision(TTN).override_reason == "Population frequency too high"
    assert not case.set_override(TTN, "Benign", "Population frequency too high")  # no change
    case.set_override(TTN, None, "")  # clearing needs no reason, and drops the old one
    assert case.decision(TTN).classification_override is None
    assert case.decision(TTN).override_reason is None


def test_decision_values_and_ids_are_checked(store, vcf):
    case = open_case(store, vcf)
    with pytest.raises(ReviewValueError, match="include"):
        case.set_decision(BRCA2, "maybe")
    with pytest.raises(ReviewValueError, match="identifier"):
        case.set_decisions([BRCA2, ""], "include")
    assert case.decisions() == {}
    with pytest.raises(ReviewValueError, match="SHA-256"):
        store.open_case("not-a-hash", "S", "x.vcf", "GRCh38", "kb")
    with pytest.raises(ReviewValueError, match="cannot be saved"):
        case.set_comment(BRCA2, "lone surrogate \ud800")


def test_bulk_decisions_commit_together_and_skip_unchanged(store, vcf):
    case = open_case(store, vcf)
    case.set_decision(TTN, "include")
    changed = case.set_decisions([BRCA2, TTN, MLH1_DEL, MLH1_SNV, BRCA2], "include")
    assert changed == 3  # TTN was already included; BRCA2 listed twice counts once
    rows = [r for r in case.audit_log() if r.field == "decision"]
    assert [r.finding_id for r in rows] == [TTN, BRCA2, MLH1_DEL, MLH1_SNV]
    assert len({r.time for r in rows[1:]}) == 1  # one transaction, one timestamp
    assert case.set_decisions([BRCA2, TTN], "include") == 0
    assert case.info.n_decided == 4


def test_listeners_hear_committed_changes_only(store, vcf):
    case = open_case(store, vcf)
    events: list[ChangeEvent] = []
    unsubscribe = case.subscribe(events.append)
    case.set_decisions([BRCA2, TTN], "exclude")
    case.set_comment(BRCA2, "x")
    with pytest.raises(ReviewValueError):
        case.set_override(BRCA2, "Benign", "")
    case.set_patient(PatientDetails(mrn="123"))
    assert events == [
        ChangeEvent("decision", (BRCA2, TTN)),
        ChangeEvent("comment", (BRCA2,)),
        ChangeEvent("patient", ()),
    ]
    unsubscribe()
    case.set_comment(BRCA2, "y")
    assert len(events) == 3


def test_knowledge_version_and_renames_are_recorded(store, vcf):
    case = open_case(store, vcf, kv="kb-1")
    again = open_case(store, vcf, kv="kb-2")
    assert again.case_id == case.case_id
    assert again.info.knowledge_version == "kb-2"
    renamed = store.open_case(sha256_of(vcf), "NA12878", "/x/copy.vcf", "GRCh38", "kb-2")
    assert renamed.case_id == case.case_id and renamed.info.input_name == "copy.vcf"
    fields = [(r.field, r.old, r.new) for r in case.audit_log()]
    assert ("knowledge_version", "kb-1", "kb-2") in fields
    assert ("input_name", "patient.vcf", "copy.vcf") in fields


def test_case_folder_and_files_are_private_whatever_the_umask(vcf):
    old = os.umask(0)
    try:
        with ReviewStore() as store:
            open_case(store, vcf).set_decision(BRCA2, "include")
            folder = store.path.parent
            files = sorted(p.name for p in folder.iterdir())
            assert files == ["store.sqlite", "store.sqlite-shm", "store.sqlite-wal"]
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            for name in files:
                assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    finally:
        os.umask(old)


def test_store_lives_in_the_user_data_folder(store, _isolated_user_dirs):
    assert store.path == Path(_isolated_user_dirs) / "data" / "cases" / "store.sqlite"
    journal = store.connection.execute("PRAGMA journal_mode").fetchone()[0]
    sync = store.connection.execute("PRAGMA synchronous").fetchone()[0]
    assert (journal, sync) == ("wal", 2)  # 2 = FULL


def test_labels_from_findings_prefers_knowledge_base_names():
    frame = pd.DataFrame(
        {
            "finding_id": [BRCA2, TTN, MLH1_SNV],
            "kb_gene": ["BRCA2", None, pd.NA],
            "gene": ["BRCA2", "TTN", None],
            "kb_hgvs_c": ["NM_000059.4:c.9999del", None, None],
            "hgvs_c": [None, "c.1del", None],
        }
    )
    assert labels_from_findings(frame) == {
        BRCA2: "BRCA2 c.9999del",
        TTN: "TTN c.1del",
        MLH1_SNV: MLH1_SNV,
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_any_comment_text_round_trips(store, vcf, text):
    case = open_case(store, vcf)
    case.set_comment(BRCA2, text)
    assert case.decision(BRCA2).comment == text
    if text:
        assert case.audit_log()[-1].new == text


def test_a_too_open_cases_folder_is_tightened_but_a_chosen_folder_is_left_alone(tmp_path):
    cases = tmp_path / "data" / "cases"
    cases.mkdir(parents=True)
    cases.chmod(0o755)
    sqlite3.connect(cases / "store.sqlite").execute("CREATE TABLE t (x)").connection.close()
    (cases / "store.sqlite").chmod(0o644)  # an older install's store (a 0-byte one is damage)
    with ReviewStore(cases / "store.sqlite"):
        pass
    assert stat.S_IMODE(cases.stat().st_mode) == 0o700
    assert stat.S_IMODE((cases / "store.sqlite").stat().st_mode) == 0o600

    chosen = tmp_path / "my-folder"
    chosen.mkdir()
    chosen.chmod(0o755)
    with ReviewStore(chosen / "review.sqlite"):
        pass
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    assert stat.S_IMODE((chosen / "review.sqlite").stat().st_mode) == 0o600


def test_decisions_frame_aligns_review_columns_with_the_findings_rows(store, vcf):
    case = open_case(store, vcf)
    case.set_decision(TTN, "exclude")
    case.set_override(BRCA2, "Pathogenic", "PVS1")
    findings = pd.DataFrame({"finding_id": [MLH1_SNV, BRCA2, TTN]}, index=[10, 11, 12])
    review = decisions_frame(findings, case.decisions())
    assert list(review.index) == [10, 11, 12]
    assert list(review["decision"]) == ["undecided", "undecided", "exclude"]
    assert review["classification_override"].isna().tolist() == [True, False, True]
    assert review.loc[11, "override_reason"] == "PVS1"
    assert list(review["comment"]) == ["", "", ""]
    assert list(review["decision"].cat.categories) == ["undecided", "include", "exclude"]
    assert len(decisions_frame(pd.DataFrame({"finding_id": []}), {})) == 0


def test_one_findings_history(store, vcf):
    case = open_case(store, vcf)
    case.set_decision(TTN, "include")
    case.set_decision(BRCA2, "include")
    case.set_decision(TTN, "exclude")
    history = case.audit_log(TTN)
    assert [(r.old, r.new) for r in history] == [("undecided", "include"), ("include", "exclude")]
