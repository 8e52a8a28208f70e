"""Codes in words: the one mapping the window and the report share."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pmviewer.core import wording
from pmviewer.core.knowledge import open_knowledge


def test_every_reporting_rule_in_the_knowledge_file_has_words():
    with open_knowledge() as kb:
        codes = set(kb.genes()["report_rule"].dropna())
    assert codes, "the bundled knowledge file lists reporting rules"
    for code in codes:
        words = wording.rule_words(code)
        assert code in wording.REPORT_RULE_WORDS, code
        assert "_" not in words and words != code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-03T08:27:41Z", "3 December 2026, 08:27 UTC"),
        ("2026-12-03T09:27:41+01:00", "3 December 2026, 08:27 UTC"),
        (datetime(2026, 12, 3, 8, 27, tzinfo=timezone.utc), "3 December 2026, 08:27 UTC"),
        ("2026-12-03", "3 December 2026"),
        ("", ""),
        ("sometime in May", "sometime in May"),
    ],
)
def test_dates_read_like_a_person_writes_them(value, expected):
    assert wording.readable_datetime(value) == expected


def test_amendment_notes_in_words():
    assert (
        wording.amendment_change_words("BRCA2 c.1A>G: decision exclude -> include")
        == "BRCA2 c.1A>G: Decision changed from Exclude to Include"
    )
    assert wording.amendment_change_words(
        "ATP7B c.3207C>A: classification as in the knowledge base -> Likely pathogenic "
        "(reason: segregation in family)"
    ) == (
        "ATP7B c.3207C>A: Classification changed from as in the knowledge base to Likely "
        "pathogenic; reason: segregation in family"
    )
    assert wording.amendment_change_words("Review signed by A. B.") == "Review signed by A. B."


def test_unknown_codes_are_humanised_and_command_line_hints_dropped():
    assert wording.call_status_words("not_callable") == "Not callable from a VCF"
    assert wording.humanise("SOME_NEW_RULE") == "Some new rule"
    assert wording.humanise("BRCA1") == "BRCA1"
    assert (
        wording.for_window("State GRCh37 or GRCh38 when opening it (command line: --build).")
        == "State GRCh37 or GRCh38 when opening it."
    )
