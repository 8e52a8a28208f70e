"""ClinVar records for the analysed genes: read, merge, lift to GRCh37, insert.

Merge rule (knowledge-sources SOURCES.md sections 2-2c): one record per ClinVar variation ID,
the newest ClinVar release wins (ties: more review stars, then the curated/transcribed file
over the VCF); fields the winner lacks (consequence, genomic HGVS, conditions) are filled from
the other releases of the same variation ID. Records without a variation ID are merged on
their GRCh38 key. When two variation IDs normalise to the same key the newest / best-reviewed
one is kept and the collision is counted.

GRCh37 keys come from the source when it states them (``g37_origin = 'stated'``), otherwise
from the Ensembl GRCh38->GRCh37 chain (``'lifted'``); dropped liftovers are counted by reason.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from pathlib import Path
from typing import cast

from pmviewer.core.genome import ChainMap, VariantKey
from pmviewer.core.knowledge.build import clinvar_read
from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    date_in_text,
    describe,
    find,
)

log = logging.getLogger(__name__)

Record = dict[str, object]

_CHROM_ORDER = {c: i for i, c in enumerate([str(n) for n in range(1, 23)] + ["X", "Y", "MT"])}
_FILL = ("consequence", "hgvs_g", "conditions", "genes", "rsid", "allele_id", "hgvs_c", "hgvs_p",
         "transcript", "last_evaluated")  # fmt: skip
_SOURCE_RANK = {"vcf": 0, "two_build": 1, "founders": 2}

# text fields stored once in clinvar_terms and referenced by code
CODED = ("genes", "classification", "review_status", "conditions", "clinvar_release",
         "consequence", "source")  # fmt: skip

COLUMNS = (
    "record_id", "gene", "genes_code", "variation_id", "allele_id", "rsid",
    "classification_code", "category", "review_status_code", "stars", "conditions_code",
    "last_evaluated", "clinvar_release_code", "hgvs_g", "hgvs_c", "hgvs_p", "transcript",
    "consequence_code", "truncating", "source_code",
    "g38_chrom", "g38_pos", "g38_ref", "g38_alt", "g37_chrom", "g37_pos", "g37_ref", "g37_alt",
    "g37_origin",
)  # fmt: skip


def key_order(key: VariantKey) -> tuple[int, str, int, str, str]:
    return (_CHROM_ORDER.get(key.chrom, 99), key.chrom, key.pos, key.ref, key.alt)


def _newest_vcf(sources: Path) -> Path | None:
    vcfs = [p for p in find(sources, "clinvar", "*.vcf.gz", required=False)]
    usable = []
    for path in vcfs:
        header = clinvar_read.vcf_header(path)
        reference = header.get("reference", "")
        if "37" in reference or "hg19" in reference.lower():
            log.warning("skipping %s: only GRCh38 ClinVar VCFs are read", path.name)
            continue
        usable.append(
            (date_in_text(header.get("fileDate", "")) or date_in_text(path.name), path.name, path)
        )
    return max(usable)[2] if usable else None


class ClinvarResult:
    """Merged records plus the bookkeeping the metadata reports."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.sources: list[SourceFile] = []
        self.dropped: Counter[str] = Counter()
        self.merge: Counter[str] = Counter()
        self.liftover: Counter[str] = Counter()


