"""Readers for the ClinVar inputs; each yields plain record dicts for :mod:`.clinvar` to merge.

* ``clinvar/*.vcf.gz``: an NCBI ClinVar GRCh38 VCF (the full release or any subset of it;
  the newest ``##fileDate`` wins). Filtered here to the analysed genes and to P/LP plus
  VUS/conflicting records, on CLNSIG itself (SOURCES.md section 2: stray lines slip through
  the publisher's text filter).
* ``clinvar/*GRCh38_GRCh37*.tsv``: ClinVar facts transcribed with both builds (section 2b).
* ``curated/*founders*.tsv``: the curated recessive/founder table (section 2c).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pmviewer.core.genome import normalise_key
from pmviewer.core.knowledge.build.common import (
    date_in_text,
    int_or_none,
    none_if_empty,
    open_text,
    read_tsv,
)
from pmviewer.core.knowledge.terms import TRUNCATING_TERMS

Record = dict[str, object]

_UNSTATED = dict.fromkeys((
    "variation_id", "allele_id", "rsid", "review_status", "stars", "conditions",
    "last_evaluated", "hgvs_g", "hgvs_c", "hgvs_p", "transcript", "consequence", "g37",
    "g37_origin",
))  # fmt: skip


def _record(gene: str, source: str, g38: object, **facts: object) -> Record:
    """One ClinVar fact in the shape every reader yields; facts a source does not state are None."""
    return {**_UNSTATED, "gene": gene, "genes": gene, "source": source, "g38": g38, **facts}


# ClinVar's documented review-status -> star mapping (ClinVar "Review status" help page;
# also SOURCES.md section 2).
_STARS = (
    ("practice guideline", 4),
    ("reviewed by expert panel", 3),
    ("criteria provided, multiple submitters, no conflicts", 2),
    ("criteria provided, conflicting", 1),
    ("criteria provided, single submitter", 1),
)

# ClinVar labels stop-gain as "nonsense"; SO names kept for other annotators' spellings.
TRUNCATING = frozenset(TRUNCATING_TERMS)  # one definition, shared with the rule engine

_PLP_TERMS = ("pathogenic", "likely pathogenic", "pathogenic, low penetrance",
              "likely pathogenic, low penetrance")  # fmt: skip
_SPLICE_SITE = re.compile(r"c\.[-*]?\d+[+-][12](?!\d)")


def stars_for(review_status: str | None) -> int:
    text = (review_status or "").lower()
    for phrase, stars in _STARS:
        if text.startswith(phrase):
            return stars
    return 0


def category_for(classification: str) -> str | None:
    """'plp', 'uncertain' (VUS or conflicting) or None (benign, drug response only, ...)."""
    text = classification.lower().replace("_", " ")
    if "conflicting" in text or "uncertain significance" in text:
        return "uncertain"
    terms = [t.strip() for t in re.split(r"[/|;]", text)]
    return "plp" if any(t in _PLP_TERMS for t in terms) else None


def truncating_from_hgvs(hgvs_c: str | None, hgvs_p: str | None) -> bool:
    """Frameshift, stop-gain or canonical splice-site (+/-1, +/-2) from HGVS names."""
    p = hgvs_p or ""
    if "fs" in p:
        return True
    # stop-gain (p.Arg854Ter), not stop-loss (p.Ter1466Glnext*) or extensions
    if "Ter" in p and "ext" not in p and not p.lstrip("p.(").startswith("Ter"):
        return True
    return bool(_SPLICE_SITE.search(hgvs_c or ""))


def _info(field: str) -> dict[str, str]:
    out = {}
    for item in field.split(";"):
        key, _, value = item.partition("=")
        out[key] = value
    return out


def vcf_header(path: Path) -> dict[str, str]:
    """``##key=value`` header lines of a VCF (fileDate, reference, source)."""
    header: dict[str, str] = {}
    with open_text(path) as handle:
        for line in handle:
            if not line.startswith("##"):
                break
            key, _, value = line[2:].rstrip("\n").partition("=")
            if not value.startswith("<"):
                header.setdefault(key, value)
    return header


def read_vcf(path: Path, rel: str, genes: set[str], dropped: Counter[str]) -> Iterator[Record]:
    """Records of an NCBI ClinVar GRCh38 VCF for ``genes`` (P/LP, VUS, conflicting)."""
    release = date_in_text(vcf_header(path).get("fileDate", "")) or date_in_text(path.name)
    with open_text(path) as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            # cheap gene test on the raw line first: a full release has millions of lines
            start = line.find("GENEINFO=")
            if start < 0:
                dropped["no_gene"] += 1
                continue
            geneinfo = line[start + 9 :].split(";", 1)[0].split("\t", 1)[0].rstrip("\n")
            symbols = [g.split(":", 1)[0] for g in geneinfo.split("|")]
            analysed = [g for g in symbols if g in genes]
            if not analysed:
                dropped["not_an_analysed_gene"] += 1
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 8:
                dropped["malformed_line"] += 1
                continue
            alt = cols[4]
            if alt in (".", "") or "," in alt:
                dropped["no_single_alt"] += 1
                continue
            info = _info(cols[7])
            classification = info.get("CLNSIG", "").replace("_", " ")
            category = category_for(classification)
            if category is None:
                dropped["not_plp_vus_or_conflicting"] += 1
                continue
            review = info.get("CLNREVSTAT", "").replace("_", " ").replace(" ,", ",") or None
            consequences = sorted(
                {mc.split("|", 1)[-1] for mc in info.get("MC", "").split(",") if mc}
            )
            conditions = []
            for name in info.get("CLNDN", "").split("|"):
                name = name.replace("_", " ").strip()
                if name and name not in conditions:
                    conditions.append(name)
            key = normalise_key(cols[0], int(cols[1]), cols[3], alt)
            rs = info.get("RS", "")
            yield _record(
                analysed[0], rel, key, genes="|".join(symbols),
                variation_id=int_or_none(cols[2]), allele_id=int_or_none(info.get("ALLELEID")),
                rsid=f"rs{rs.split('|')[0]}" if rs else None, classification=classification,
                category=category, review_status=review, stars=stars_for(review),
                conditions="; ".join(conditions) or None, clinvar_release=release,
                hgvs_g=none_if_empty(info.get("CLNHGVS")),
                consequence=",".join(consequences) or None,
                truncating=int(any(c in TRUNCATING for c in consequences)),
            )  # fmt: skip


