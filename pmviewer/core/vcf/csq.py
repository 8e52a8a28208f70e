"""Read the annotation a pipeline already wrote into the VCF: VEP ``CSQ``, SnpEff ``ANN``/``EFF``.

The sub-field layout is taken from the header's INFO Description (``Format: Allele|...``),
never assumed. For each ALT allele one transcript is chosen: a transcript of the bundled MANE
Select table (exact version, when the caller gives the table), else the MANE Select transcript
when the file flags it, else the canonical one, else the most severe consequence.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote


class AlleleAnnotation(NamedTuple):
    gene: str | None
    consequence: str | None
    impact: str | None
    transcript: str | None
    hgvs_c: str | None
    hgvs_p: str | None


IMPACT_RANK = {"HIGH": 0, "MODERATE": 1, "LOW": 2, "MODIFIER": 3}

# Sequence Ontology consequence terms from most to least severe, as ordered in the Ensembl
# VEP documentation ("Calculated variant consequences" table,
# https://www.ensembl.org/info/genome/variation/prediction/predicted_data.html). Used only to
# break ties between transcripts of equal IMPACT; unknown terms sort last.
SO_ORDER = [
    "transcript_ablation", "splice_acceptor_variant", "splice_donor_variant", "stop_gained",
    "frameshift_variant", "stop_lost", "start_lost", "transcript_amplification",
    "feature_elongation", "feature_truncation", "inframe_insertion", "inframe_deletion",
    "missense_variant", "protein_altering_variant", "splice_donor_5th_base_variant",
    "splice_region_variant", "splice_donor_region_variant", "splice_polypyrimidine_tract_variant",
    "incomplete_terminal_codon_variant", "start_retained_variant", "stop_retained_variant",
    "synonymous_variant", "coding_sequence_variant", "mature_miRNA_variant",
    "5_prime_UTR_variant", "3_prime_UTR_variant", "non_coding_transcript_exon_variant",
    "intron_variant", "NMD_transcript_variant", "non_coding_transcript_variant",
    "coding_transcript_variant", "upstream_gene_variant", "downstream_gene_variant",
    "TFBS_ablation", "TFBS_amplification", "TF_binding_site_variant",
    "regulatory_region_ablation", "regulatory_region_amplification", "regulatory_region_variant",
    "intergenic_variant", "sequence_variant",
]  # fmt: skip
_SO_RANK = {term: i for i, term in enumerate(SO_ORDER)}
_UNKNOWN_RANK = len(SO_ORDER)

_FORMAT_RE = re.compile(r"Format:\s*'?\s*([^'\"]+?)\s*'?\s*$", re.I)


def parse_format(description: str) -> list[str]:
    """Sub-field names from a CSQ/ANN Description (``... Format: Allele|Consequence|...``)."""
    text = description.strip().rstrip('"')
    m = _FORMAT_RE.search(text)
    if m:
        body = m.group(1)
    else:  # SnpEff ANN: "Functional annotations: 'Allele | Annotation | ...'"
        body = text.rsplit(":", 1)[-1].strip().strip("'")
        if "|" not in body:
            return []
    return [f.strip() for f in body.split("|")]


def _first(fields: dict[str, int], *names: str) -> int | None:
    lowered = {k.lower(): v for k, v in fields.items()}
    for n in names:
        if n.lower() in lowered:
            return lowered[n.lower()]
    return None


def _clean(value: str) -> str | None:
    value = value.strip()
    return unquote(value) if value and value != "." else None


def _strip_tx(hgvs: str | None) -> str | None:
    """``ENST0001.2:c.5266dup`` -> ``c.5266dup`` (the transcript has its own column)."""
    if hgvs and ":" in hgvs:
        return hgvs.split(":", 1)[1]
    return hgvs


def severity(consequence: str | None, impact: str | None) -> tuple[int, int]:
    terms = (consequence or "").split("&")
    so = min((_SO_RANK.get(t, _UNKNOWN_RANK) for t in terms), default=_UNKNOWN_RANK)
    return IMPACT_RANK.get((impact or "").upper(), 4), so


def vep_allele_strings(ref: str, alts: list[str]) -> list[str]:
    """How VEP writes each ALT in its ``Allele`` sub-field.

    VEP drops the shared first base when REF and every ALT begin with it and the lengths
    differ (an empty allele becomes ``-``).
    """
    alleles = [ref, *alts]
    plain = [a for a in alleles if not a.startswith("<") and a not in ("*", ".")]
    if len({len(a) for a in plain}) > 1 and len({a[:1] for a in plain}) == 1:
        return [(a[1:] or "-") if a in plain else a for a in alts]
    return list(alts)


class AnnotationParser:
    """Parses one annotation INFO field (CSQ, ANN or EFF) into one choice per ALT."""

    def __init__(self, key: str, description: str) -> None:
        self.key = key
        self.kind = "EFF" if key == "EFF" else ("ANN" if key == "ANN" else "CSQ")
        names = parse_format(description) if self.kind != "EFF" else []
        self.fields = {n: i for i, n in enumerate(names)}
        f = self.fields
        if self.kind == "ANN":
            self.i_allele = _first(f, "Allele")
            self.i_cons = _first(f, "Annotation", "Consequence")
            self.i_impact = _first(f, "Annotation_Impact", "IMPACT")
            self.i_gene = _first(f, "Gene_Name", "SYMBOL")
            self.i_tx = _first(f, "Feature_ID", "Feature")
            self.i_c = _first(f, "HGVS.c", "HGVSc")
            self.i_p = _first(f, "HGVS.p", "HGVSp")
        else:
            self.i_allele = _first(f, "Allele")
            self.i_cons = _first(f, "Consequence")
            self.i_impact = _first(f, "IMPACT")
            self.i_gene = _first(f, "SYMBOL", "Gene_Name", "Gene")
            self.i_tx = _first(f, "Feature")
            self.i_c = _first(f, "HGVSc")
            self.i_p = _first(f, "HGVSp")
        self.i_allele_num = _first(f, "ALLELE_NUM")
        self.i_mane = _first(f, "MANE_SELECT", "MANE")
        self.i_canonical = _first(f, "CANONICAL")
        self.usable = self.kind == "EFF" or (self.i_cons is not None or self.i_gene is not None)
        # versioned transcripts to choose before any other (the bundled MANE Select table)
        self.preferred: frozenset[str] = frozenset()

    # -- entry parsing ---------------------------------------------------------------------
    def _entries(self, value: str, ref: str, alts: list[str]) -> list[tuple[int | None, tuple]]:
        """(alt index 0-based or None when unknown, (annotation, preference key)) per entry."""
        if self.kind == "EFF":
            return [self._eff_entry(e, alts) for e in value.split(",") if e]
        vep_alleles = vep_allele_strings(ref, alts) if self.kind == "CSQ" else alts
        out = []
        for entry in value.split(","):
            if not entry:
                continue
            parts = entry.split("|")

            def get(i: int | None, parts: list[str] = parts) -> str | None:
                return _clean(parts[i]) if i is not None and i < len(parts) else None

            alt_i: int | None = None
            num = get(self.i_allele_num)
            if num and num.isdigit():
                alt_i = int(num) - 1
            else:
                allele = get(self.i_allele)
                if allele is not None:
                    if allele in vep_alleles:
                        alt_i = vep_alleles.index(allele)
                    elif allele in alts:
                        alt_i = alts.index(allele)
            cons, impact = get(self.i_cons), get(self.i_impact)
            ann = AlleleAnnotation(
                gene=get(self.i_gene),
                consequence=cons,
                impact=impact.upper() if impact else None,
                transcript=get(self.i_tx),
                hgvs_c=_strip_tx(get(self.i_c)),
                hgvs_p=_strip_tx(get(self.i_p)),
            )
            bundled = 0 if ann.transcript in self.preferred else 1
            mane = 0 if get(self.i_mane) else 1
            canonical = 0 if (get(self.i_canonical) or "").upper() == "YES" else 1
            out.append((alt_i, (ann, (bundled, mane, canonical, *severity(cons, impact)))))
        return out

    def _eff_entry(self, entry: str, alts: list[str]) -> tuple[int | None, tuple]:
        # Effect ( Effect_Impact | Functional_Class | Codon_Change | Amino_Acid_Change |
        #          Amino_Acid_Length | Gene_Name | Transcript_BioType | Gene_Coding |
        #          Transcript_ID | Exon_Rank | Genotype_Number [ | ERRORS | WARNINGS ] )
        effect, _, rest = entry.partition("(")
        parts = rest.rstrip(")").split("|")

        def get(i: int) -> str | None:
            return _clean(parts[i]) if i < len(parts) else None

        impact = get(0)
        aa = get(3) or ""
        hgvs_p, hgvs_c = None, None
        for piece in aa.split("/"):
            piece = piece.strip()
            if piece.startswith("p."):
                hgvs_p = piece
            elif piece.startswith(("c.", "n.")):
                hgvs_c = piece
        if hgvs_p is None and aa and "/" not in aa:
            hgvs_p = aa
        gt_num = get(10)
        alt_i: int | None = None
        if gt_num and gt_num.isdigit():
            alt_i = int(gt_num) - 1
        elif gt_num in alts:
            alt_i = alts.index(gt_num)
        cons = effect.strip().lower() or None
        ann = AlleleAnnotation(
            gene=get(5), consequence=cons, impact=impact.upper() if impact else None,
            transcript=get(8), hgvs_c=hgvs_c, hgvs_p=hgvs_p,
        )  # fmt: skip
        bundled = 0 if ann.transcript in self.preferred else 1
        return alt_i, (ann, (bundled, 1, 1, *severity(cons, impact)))

    def choose(self, value: str | None, ref: str, alts: list[str]) -> list[AlleleAnnotation | None]:
        """One annotation per ALT (None when the file has nothing for that allele)."""
        best: list[tuple | None] = [None] * len(alts)
        if not value or not self.usable:
            return [None] * len(alts)
        for alt_i, (ann, key) in self._entries(value, ref, alts):
            if alt_i is None:
                if len(alts) != 1:
                    continue
                alt_i = 0
            if not 0 <= alt_i < len(alts):
                continue
            current = best[alt_i]
            if current is None or key < current[1]:
                best[alt_i] = (ann, key)
        return [b[0] if b is not None else None for b in best]


def pick_annotation_field(info: dict[str, str]) -> tuple[str, str] | None:
    """The annotation INFO field to read (CSQ preferred, then ANN, then EFF) and its description."""
    for key in ("CSQ", "ANN", "EFF"):
        if key in info:
            return key, info[key]
    return None