def load(sources: Path, genes: set[str], chain_38_to_37: ChainMap) -> ClinvarResult:
    result = ClinvarResult()
    candidates: list[tuple[str, Record]] = []
    vcf = _newest_vcf(sources)
    if vcf is not None:
        rel = vcf.relative_to(sources).as_posix()
        for record in clinvar_read.read_vcf(vcf, rel, genes, result.dropped):
            candidates.append(("vcf", record))
        header = clinvar_read.vcf_header(vcf)
        result.sources.append(
            describe(sources, vcf, "ClinVar", "ClinVar GRCh38 VCF: P/LP, VUS and conflicting records",
                     date_in_text(header.get("fileDate", "")) or date_in_text(vcf.name),
                     "public domain (US Government work)", ATTRIBUTION["ClinVar"])
        )  # fmt: skip
    # (folder, pattern, reader, kind, name, role, release, licence) of the stated-key tables
    tables = (
        ("clinvar", "*GRCh38_GRCh37*.tsv", clinvar_read.read_two_build_tsv, "two_build",
         "ClinVar", "ClinVar records with both builds stated", None,
         "public domain (US Government work)"),
        ("curated", "*founders*.tsv", clinvar_read.read_founders, "founders",
         "ClinVar (curated founder table)",
         "recessive/founder ClinVar records with both builds stated",
         "per row (clinvar_release column)", "public domain (ClinVar facts)"),
    )  # fmt: skip
    for folder, pattern, reader, kind, name, role, release, licence in tables:
        for path in find(sources, folder, pattern, required=False):
            rel = path.relative_to(sources).as_posix()
            candidates.extend((kind, r) for r in reader(path, rel, genes, result.dropped))
            result.sources.append(describe(sources, path, name, role,
                                           release or date_in_text(path.name), licence,
                                           ATTRIBUTION["ClinVar"]))  # fmt: skip
    if not candidates:
        log.warning("no ClinVar input found under %s", sources / "clinvar")
    result.records = _merge(candidates, result.merge)
    _lift(result.records, chain_38_to_37, result.liftover)
    return result


def _rank(kind: str, record: Record) -> tuple[str, int, int]:
    return (str(record["clinvar_release"]), int(record["stars"] or 0), _SOURCE_RANK[kind])  # type: ignore[call-overload]


def _merge(candidates: list[tuple[str, Record]], tally: Counter[str]) -> list[Record]:
    groups: dict[object, list[tuple[str, Record]]] = {}
    for kind, record in candidates:
        group = record["variation_id"] if record["variation_id"] is not None else record["g38"]
        groups.setdefault(group, []).append((kind, record))
    by_key: dict[VariantKey, Record] = {}
    for members in groups.values():
        members.sort(key=lambda m: _rank(*m), reverse=True)
        winner = dict(members[0][1])
        winner["_rank"] = _rank(*members[0])
        if len(members) > 1:
            tally["superseded_by_newer_release"] += len(members) - 1
            for _, other in members[1:]:
                for field in _FILL:
                    if winner.get(field) in (None, "") and other.get(field) not in (None, ""):
                        winner[field] = other[field]
            # truncation describes the allele, not its classification: any release may tell
            winner["truncating"] = max(int(m[1]["truncating"]) for m in members)  # type: ignore[call-overload]
        key = winner["g38"]
        assert isinstance(key, VariantKey)
        current = by_key.get(key)
        if current is not None:
            tally["same_grch38_key_collision"] += 1
            if (winner["_rank"], -int(winner["variation_id"] or 0)) <= (  # type: ignore[call-overload]
                current["_rank"],
                -int(current["variation_id"] or 0),  # type: ignore[call-overload]
            ):
                continue
        by_key[key] = winner
    records = [by_key[k] for k in sorted(by_key, key=key_order)]
    for record in records:
        del record["_rank"]
    return records


def _lift(records: list[Record], chain: ChainMap, tally: Counter[str]) -> None:
    seen: set[VariantKey] = set()
    for record in records:
        g38 = record["g38"]
        assert isinstance(g38, VariantKey)
        if record["g37"] is not None:
            # a stated GRCh37 key is kept; count whether the chain agrees with it
            lifted = chain.lift_variant(*g38)
            tally[
                "stated_agrees_with_chain"
                if lifted.key == record["g37"]
                else "stated_differs_from_chain"
            ] += 1
        else:
            lifted = chain.lift_variant(*g38)
            tally[f"lift_{lifted.reason}"] += 1
            if lifted.key is not None:
                record["g37"] = lifted.key
                record["g37_origin"] = "lifted"
        g37 = record["g37"]
        if g37 is not None:
            if g37 in seen:
                tally["grch37_key_collision_dropped"] += 1
                record["g37"] = None
                record["g37_origin"] = None
            else:
                seen.add(g37)  # type: ignore[arg-type]