def _split_c_p(text: str) -> tuple[str | None, str | None]:
    # "c.4374_4375del (p.Arg1459fs)" -> ("c.4374_4375del", "p.Arg1459fs")
    m = re.match(r"\s*(\S+)(?:\s*\((p\.[^)]*)\))?", text or "")
    if not m:
        return None, None
    return none_if_empty(m.group(1)), none_if_empty(m.group(2))


def _both_builds(raw: dict[str, str]) -> tuple[object, object]:
    g38 = normalise_key(
        raw["grch38_chrom"], int(raw["grch38_pos"]), raw["grch38_ref"], raw["grch38_alt"]
    )
    g37 = None
    if raw.get("grch37_pos"):
        g37 = normalise_key(
            raw["grch37_chrom"], int(raw["grch37_pos"]), raw["grch37_ref"], raw["grch37_alt"]
        )
    return g38, g37


def read_two_build_tsv(
    path: Path, rel: str, genes: set[str], dropped: Counter[str]
) -> Iterator[Record]:
    """ClinVar records transcribed with GRCh38 and GRCh37 keys (SOURCES.md section 2b)."""
    release = date_in_text(path.name)
    for raw in read_tsv(path):
        if raw.get("gene") not in genes:
            dropped["not_an_analysed_gene"] += 1
            continue
        category = category_for(raw["classification"])
        if category is None:
            dropped["not_plp_vus_or_conflicting"] += 1
            continue
        hgvs_c, hgvs_p = _split_c_p(raw.get("hgvs_c_p", ""))
        g38, g37 = _both_builds(raw)
        yield _record(
            raw["gene"], rel, g38, variation_id=int_or_none(raw.get("variation_id")),
            allele_id=int_or_none(raw.get("allele_id")), rsid=none_if_empty(raw.get("rsid")),
            classification=raw["classification"], category=category,
            review_status=none_if_empty(raw.get("review_status")),
            stars=int_or_none(raw.get("stars")), conditions=none_if_empty(raw.get("condition")),
            last_evaluated=none_if_empty(raw.get("last_evaluated")), clinvar_release=release,
            hgvs_c=hgvs_c, hgvs_p=hgvs_p, transcript=none_if_empty(raw.get("transcript")),
            truncating=int(truncating_from_hgvs(hgvs_c, hgvs_p)), g37=g37,
            g37_origin="stated" if g37 else None,
        )  # fmt: skip


def read_founders(path: Path, rel: str, genes: set[str], dropped: Counter[str]) -> Iterator[Record]:
    """The curated recessive/founder table (SOURCES.md section 2c), one ClinVar fact per row."""
    for raw in read_tsv(path):
        if raw.get("gene") not in genes:
            dropped["not_an_analysed_gene"] += 1
            continue
        classification = raw.get("clinvar_classification", "")
        category = category_for(classification)
        if category is None:
            dropped["not_plp_vus_or_conflicting"] += 1
            continue
        review_text = raw.get("clinvar_review_status", "")
        review = None if review_text.startswith("(") else none_if_empty(review_text)
        evaluated = raw.get("clinvar_last_evaluated", "")
        # the newest date the row's ClinVar release text names (e.g. "web export 2016-12-04;
        # VCF 2017-04-04" -> 2017-04-04)
        release = max(
            (date_in_text(p) for p in re.split(r"[;()]", raw.get("clinvar_release", ""))),
            default="",
        )
        g38, g37 = _both_builds(raw)
        yield _record(
            raw["gene"], rel, g38, variation_id=int_or_none(raw.get("clinvar_variation_id")),
            allele_id=int_or_none(raw.get("clinvar_allele_id")),
            rsid=none_if_empty(raw.get("rsid")), classification=classification,
            category=category, review_status=review,
            stars=int_or_none(raw.get("clinvar_stars")) if review else None,
            last_evaluated=None if evaluated.startswith("(") else none_if_empty(evaluated),
            clinvar_release=release, hgvs_c=none_if_empty(raw.get("hgvs_c")),
            hgvs_p=none_if_empty(raw.get("hgvs_p")),
            transcript=none_if_empty(raw.get("transcript")),
            truncating=int(truncating_from_hgvs(raw.get("hgvs_c"), raw.get("hgvs_p"))), g37=g37,
            g37_origin="stated" if g37 else None,
        )  # fmt: skip
