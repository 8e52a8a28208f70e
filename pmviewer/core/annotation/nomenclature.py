"""Transcript-level names (c./p. HGVS) a laboratory can sign, each with where it came from.

Order (issue "nomenclature a lab can sign"): a reviewer-confirmed entry (applied at report
time, from the review); the file's own VEP CSQ / SnpEff ANN annotation on the gene's MANE
Select transcript, matched by exact versioned accession against the bundled MANE table;
ClinVar's name. pmviewer never computes a c. name itself: that needs a validated transcript
model and reference sequence, neither of which is bundled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pmviewer.core.annotation.rules import per_value

SOURCE_WORDS = {
    "reviewer": "entered by the reviewer",
    "file_mane": "the file's own annotation on the MANE Select transcript",
    "clinvar": "ClinVar's name",
}

_TRANSCRIPT = re.compile(r"^(?:NM|NR|XM|XR)_\d+\.\d+$|^ENST\d{11}\.\d+$")
_POS = r"(?:[-*]?\d+(?:[+-]\d+)?)"
_HGVS_C = re.compile(
    rf"^c\.{_POS}(?:_{_POS})?"
    r"(?:[ACGT]>[ACGT]|del[ACGT]*|dup[ACGT]*|ins[ACGT]+|delins[ACGT]+|inv[ACGT]*|=)$"
)
_AA = r"(?:Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Sec|Pyl|Ter|\*)"
_HGVS_P = re.compile(
    rf"^p\.(?:\(?{_AA}\d+(?:_{_AA}\d+)?"
    rf"(?:{_AA}|=|del|dup|ins{_AA}+|delins{_AA}+|{_AA}?fs(?:Ter|\*)?\d*|ext(?:Ter|\*)?-?\d*|\?)?\)?"
    r"|=|\?|0|\(=\)|\(\?\)|\(0\))$"
)


@dataclass(frozen=True)
class Name:
    """The name printed for one finding and its source ('' when no signable name exists)."""

    transcript: str
    hgvs_c: str
    hgvs_p: str
    source: str  # key of SOURCE_WORDS, or ""
    note: str  # e.g. "the file annotated only a non-MANE transcript"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _version_note(transcript: str, mane: set[str], what: str) -> str:
    if transcript in mane:
        return ""
    base = transcript.split(".")[0]
    same = sorted(m for m in mane if m.split(".")[0] == base)
    if same and "." not in transcript:
        return (
            f"{what} is on {transcript}, written without a version, so it cannot be confirmed "
            f"as MANE Select {same[0]}"
        )
    if same:
        return f"{what} is on {transcript}, another version than MANE Select {same[0]}"
    listed = " / ".join(sorted(mane)) or "unknown"
    return f"{what} is on {transcript}, not the MANE Select transcript ({listed})"


def choose_name(row: dict, mane: set[str]) -> Name:
    """The best signable name of one finding row (the reviewer's entry is applied later)."""
    tx, c, p = _text(row.get("transcript")), _text(row.get("hgvs_c")), _text(row.get("hgvs_p"))
    notes: list[str] = []
    if c and tx in mane:
        return Name(tx, c, p, "file_mane", "")
    if c and tx:
        notes.append(
            _version_note(tx, mane, f"the file's own annotation ({c})")
            + "; it was not used as the report's name"
        )
    kb_tx, kb_c, kb_p = (
        _text(row.get("kb_transcript")),
        _text(row.get("kb_hgvs_c")),
        _text(row.get("kb_hgvs_p")),
    )
    if kb_c.startswith(("NM_", "NR_", "ENST")) and ":" in kb_c:
        kb_tx, kb_c = kb_c.split(":", 1)
    if kb_c:
        if kb_tx:
            note = _version_note(kb_tx, mane, "ClinVar's name")
            if note:
                notes.append(note)
        return Name(kb_tx, kb_c, kb_p, "clinvar", "; ".join(notes))
    if not notes:
        notes.append("neither the file nor ClinVar gives a c. name for this variant")
    return Name("", "", "", "", "; ".join(notes))


def name_columns(rows: pd.DataFrame, mane_by_gene: dict[str, set[str]]) -> pd.DataFrame:
    """name_transcript, name_c, name_p, name_source, name_note for every row of ``rows``
    (``kb_gene`` picks the gene's MANE Select accessions): :func:`choose_name` on whole
    columns, each transcript judged once per gene."""
    gene = _texts(rows, "kb_gene")
    tx, c, p = _texts(rows, "transcript"), _texts(rows, "hgvs_c"), _texts(rows, "hgvs_p")
    kb_tx, kb_c, kb_p = (_texts(rows, f"kb_{n}") for n in ("transcript", "hgvs_c", "hgvs_p"))
    prefixed = kb_c.str.startswith(("NM_", "NR_", "ENST")) & kb_c.str.contains(":", regex=False)
    if prefixed.any():
        parts = kb_c[prefixed].str.split(":", n=1)
        kb_tx[prefixed], kb_c[prefixed] = parts.str[0], parts.str[1]

    def version_notes(mask: pd.Series, transcript: pd.Series) -> pd.Series:
        """What :func:`_version_note` says after the name ('' on MANE Select)."""
        notes = pd.Series("", index=rows.index, dtype=object)
        if mask.any():
            pairs = gene[mask] + "\x1f" + transcript[mask]
            notes[mask] = per_value(pairs, lambda pair: _pair_note(pair, mane_by_gene), object)
        return notes

    has_c = c != ""
    file_mane = has_c & (version_notes(has_c & (tx != ""), tx) == "") & (tx != "")
    file_tail = version_notes(has_c & (tx != "") & ~file_mane, tx)
    file_note = ("the file's own annotation (" + c + ")" + file_tail
                 + "; it was not used as the report's name").where(file_tail != "", "")  # fmt: skip
    clinvar = (kb_c != "") & ~file_mane
    kb_tail = version_notes(clinvar & (kb_tx != ""), kb_tx)
    kb_note = ("ClinVar's name" + kb_tail).where(kb_tail != "", "")
    joined = (file_note + "; " + kb_note).where((file_note != "") & (kb_note != ""),
                                                file_note + kb_note)  # fmt: skip
    no_name = file_note.where(file_note != "", "neither the file nor ClinVar gives a c. name "
                              "for this variant")  # fmt: skip
    empty = pd.Series("", index=rows.index, dtype=object)
    picks = {
        "name_transcript": (tx, kb_tx, empty),
        "name_c": (c, kb_c, empty),
        "name_p": (p, kb_p, empty),
        "name_source": ("file_mane", "clinvar", ""),
        "name_note": ("", joined, no_name),
    }
    out = {
        name: pd.Series(mane_value, index=rows.index, dtype=object).where(
            file_mane, pd.Series(kb_value, index=rows.index, dtype=object).where(clinvar, other)
        )
        for name, (mane_value, kb_value, other) in picks.items()
    }
    return pd.DataFrame(out, index=rows.index, dtype=object)


def _pair_note(pair: object, mane_by_gene: dict[str, set[str]]) -> str:
    """:func:`_version_note` for one "gene\\x1ftranscript" pair, without its subject."""
    gene, _, transcript = str(pair).partition("\x1f")
    return _version_note(transcript, mane_by_gene.get(gene, set()), "")


def _texts(rows: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` as stripped texts ('' for a missing or non-text cell, or no column)."""
    if name not in rows:
        return pd.Series("", index=rows.index, dtype=object)
    values = rows[name].astype(object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return values.str.strip().fillna("").astype(object)
    return pd.Series(per_value(values, _text, object), index=rows.index)


def check_hgvs(transcript: str, hgvs_c: str, hgvs_p: str) -> str:
    """'' when a reviewer's entry is well formed, else what is wrong, in words.

    Checks syntax only (HGVS v21 forms for substitutions, deletions, duplications,
    insertions, delins and inversions; p. with three-letter amino acids): pmviewer has no
    transcript model to check that the name matches the genomic variant.
    """
    transcript, hgvs_c, hgvs_p = transcript.strip(), hgvs_c.strip(), hgvs_p.strip()
    if not _TRANSCRIPT.match(transcript):
        return (
            f"'{transcript or '(empty)'}' is not a versioned transcript accession: write it like "
            "NM_007294.4 or ENST00000357654.9."
        )
    if not _HGVS_C.match(hgvs_c):
        return (
            f"'{hgvs_c or '(empty)'}' is not a c. name pmviewer can read: write it like "
            "c.68_69del, c.5266dup, c.181T>G or c.4096+1G>A (no transcript prefix)."
        )
    if hgvs_p and not _HGVS_P.match(hgvs_p):
        return (
            f"'{hgvs_p}' is not a p. name pmviewer can read: write it with three-letter amino "
            "acids, like p.(Glu23ValfsTer17), p.Cys61Gly or p.? (or leave it empty)."
        )
    return ""
