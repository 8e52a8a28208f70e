"""Codes in words: the one place that turns internal codes into what a counselor reads.

The knowledge file, the rule engine and the pharmacogenomics caller speak in codes
(``PLP_BIALLELIC``, ``not_callable``); the window and the report show only the words
below. Dates are printed the way a person reads them ("3 December 2026, 08:27 UTC").
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone

import pandas as pd


def cell_text(value: object) -> str:
    """A frame cell as printable text: '' for None, NA and NaN, else its stripped string."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


# ACMG SF v3.3 reporting rules (knowledge column ``genes.report_rule``), as the list states them
REPORT_RULE_WORDS = {
    "PLP_ANY_ZYGOSITY": "a pathogenic or likely pathogenic variant is reported in any zygosity",
    "PLP_BIALLELIC": (
        "reported when two pathogenic or likely pathogenic alleles are present (homozygous, or "
        "two variants in trans); one allele is a carrier finding"
    ),
    "PLP_TRUNCATING_ONLY": "only truncating pathogenic or likely pathogenic variants are reported",
    "PLP_ANY_ZYGOSITY_XL": (
        "X-linked: a pathogenic or likely pathogenic variant is reported in either sex"
    ),
    "PLP_HEMI_OR_HOM_OR_BIALLELIC_XL": (
        "X-linked: reported when hemizygous (male), homozygous or biallelic (female)"
    ),
    "HFE_C282Y_HOMOZYGOUS_ONLY": "only p.Cys282Tyr (C282Y) homozygotes are reported",
}

INHERITANCE_WORDS = {
    "AD": "autosomal dominant",
    "AR": "autosomal recessive",
    "XL": "X-linked",
    "SD": "semi-dominant",
}

# pharmacogenomics call status (``call_status`` of a PGx result)
CALL_STATUS_WORDS = {
    "called": "Called",
    "partial": "Called from the positions present",
    "no_match": "No named diplotype matches",
    "no_data": "No defining position in the file",
    "not_callable": "Not callable from a VCF",
}

# a genotype's zygosity, in the report's words
ZYGOSITY_WORDS = {
    "het": "Heterozygous",
    "hom": "Homozygous",
    "hemi": "Hemizygous",
    "not_carried": "Not carried",
    "unknown": "Not determined",
}

DECISION_WORDS = {"include": "Include", "exclude": "Exclude", "undecided": "Undecided"}

_CODE = re.compile(r"^[A-Z0-9]+(?:_[A-Z0-9]+)+$|^[a-z]+(?:_[a-z]+)+$")
_COMMAND_LINE_HINT = re.compile(r"\s*\(command line: [^)]*\)")


def rule_words(code: object) -> str:
    """A reporting-rule code in words ('' for none); an unknown code is de-coded, not shown."""
    text = str(code or "").strip()
    if not text:
        return ""
    return REPORT_RULE_WORDS.get(text) or humanise(text)


def call_status_words(code: object) -> str:
    text = str(code or "").strip()
    return CALL_STATUS_WORDS.get(text) or humanise(text)


def inheritance_words(code: object) -> str:
    text = str(code or "").strip()
    return INHERITANCE_WORDS.get(text, text)


def humanise(code: str) -> str:
    """``SOME_CODE`` or ``some_code`` -> 'Some code' (a last resort for codes not listed)."""
    if not _CODE.match(code):
        return code
    words = code.replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def for_window(message: str) -> str:
    """A message written for the command line, as the window shows it (no option names)."""
    return _COMMAND_LINE_HINT.sub("", message)


# ------------------------------------------------------------------------------ dates
def _parse(value: object) -> datetime | date | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def readable_date(value: object) -> str:
    """'2026-12-03' (or a date-time) -> '3 December 2026'; text that is no date is kept."""
    parsed = _parse(value)
    if parsed is None:
        return str(value or "").strip()
    return f"{parsed.day} {parsed:%B %Y}"


def readable_datetime(value: object) -> str:
    """An ISO date-time -> '3 December 2026, 08:27 UTC' (shown in UTC; a plain date stays a
    date; text that is no date is kept)."""
    parsed = _parse(value)
    if parsed is None:
        return str(value or "").strip()
    if not isinstance(parsed, datetime):
        return readable_date(parsed)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)  # the case store writes UTC
    parsed = parsed.astimezone(timezone.utc)
    return f"{parsed.day} {parsed:%B %Y}, {parsed:%H:%M} UTC"


# ------------------------------------------------------------------------------ amendments
_ARROW_NOTE = re.compile(
    r"^(?P<label>.*?): (?P<field>decision|classification|comment|reason for classification) (?P<old>.*) -> (?P<new>.*)$"
)


def amendment_change_words(note: str) -> str:
    """An amendment note in words: 'BRCA2 c.1A>G: decision exclude -> include' becomes
    'BRCA2 c.1A>G: decision changed from Exclude to Include' (other notes are kept)."""
    match = _ARROW_NOTE.match(note.strip())
    if not match:
        return note
    label, field = match["label"], match["field"]
    old, new = match["old"].strip(), match["new"].strip()
    if field == "decision":
        old = DECISION_WORDS.get(old, old)
        new = DECISION_WORDS.get(new, new)
    reason = ""
    if field == "classification":
        found = re.match(r"^(?P<new>.*?) \(reason: (?P<reason>.*)\)$", new)
        if found:
            new, reason = found["new"], f"; reason: {found['reason']}"
    field_words = field[:1].upper() + field[1:]
    return f"{label}: {field_words} changed from {old} to {new}{reason}"
