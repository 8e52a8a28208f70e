"""CIViC germline / predisposing evidence and assertions for the analysed genes.

Files come from one CIViC release (``civic/<date>-ClinicalEvidenceSummaries.tsv`` and its
siblings with the same date prefix; the newest date wins). CIViC writes tab-separated text
without quoting, so it is read with ``csv.QUOTE_NONE`` (SOURCES.md section 3).

Coordinates are GRCh37 (a few GRCh38); the other build comes from the Ensembl chain. CIViC
spells indels without the VCF anchor base and no reference sequence is bundled, so only
substitutions (REF and ALT both given, same length) get variant keys; the rest keep their
gene and name and are matched by gene.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from pathlib import Path

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.genome import ChainMap, normalise_key
from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    date_in_text,
    describe,
    find,
    int_or_none,
    none_if_empty,
    read_tsv,
)

GERMLINE_ORIGINS = ("Rare Germline", "Common Germline")

EVIDENCE_COLUMNS = (
    "evidence_id", "gene", "molecular_profile_id", "molecular_profile", "disease", "doid",
    "phenotypes", "therapies", "therapy_interaction_type", "evidence_type", "evidence_direction",
    "evidence_level", "significance", "statement", "pmid", "source_type", "citation", "nct_ids",
    "rating", "variant_origin", "last_review_date", "url",
)  # fmt: skip
ASSERTION_COLUMNS = (
    "assertion_id", "gene", "molecular_profile_id", "molecular_profile", "disease", "doid",
    "therapies", "assertion_type", "assertion_direction", "significance", "acmg_codes",
    "amp_category", "summary", "evidence_item_ids", "last_review_date", "url",
)  # fmt: skip
VARIANT_COLUMNS = (
    "variant_id", "gene", "variant", "variant_types", "g37_chrom", "g37_pos", "g37_ref",
    "g37_alt", "g38_chrom", "g38_pos", "g38_ref", "g38_alt", "g38_origin",
    "representative_transcript", "hgvs", "allele_registry_id", "clinvar_ids",
)  # fmt: skip


class CivicResult:
    def __init__(self) -> None:
        self.evidence: list[dict[str, object]] = []
        self.assertions: list[dict[str, object]] = []
        self.variants: list[dict[str, object]] = []
        self.profile_variants: list[tuple[int, int]] = []
        self.sources: list[SourceFile] = []
        self.liftover: Counter[str] = Counter()


def release_of(evidence_path: Path) -> str:
    """The release date in the file name (monthly ``01-Jul-2025-...``), or for an undated
    nightly file the newest ``last_review_date`` inside it (deterministic, unlike mtime)."""
    named = date_in_text(evidence_path.name)
    if named:
        return named
    dates = (date_in_text(r.get("last_review_date", "")) for r in _read(evidence_path))
    return max((d for d in dates if d), default="")


def newest_release(sources: Path) -> tuple[str, Path, str] | None:
    """(release, its ClinicalEvidenceSummaries file, the file-name prefix of its companion
    files) of the newest CIViC release under ``sources``, or None when there is none."""
    candidates = [
        (release_of(p), p.name, p)
        for p in find(sources, "civic", "*-ClinicalEvidenceSummaries.tsv", required=False)
    ]
    if not candidates:
        return None
    release, _, evidence_path = max(candidates)
    return release, evidence_path, evidence_path.name[: -len("ClinicalEvidenceSummaries.tsv")]


def _read(path: Path) -> list[dict[str, str]]:
    return list(read_tsv(path, quoting=csv.QUOTE_NONE))


def load(
    sources: Path, genes: set[str], chain_37_to_38: ChainMap, chain_38_to_37: ChainMap
) -> CivicResult:
    result = CivicResult()
    newest = newest_release(sources)
    if newest is None:
        return result
    release, evidence_path, prefix = newest
    paths = {}
    for part in ("ClinicalEvidenceSummaries", "VariantSummaries", "MolecularProfileSummaries",
                 "AssertionSummaries"):  # fmt: skip
        path = evidence_path.parent / f"{prefix}{part}.tsv"
        if not path.exists():
            raise KnowledgeError(
                f"The CIViC release {release} lacks its {part} file ({path.name})."
            )
        paths[part] = path
        result.sources.append(
            describe(
                sources, path, "CIViC", f"CIViC {part}", release, "CC0 1.0", ATTRIBUTION["CIViC"]
            )
        )

    variants = {int(r["variant_id"]): r for r in _read(paths["VariantSummaries"])}
    profiles: dict[int, list[int]] = {}
    for row in _read(paths["MolecularProfileSummaries"]):
        ids = [
            int(v) for v in row["variant_ids"].replace(" ", "").split(",") if v.strip().isdigit()
        ]
        profiles[int(row["molecular_profile_id"])] = ids

    def profile_gene(profile_id: int, name: str) -> str | None:
        for variant_id in profiles.get(profile_id, []):
            gene = variants.get(variant_id, {}).get("feature_name", "")
            if gene in genes:
                return gene
        first = name.split(" ", 1)[0]
        return first if first in genes else None

    kept_profiles: set[int] = set()
    kept_evidence: set[int] = set()
    for row in _read(paths["ClinicalEvidenceSummaries"]):
        if row.get("evidence_status", "accepted") != "accepted":
            continue
        germline = (
            row["variant_origin"] in GERMLINE_ORIGINS or row["evidence_type"] == "Predisposing"
        )
        profile_id = int(row["molecular_profile_id"])
        gene = profile_gene(profile_id, row["molecular_profile"])
        if not germline or gene is None:
            continue
        kept_profiles.add(profile_id)
        kept_evidence.add(int(row["evidence_id"]))
        result.evidence.append(
            {
                "evidence_id": int(row["evidence_id"]), "gene": gene,
                "molecular_profile_id": profile_id, "molecular_profile": row["molecular_profile"],
                "disease": none_if_empty(row["disease"]), "doid": none_if_empty(row["doid"]),
                "phenotypes": none_if_empty(row["phenotypes"]),
                "therapies": none_if_empty(row["therapies"]),
                "therapy_interaction_type": none_if_empty(row["therapy_interaction_type"]),
                "evidence_type": row["evidence_type"],
                "evidence_direction": row["evidence_direction"],
                "evidence_level": row["evidence_level"], "significance": row["significance"],
                "statement": none_if_empty(row["evidence_statement"]),
                "pmid": none_if_empty(row["citation_id"]) if row["source_type"] == "PubMed" else None,
                "source_type": row["source_type"], "citation": none_if_empty(row["citation"]),
                "nct_ids": none_if_empty(row["nct_ids"]), "rating": none_if_empty(row["rating"]),
                "variant_origin": row["variant_origin"],
                "last_review_date": none_if_empty(row["last_review_date"]),
                "url": none_if_empty(row["evidence_civic_url"]),
            }
        )  # fmt: skip
    for row in _read(paths["AssertionSummaries"]):
        profile_id = int(row["molecular_profile_id"])
        gene = profile_gene(profile_id, row["molecular_profile"])
        items = {
            int(i) for i in row["evidence_item_ids"].replace(" ", "").split(",") if i.isdigit()
        }
        if gene is None or not (row["assertion_type"] == "Predisposing" or items & kept_evidence):
            continue
        kept_profiles.add(profile_id)
        result.assertions.append(
            {
                "assertion_id": int(row["assertion_id"]), "gene": gene,
                "molecular_profile_id": profile_id, "molecular_profile": row["molecular_profile"],
                "disease": none_if_empty(row["disease"]), "doid": none_if_empty(row["doid"]),
                "therapies": none_if_empty(row["therapies"]),
                "assertion_type": row["assertion_type"],
                "assertion_direction": row["assertion_direction"],
                "significance": row["significance"], "acmg_codes": none_if_empty(row["acmg_codes"]),
                "amp_category": none_if_empty(row["amp_category"]),
                "summary": none_if_empty(row["assertion_summary"]),
                "evidence_item_ids": none_if_empty(row["evidence_item_ids"]),
                "last_review_date": none_if_empty(row["last_review_date"]),
                "url": none_if_empty(row["assertion_civic_url"]),
            }
        )  # fmt: skip
    kept_variants: set[int] = set()
    for profile_id in sorted(kept_profiles):
        for variant_id in profiles.get(profile_id, []):
            if variant_id in variants:
                result.profile_variants.append((profile_id, variant_id))
                kept_variants.add(variant_id)
    for variant_id in sorted(kept_variants):
        result.variants.append(
            _variant(variants[variant_id], chain_37_to_38, chain_38_to_37, result.liftover)
        )
    result.evidence.sort(key=lambda r: int(r["evidence_id"]))  # type: ignore[call-overload]
    result.assertions.sort(key=lambda r: int(r["assertion_id"]))  # type: ignore[call-overload]
    return result


def _variant(
    row: dict[str, str], chain_37_to_38: ChainMap, chain_38_to_37: ChainMap, tally: Counter[str]
) -> dict[str, object]:
    out: dict[str, object] = {c: None for c in VARIANT_COLUMNS}
    out.update(
        variant_id=int(row["variant_id"]), gene=row["feature_name"],
        variant=none_if_empty(row["variant"]), variant_types=none_if_empty(row["variant_types"]),
        representative_transcript=none_if_empty(row["representative_transcript"]),
        hgvs=none_if_empty(row["hgvs_descriptions"]),
        allele_registry_id=none_if_empty(row["allele_registry_id"]),
        clinvar_ids=none_if_empty(row["clinvar_ids"]),
    )  # fmt: skip
    ref, alt, start = row["reference_bases"], row["variant_bases"], int_or_none(row["start"])
    if not (row["chromosome"] and start and ref and alt and len(ref) == len(alt)):
        tally["no_substitution_key"] += 1
        return out
    key = normalise_key(row["chromosome"], start, ref, alt)
    build = row["reference_build"]
    source_prefix, target_prefix = ("g37", "g38") if build != "GRCh38" else ("g38", "g37")
    chain = chain_37_to_38 if build != "GRCh38" else chain_38_to_37
    out.update(
        dict(
            zip([f"{source_prefix}_{c}" for c in ("chrom", "pos", "ref", "alt")], key, strict=True)
        )
    )
    lifted = chain.lift_variant(*key)
    tally[f"lift_{lifted.reason}"] += 1
    if lifted.key is not None:
        out.update(
            dict(
                zip(
                    [f"{target_prefix}_{c}" for c in ("chrom", "pos", "ref", "alt")],
                    lifted.key,
                    strict=True,
                )
            )
        )
        out["g38_origin"] = "lifted" if target_prefix == "g38" else "stated"
    elif source_prefix == "g38":
        out["g38_origin"] = "stated"
    return out


def insert(conn: sqlite3.Connection, result: CivicResult) -> dict[str, int]:
    for table, columns, rows in (
        ("civic_variants", VARIANT_COLUMNS, result.variants),
        ("civic_evidence", EVIDENCE_COLUMNS, result.evidence),
        ("civic_assertions", ASSERTION_COLUMNS, result.assertions),
    ):
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(r[c] for c in columns) for r in rows],
        )
    conn.executemany(
        "INSERT OR IGNORE INTO civic_profile_variants VALUES (?, ?)",
        sorted(result.profile_variants),
    )
    return {
        "civic_variants": len(result.variants),
        "civic_evidence": len(result.evidence),
        "civic_assertions": len(result.assertions),
        "civic_profile_variants": len(set(result.profile_variants)),
    }
