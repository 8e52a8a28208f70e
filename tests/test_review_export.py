"""Review JSON: export, read back (``pmviewer report --review``), import into another store."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from pmviewer.core.errors import InputFileError
from pmviewer.core.model import PatientDetails
from pmviewer.core.review.export import (
    export_review,
    import_review,
    load_review,
    mismatch_warning,
    review_from_dict,
)
from pmviewer.core.review.store import CaseLocked, ReviewStore

BRCA2 = "GRCh38:13:32379416:ATGGAATC:A"
MLH1 = "GRCh38:3:37017597:C:T"
TTN = "GRCh38:2:178632635:CT:C"
SHA = hashlib.sha256(b"fileformat=VCFv4.3").hexdigest()
NASTY = 'Rê <i>&</i> "q" 中文 \U0001f9ec\nline 2'
PATIENT = PatientDetails(
    name="Ñandú <Smith> & Sons",
    date_of_birth="1990-12-31",
    sex="F",
    mrn="MRN&42",
    ordering_clinician="Dr. Ōta",
    indication="Family history of breast cancer",
    specimen_type="Blood",
    specimen_collected="2026-10-01",
    family_history="Mother: breast cancer at 45",
)


def reviewed_case(store: ReviewStore, amend: bool = True):
    case = store.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "kb-2025.09")
    case.set_labels({BRCA2: "BRCA2 g.32379419_32379425del"})
    case.set_decisions([BRCA2, MLH1], "include")
    case.set_decision(TTN, "exclude")
    case.set_override(MLH1, "Likely pathogenic", "PS4 & PM2 <local>")
    case.set_comment(BRCA2, NASTY)
    case.set_patient(PATIENT)
    case.set_report_options(include_carrier=True)
    case.sign_review("Ana Reviewer", "MS, CGC")
    case.approve("Ben Director", "PhD")
    if amend:
        case.start_amendment("Comment corrected")
        case.set_comment(BRCA2, NASTY + " (corrected)")
        case.approve("Ben Director", "PhD")
    return case


def test_export_writes_private_json_with_every_field(tmp_path):
    with ReviewStore() as store:
        case = reviewed_case(store)
        path = export_review(case, tmp_path / "review.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    top = "format format_version input_sha256 case patient decisions signoff options"
    assert set(data) == set(top.split())  # the documented top level, written out here
    assert data["case"]["sha256"] == data["input_sha256"] == SHA
    assert data["case"]["sample"] == "NA12878"
    assert data["options"] == {"include_carrier": True, "include_uncertain": False}
    assert data["case"]["status"] == "amended"
    assert [d["finding_id"] for d in data["decisions"]] == sorted([BRCA2, MLH1, TTN])
    assert data["patient"]["name"] == "Ñandú <Smith> & Sons"
    assert data["signoff"]["amendments"][0]["changes"] == [
        'BRCA2 g.32379419_32379425del: comment "Rê <i>&</i> "q" 中文 \U0001f9ec line 2" -> '
        '"Rê <i>&</i> "q" 中文 \U0001f9ec line 2 (corrected)"'
    ]
    assert "中文" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped


def test_round_trip_through_file_and_into_a_new_store(tmp_path):
    with ReviewStore() as store:
        case = reviewed_case(store)
        original = (case.decisions(), case.patient(), case.signoff(), case.report_options())
        path = export_review(case, tmp_path / "review.json")

    doc = load_review(path)
    assert (doc.decisions, doc.patient, doc.signoff, doc.options) == original
    assert doc.decisions[BRCA2].comment == NASTY + " (corrected)"

    with ReviewStore(tmp_path / "other" / "store.sqlite") as other:
        imported = import_review(other, doc, source="review.json")
        assert (
            imported.decisions(),
            imported.patient(),
            imported.signoff(),
            imported.report_options(),
        ) == original
        assert imported.locked and imported.status == "amended"
        assert any(r.field == "import" and r.new == "review.json" for r in imported.audit_log())
        again = export_review(imported, tmp_path / "again.json")
        with pytest.raises(CaseLocked):
            import_review(other, doc, source="review.json")
    first, second = json.loads(path.read_text()), json.loads(again.read_text())
    for data in (first, second):
        for key in ("exported_at", "created_at"):
            data["case"].pop(key)
    assert first == second


def test_a_draft_with_an_open_amendment_stays_open_after_import(tmp_path):
    with ReviewStore() as store:
        case = reviewed_case(store, amend=False)
        case.start_amendment("New evidence")
        case.set_decision(TTN, "include")
        path = export_review(case, tmp_path / "review.json")
    with ReviewStore(tmp_path / "other.sqlite") as other:
        imported = import_review(other, load_review(path), source="review.json")
        assert imported.status == "draft" and imported.amendment_open
        imported.set_comment(TTN, "more")
        assert imported.approve("Ben Director", "PhD") == "amended"
        changes = imported.signoff().amendments[0].changes
        assert changes[0].endswith("decision exclude -> include")
        assert changes[-1].endswith('comment (none) -> "more"')


def test_import_into_a_draft_updates_it_with_audit_rows(tmp_path):
    with ReviewStore() as store:
        path = export_review(reviewed_case(store, amend=False), tmp_path / "r.json")
    data = json.loads(path.read_text())
    data["signoff"] = {"status": "draft"}
    with ReviewStore(tmp_path / "other.sqlite") as other:
        draft = other.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "kb-2025.09")
        draft.set_decision(TTN, "include")
        import_review(other, review_from_dict(data), source="r.json")
        assert draft.decision(TTN).decision == "exclude"
        assert draft.status == "draft"
        fields = [(r.finding_id, r.field, r.old, r.new) for r in draft.audit_log()]
        assert (TTN, "decision", "include", "exclude") in fields
        assert (None, "patient.mrn", "", "MRN&42") in fields


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["decisions"].append({"finding_id": "x", "decision": "maybe"}), "'maybe'"),
        (lambda d: d["decisions"][0].update(desicion="include"), "unknown key 'desicion'"),
        (
            lambda d: d["decisions"].append(
                {"finding_id": "y", "classification_override": "Benign"}
            ),
            "without a reason",
        ),
        (lambda d: d["decisions"].append(dict(d["decisions"][0])), "repeats finding"),
        (lambda d: d.update(format_version=99), "newer version of pmviewer"),
        (lambda d: d["patient"].update(dob="1990-01-01"), "unknown key 'dob' in 'patient'"),
        (lambda d: d["patient"].update(name=7), "'patient.name' must be text"),
        (lambda d: d["signoff"].update(status="signed"), "status 'signed'"),
        (lambda d: d["signoff"].update(approver=""), "no reviewer or approver"),
        (lambda d: d["signoff"].update(amendments=[]), "lists no amendment"),
        (lambda d: d.update(format="something-else"), "not a pmviewer review"),
        (lambda d: d.update(input_sha256="0" * 64), "disagree"),
        (lambda d: d["options"].update(include_pgx=True), "unknown key 'include_pgx'"),
        (lambda d: d["options"].update(include_carrier="yes"), "true or false"),
    ],
)
def test_bad_review_files_are_refused_with_the_reason(tmp_path, change, message):
    with ReviewStore() as store:
        path = export_review(reviewed_case(store), tmp_path / "review.json")
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(InputFileError, match="review.json cannot be used") as caught:
        load_review(path)
    assert message in str(caught.value)


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        load_review(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"decisions": [')
    with pytest.raises(InputFileError, match="not valid JSON"):
        load_review(broken)


def test_a_minimal_hand_written_file_is_a_draft():
    doc = review_from_dict({"decisions": [{"finding_id": BRCA2, "decision": "include"}]})
    assert doc.signoff.status == "draft" and doc.patient == PatientDetails()
    assert doc.decisions[BRCA2].comment == ""


def test_the_shape_pmviewer_report_documents_is_read_too():
    doc = review_from_dict(
        {
            "input_sha256": SHA,
            "decisions": [{"finding_id": BRCA2, "decision": "exclude"}],
            "signoff": {"status": "draft", "reviewer": "Ana"},
            "patient": {"name": "Pat"},
            "options": {"include_uncertain": True},
        }
    )
    assert doc.case == {"sha256": SHA}
    assert doc.options == {"include_uncertain": True}
    assert doc.decisions[BRCA2].decision == "exclude" and doc.patient.name == "Pat"


def test_mismatch_warning_names_the_other_file():
    doc = review_from_dict({"case": {"sha256": SHA, "sample": "NA12878", "input_name": "a.vcf"}})
    assert mismatch_warning(doc, SHA.upper(), "NA12878") is None
    assert "different version of the input (a.vcf)" in mismatch_warning(doc, "0" * 64, "NA12878")
    assert (
        mismatch_warning(doc, SHA, "NA12891")
        == "The review file is for sample NA12878, not NA12891."
    )


def test_export_into_a_missing_folder_is_a_storage_error(tmp_path):
    from pmviewer.core.errors import StorageError

    with ReviewStore() as store:
        case = reviewed_case(store, amend=False)
        with pytest.raises(StorageError, match="could not export the review") as caught:
            export_review(case, tmp_path / "no" / "such" / "folder" / "r.json")
    assert caught.value.kind == "missing" and "does not exist" in str(caught.value)
    assert not list(Path(tmp_path).glob("**/.r.json.*"))
