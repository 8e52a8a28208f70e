"""The reviewer's transcript-level names live in the append-only audit (who, when, what), and
approval needs a second person."""

from __future__ import annotations

import getpass
import hashlib

import pytest

from pmviewer.core.review.store import CaseLocked, ReviewStore, ReviewValueError, SignOffError

BRCA2 = "GRCh38:13:32340300:GT:G"
SHA = hashlib.sha256(b"##fileformat=VCFv4.2\n#names\n").hexdigest()


@pytest.fixture
def case():
    with ReviewStore() as store:
        c = store.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "kb-1")
        c.set_labels({BRCA2: "BRCA2 g.32340301del"})
        yield c


def test_reviewer_name_is_checked_stored_and_audited(case):
    assert case.set_name(BRCA2, "NM_000059.4", "c.5946del", "p.(Ser1982ArgfsTer22)")
    assert not case.set_name(BRCA2, "NM_000059.4", "c.5946del", "p.(Ser1982ArgfsTer22)")
    d = case.decision(BRCA2)
    assert (d.hgvs_transcript, d.hgvs_c, d.hgvs_p) == (
        "NM_000059.4", "c.5946del", "p.(Ser1982ArgfsTer22)",
    )  # fmt: skip
    assert case.decisions()[BRCA2].hgvs_c == "c.5946del"
    with pytest.raises(ReviewValueError, match="not a versioned transcript"):
        case.set_name(BRCA2, "NM_000059", "c.5946del", "")
    assert (
        case.decision(BRCA2).hgvs_transcript == "NM_000059.4"
    )  # the refused entry changed nothing
    rows = [r for r in case.audit_log() if r.field == "variant_name"]
    assert len(rows) == 1 and rows[0].os_user == getpass.getuser()
    assert rows[0].old is None and "c.5946del" in rows[0].new
    assert case.set_name(BRCA2, "", "", "")  # removed, and audited
    assert case.decision(BRCA2).hgvs_c == ""
    assert [r.field for r in case.audit_log()].count("variant_name") == 2


def test_names_follow_the_lock_and_the_amendment(case):
    case.set_decisions([BRCA2], "include")
    case.sign_review("Ana Reviewer", "MS, CGC")
    with pytest.raises(SignOffError, match="approved by another person"):
        case.approve(" ana reviewer ", "")
    case.approve("Ben Director", "PhD")
    with pytest.raises(CaseLocked):
        case.set_name(BRCA2, "NM_000059.4", "c.5946del", "")
    case.start_amendment("Name added after confirmation")
    case.set_name(BRCA2, "NM_000059.4", "c.5946del", "")
    (amendment,) = case.amendments()
    assert any("c.5946del" in change for change in amendment.changes)
