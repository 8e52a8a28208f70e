"""What a CIViC variant name asks of a tumour VCF: the matching kind and its parameters.

CIViC names variants in free text ("V600E", "V600", "G12/G13", "Exon 19 Deletion", "Mutation",
"Loss-of-function", "EML4::ALK Fusion", "Amplification"). Each name is read once, at build
time, into one kind the matcher understands:

``protein``  named protein changes (``V600E``, ``D835H/Y``, ``E746_A750del``, ``W288fs``)
``codon``    any change of one residue (``V600``, ``G12/G13``)
``exon``     a change of a kind inside an exon (``Exon 19 Deletion``, ``Exon 20 Insertion``)
``gene``     any protein-altering (``Mutation``) or truncating (``Loss-of-function``) change
``copy_number``  a whole-gene change of copy number: ``Amplification`` (change ``AMPLIFICATION``),
             ``Deletion``/``Loss`` (change ``LOSS``), matched to the file's CNV/SV records
``fusion``   a fusion of two named genes (``EML4::ALK Fusion``, ``e20::e20``) or of one gene with
             any partner (``v::ALK``, ``ALK Fusion``); the partners come from CIViC's own
             5'/3' partner columns, matched to the file's breakends
``not_assessed``  what a VCF cannot show: expression, methylation, domain-level or functional
             classes, partial-gene deletions; ``detail`` names the class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AA = "ACDEFGHIKLMNPQRSTVWY"
_MISSENSE = re.compile(rf"^([{_AA}*])(\d+)([{_AA}*](?:/[{_AA}*])*)$")
_CODON = re.compile(rf"^([{_AA}])(\d+)((?:/[{_AA}]\d+)*)$")
_FS = re.compile(rf"^([{_AA}])(\d+)(?:[{_AA}])?FS(?:\*\d+|TER\d+)?$")
_RANGE = re.compile(rf"^([{_AA}])(\d+)(?:_([{_AA}])(\d+))?(DEL|DUP|INS[{_AA}]+|DELINS[{_AA}]+)$")
_EXON = re.compile(
    r"^EXON (\d+)(?:-(\d+))? (DELETION|INSERTION|MUTATION|FRAMESHIFT|SKIPPING MUTATION)$"
)
_PAREN = re.compile(r"\s*\(.*\)\s*$")

GENE_ANY = ("MUTATION",)
COPY_NUMBER = {"AMPLIFICATION": "AMPLIFICATION", "DELETION": "LOSS", "LOSS": "LOSS"}
FUSION_NAMES = ("FUSION", "FUSIONS")
GENE_TRUNCATING = (
    "LOSS-OF-FUNCTION", "TRUNCATING MUTATION", "FRAMESHIFT TRUNCATION", "FRAMESHIFT",
    "INACTIVATING MUTATION", "DELETERIOUS MUTATION", "N-TERMINAL FRAME SHIFT", "TRUNCATION",
)  # fmt: skip

_NOT_ASSESSED = (
    ("fusion", re.compile(r"FUSION|::|REARRANGEMENT|^E\d+::E\d+$|TRANSLOCATION")),
    (
        "copy number",
        re.compile(
            r"AMPLIFICATION|^LOSS$|^DELETION$|COPY NUMBER|^LOH$|BIALLELIC|"
            r"EXON \d+(-\d+)? DELETION$|^DEL "
        ),
    ),  # fmt: skip
    (
        "expression",
        re.compile(
            r"EXPRESSION|^HIGH$|^VIII$|AR-V7|SERUM|MISLOCALIZATION|"
            r"TRANSLOCATION|ALTERNATIVE TRANSCRIPT"
        ),
    ),  # fmt: skip
    ("methylation", re.compile(r"METHYLATION|DEMETHYLATION|PHOSPHORYLATION")),
    (
        "functional class",
        re.compile(
            r"ACTIVATING|DOMAIN|WILDTYPE|RARE MUTATION|ITD|"
            r"INTERNAL DUPLICATION|POLYMORPHISM|TANDEM REPEAT|GAIN-OF-FUNCTION|NON-|LOOP|"
            r"ALTERATION|POSITIVE"
        ),
    ),  # fmt: skip
)


@dataclass(frozen=True)
class VariantMatchSpec:
    """How one CIViC variant is matched against a call."""

    kind: str
    proteins: tuple[str, ...] = ()  # normalised one-letter changes: V600E, E746_A750DEL, W288FS
    aa_ref: str | None = None
    codons: tuple[int, ...] = ()
    exon_first: int | None = None
    exon_last: int | None = None
    change: str | None = None  # exon: DELETION/INSERTION/MUTATION/FRAMESHIFT; gene: ANY/TRUNCATING
    detail: str | None = None  # not_assessed: the class a VCF cannot show


def classify(name: str) -> VariantMatchSpec:
    """The matching kind of a CIViC variant name (see the module docstring)."""
    text = _PAREN.sub("", name.strip()).upper()
    text = re.sub(r"(?<=\d)X$", "*", text)  # W1815X: X for a stop codon
    m = _MISSENSE.match(text)
    if m:
        ref, pos, alts = m.group(1), m.group(2), m.group(3).split("/")
        return VariantMatchSpec("protein", tuple(f"{ref}{pos}{a}" for a in alts))
    m = _CODON.match(text)
    if m:
        codons = [int(m.group(2))] + [int(c[1:]) for c in m.group(3).split("/") if c]
        return VariantMatchSpec("codon", aa_ref=m.group(1), codons=tuple(codons))
    m = _FS.match(text)
    if m:
        return VariantMatchSpec("protein", (f"{m.group(1)}{m.group(2)}FS",))
    m = _RANGE.match(text)
    if m:
        return VariantMatchSpec("protein", (protein_key(text),))
    if text in COPY_NUMBER:
        return VariantMatchSpec("copy_number", change=COPY_NUMBER[text])
    if text in FUSION_NAMES:
        return VariantMatchSpec("fusion", change="FUSION")
    if text in GENE_ANY:
        return VariantMatchSpec("gene", change="ANY")
    if text in GENE_TRUNCATING:
        return VariantMatchSpec("gene", change="TRUNCATING")
    m = _EXON.match(text)
    if m and m.group(3) != "DELETION" or m and m.group(2) is None:
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        change = "MUTATION" if m.group(3) == "SKIPPING MUTATION" else m.group(3)
        return VariantMatchSpec("exon", exon_first=first, exon_last=last, change=change)
    for detail, pattern in _NOT_ASSESSED:
        if pattern.search(text):
            return VariantMatchSpec("not_assessed", detail=detail)
    return VariantMatchSpec("not_assessed", detail="other")


def protein_key(text: str) -> str:
    """A one-letter protein change in the form both CIViC names and the matcher compare."""
    text = text.upper().replace("P.", "")
    m = _FS.match(text)
    if m:
        return f"{m.group(1)}{m.group(2)}FS"
    return text