def insert(conn: sqlite3.Connection, records: list[Record]) -> int:
    codes: dict[str, dict[str, int]] = {}
    for field in CODED:
        terms = sorted({str(r[field]) for r in records if r[field] not in (None, "")})
        codes[field] = {t: i for i, t in enumerate(terms)}
        conn.executemany(
            "INSERT INTO clinvar_terms VALUES (?, ?, ?)",
            [(field, i, t) for t, i in codes[field].items()],
        )

    def code(field: str, value: object) -> int | None:
        return None if value in (None, "") else codes[field][str(value)]

    rows = []
    for record_id, r in enumerate(records, start=1):
        g38 = r["g38"]
        g37 = cast(tuple[object, ...], r["g37"] or (None, None, None, None))
        assert isinstance(g38, VariantKey)
        rows.append(
            (record_id, r["gene"], code("genes", r["genes"]), r["variation_id"], r["allele_id"],
             r["rsid"], code("classification", r["classification"]), r["category"],
             code("review_status", r["review_status"]), r["stars"],
             code("conditions", r["conditions"]), r["last_evaluated"],
             code("clinvar_release", r["clinvar_release"]), r["hgvs_g"], r["hgvs_c"], r["hgvs_p"],
             r["transcript"], code("consequence", r["consequence"]), r["truncating"],
             code("source", r["source"]), *g38, *g37, r["g37_origin"])
        )  # fmt: skip
    conn.executemany(
        f"INSERT INTO clinvar ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", rows
    )
    return len(rows)


# Share of a gene's P/LP records that are truncating at or above which loss of function is
# taken as an established disease mechanism, and the minimum number of records to judge.
LOF_THRESHOLD = 0.3
MIXED_THRESHOLD = 0.1
LOF_MIN_RECORDS = 10


def lof_mechanism(records: list[Record], genes: dict[str, dict[str, object]]) -> None:
    """Derive ``lof_mechanism`` per gene from ClinVar (no source states it directly).

    The truncating fraction is the share of the gene's P/LP records whose molecular
    consequence (or HGVS, where MC is absent) is nonsense, frameshift or a canonical splice
    site. ``lof`` if >= :data:`LOF_THRESHOLD`, ``uncertain`` between :data:`MIXED_THRESHOLD`
    and it, ``not_lof`` below, ``insufficient_data`` under :data:`LOF_MIN_RECORDS` records.
    A gene whose P/LP records are all truncating is flagged: the bundled subset kept only
    truncating variants for some recessive genes (SOURCES.md section 2, step 3).
    """
    counts: dict[str, list[int]] = {}
    for record in records:
        if record["category"] != "plp":
            continue
        entry = counts.setdefault(str(record["gene"]), [0, 0])
        entry[0] += 1
        entry[1] += int(record["truncating"])  # type: ignore[call-overload]
    for gene, info in genes.items():
        if "acmg_sf" not in str(info["panel"]):
            info["lof_mechanism"] = "not_applicable"
            continue
        total, truncating = counts.get(gene, [0, 0])
        info["plp_records"] = total
        info["truncating_records"] = truncating
        fraction = round(truncating / total, 4) if total else None
        info["truncating_fraction"] = fraction
        note = None
        if total < LOF_MIN_RECORDS or fraction is None:
            mechanism = "insufficient_data"
        elif fraction >= LOF_THRESHOLD:
            mechanism = "lof"
        elif fraction >= MIXED_THRESHOLD:
            mechanism = "uncertain"
        else:
            mechanism = "not_lof"
        if total and truncating == total:
            note = ("every bundled P/LP record is truncating: the ClinVar subset may have kept "
                    "only truncating variants for this gene, so the fraction is inflated")  # fmt: skip
        info["lof_mechanism"] = mechanism
        info["lof_note"] = note
