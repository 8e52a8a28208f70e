"""Plain-language notes on what the bundled knowledge covers and what it does not.

Every note is computed from the data that went into the file, so a rebuild from a fuller
source (e.g. a complete NCBI ClinVar VCF) updates them without code changes.
"""

from __future__ import annotations

from collections import Counter

Record = dict[str, object]

_RECESSIVE_RULES = ("PLP_BIALLELIC", "HFE_C282Y_HOMOZYGOUS_ONLY", "PLP_HEMI_OR_HOM_OR_BIALLELIC_XL")
_STALE_BEFORE = "2020"


def coverage_notes(
    genes: dict[str, dict[str, object]],
    records: list[Record],
    dropped: Counter[str],
    pgx_built: bool,
) -> list[str]:
    acmg = {g: r for g, r in genes.items() if "acmg_sf" in str(r["panel"])}
    per_gene = Counter(str(r["gene"]) for r in records if r["category"] == "plp")
    uncertain = sum(1 for r in records if r["category"] == "uncertain")
    releases = sorted({str(r["clinvar_release"]) for r in records if r["clinvar_release"]})
    notes = [
        f"ClinVar: {sum(per_gene.values())} pathogenic/likely pathogenic records in "
        f"{len(per_gene)} of the {len(acmg)} ACMG SF genes (ClinVar releases "
        f"{', '.join(releases)}). Only records for ACMG SF genes are included.",
        "No benign or likely benign records are bundled: a variant that is not listed is "
        "NOT known to be benign, it is simply not in the bundled knowledge.",
        f"Only {uncertain} uncertain-significance or conflicting records are bundled; "
        "variants of uncertain significance are not covered systematically.",
    ]
    empty = sorted(g for g in acmg if per_gene[g] == 0)
    if empty:
        notes.append(f"No pathogenic ClinVar record is bundled for: {', '.join(empty)}.")
    recessive = sorted(g for g, r in acmg.items() if r["report_rule"] in _RECESSIVE_RULES)
    if recessive:
        detail = ", ".join(f"{g} ({per_gene[g]})" for g in recessive)
        notes.append(
            "Recessive genes are covered thinly (pathogenic/likely pathogenic records bundled): "
            f"{detail}."
        )
    truncating_only = sorted(
        g
        for g, r in acmg.items()
        if r["plp_records"] and r["plp_records"] == r["truncating_records"]
    )
    if truncating_only:
        notes.append(
            "For these genes every bundled record is a truncating or splice-site variant; "
            "pathogenic missense variants are missing from the bundled ClinVar subset: "
            f"{', '.join(truncating_only)}."
        )
    stale = sorted(
        {f"{r['gene']} {r['hgvs_p'] or r['hgvs_c'] or r['variation_id']} ({r['clinvar_release']})"
         for r in records if str(r["clinvar_release"]) < _STALE_BEFORE}
    )  # fmt: skip
    if stale:
        notes.append(
            "These classifications come from old ClinVar releases and should be re-checked: "
            f"{'; '.join(stale)}."
        )
    lifted = sum(1 for r in records if r["g37_origin"] == "lifted")
    missing37 = sum(1 for r in records if r["g37"] is None)
    notes.append(
        f"GRCh37 positions: {lifted} records were converted from GRCh38 with the Ensembl chain "
        f"file (reference bases not re-checked); {missing37} records have no GRCh37 position "
        "(ambiguous, strand-flipped or gap-spanning conversions were left out) and can only be "
        "found in GRCh38 files."
    )
    with_c = sum(1 for r in records if r["hgvs_c"])
    notes.append(
        f"Transcript-level names (c./p. HGVS) are bundled for {with_c} records only; most "
        "records carry the genomic HGVS and ClinVar's molecular consequence."
    )
    notes.append(
        "Copy-number changes, large deletions/duplications, repeat expansions and structural "
        "variants are not covered."
    )
    notes.append(
        "CIViC: germline and predisposing evidence only (cancer somatic evidence is left out); "
        "CIViC insertions/deletions without a stated anchor base are matched by gene, not position."
    )
    if not pgx_built:
        notes.append("Pharmacogenomics tables are not included in this knowledge file.")
    if dropped.get("not_plp_vus_or_conflicting"):
        notes.append(
            f"{dropped['not_plp_vus_or_conflicting']} ClinVar lines with other classifications "
            "(benign, drug response only, not provided) were left out."
        )
    return notes
