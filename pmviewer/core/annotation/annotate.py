"""Turn a VariantTable and the knowledge file into findings a counselor can act on.

Steps: resolve the genome build -> keep rows inside the analysed genes -> normalise their keys
(trim, and left-align when a reference FASTA is given) -> match ClinVar allele-exactly ->
apply each gene's ACMG SF reporting rule (core.rules) -> quality flags -> variant fate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmviewer.core.annotation.coverage import assess_genes, has_reference_calls
from pmviewer.core.annotation.fate import variant_fate
from pmviewer.core.annotation.nomenclature import name_columns
from pmviewer.core.annotation.policy import EvidencePolicy, apply_policy
from pmviewer.core.annotation.quality import QualityThresholds, quality_flags
from pmviewer.core.annotation.rules import (
    VARIANT_NAMED_RULES,
    GeneRule,
    Verdict,
    VerdictBoard,
    evidence_texts,
    is_truncating,
    per_value,
    rule_board,
    rule_inputs,
)
from pmviewer.core.annotation.sex import SexCall, infer_sex
from pmviewer.core.annotation.therapy import therapy_items
from pmviewer.core.errors import BuildError
from pmviewer.core.genome import (
    ReferenceFasta,
    canonical_chrom,
    is_indel,
    left_align,
    normalise_key,
    trim_alleles,
)
from pmviewer.core.knowledge import civic_rows
from pmviewer.core.model import BUILDS, FINDING_COLUMNS, Findings, VariantTable
from pmviewer.core.progress import CancelToken, ProgressCallback, check

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge


def resolve_build(detected: str | None, stated: str | None, evidence: str = "") -> str:
    """The build used for matching: the file's own unless the user states one.

    A stated build that contradicts what the header proves is refused, because matching on the
    wrong coordinates silently misses every variant.
    """
    if stated is not None and stated not in BUILDS:
        raise BuildError(
            f"'{stated}' is not a genome build pmviewer knows. Choose GRCh37 or GRCh38."
        )
    if detected and stated and detected != stated:
        raise BuildError(
            f"This file is {detected} ({evidence or 'from its header'}) but {stated} was "
            f"requested. Open it as {detected}, or use a file aligned to {stated}."
        )
    build = stated or detected
    if build is None:
        raise BuildError(
            "pmviewer could not tell which genome build this file uses (its header has no "
            "contig lengths or reference name). Ask the lab which build was used and choose "
            "GRCh37 or GRCh38 when opening it (command line: --build)."
        )
    return build


def _gene_of_rows(frame: pd.DataFrame, regions: list[tuple[str, int, int, str]]) -> np.ndarray:
    """Analysed gene of every row (object array, None outside every gene span).

    Vectorised per contig with binary search on the sorted positions, so a whole genome costs
    one argsort per contig rather than one comparison per (row, gene).
    """
    genes = np.full(len(frame), None, dtype=object)
    if not len(frame):
        return genes
    chrom_codes = frame["chrom"].astype("category")
    canon = {c: canonical_chrom(str(c)) for c in chrom_codes.cat.categories}
    positions = frame["pos"].to_numpy()
    codes = chrom_codes.cat.codes.to_numpy()
    by_chrom: dict[str, list[tuple[int, int, str]]] = {}
    for chrom, start, end, gene in regions:
        by_chrom.setdefault(canonical_chrom(chrom), []).append((start, end, gene))
    for code, name in enumerate(chrom_codes.cat.categories):
        spans = by_chrom.get(canon[name])
        if not spans:
            continue
        rows = np.flatnonzero(codes == code)
        order = np.argsort(positions[rows], kind="stable")
        sorted_pos = positions[rows][order]
        # later spans do not overwrite earlier ones: ACMG genes are listed before pharmacogenes
        for start, end, gene in reversed(spans):
            lo, hi = np.searchsorted(sorted_pos, [start, end + 1])
            genes[rows[order[lo:hi]]] = gene
    return genes


def _normalised_keys(
    rows: pd.DataFrame, reference: ReferenceFasta | None
) -> tuple[pd.DataFrame, int]:
    """Knowledge keys for ``rows`` (columns chrom, pos, ref, alt, aligned on ``rows``) and how
    many indels could not be fully normalised.

    Alleles are trimmed once per distinct REF/ALT pair. An indel is left-aligned only where
    the reference holds its chromosome and agrees with its REF allele; every other indel is
    counted, so the report can say so.
    """
    chrom = rows["chrom"].astype(str)
    ref, alt = rows["ref"].astype(str), rows["alt"].astype(str)
    codes, pairs = pd.factorize(ref + "\x1f" + alt)
    facts = [_allele_facts(pair) for pair in pairs]
    indel = np.array([f[0] for f in facts], dtype=bool)[codes]
    keys = pd.DataFrame(
        {
            "chrom": per_value(chrom, canonical_chrom, object),
            "pos": rows["pos"].to_numpy(dtype=np.int64)
            + np.array([f[1] for f in facts], dtype=np.int64)[codes],
            "ref": np.array([f[2] for f in facts], dtype=object)[codes],
            "alt": np.array([f[3] for f in facts], dtype=object)[codes],
        },
        index=rows.index,
    )
    not_normalised = int(indel.sum())
    if reference is None:
        return keys, not_normalised
    positions = rows["pos"].to_numpy(dtype=np.int64)
    for i in np.flatnonzero(indel):  # a reference lookup per indel
        c, p, r, a = chrom.iat[i], int(positions[i]), ref.iat[i], alt.iat[i]
        if reference.matches(c, p, r):
            key = normalise_key(c, *left_align(reference, c, p, r, a))
            keys.iloc[i] = [key.chrom, key.pos, key.ref, key.alt]
            not_normalised -= 1
    return keys, not_normalised


def _allele_facts(pair: str) -> tuple[bool, int, str, str]:
    """(is an indel, position shift, trimmed REF, trimmed ALT) of one "REF\\x1fALT" pair."""
    ref, _, alt = pair.partition("\x1f")
    shift, trimmed_ref, trimmed_alt = trim_alleles(0, ref, alt)
    return is_indel(ref, alt), shift, trimmed_ref, trimmed_alt


# finding column <- knowledge (ClinVar) column
_KNOWLEDGE_FIELDS = {
    "kb_gene": "gene",
    "classification": "classification",
    "review_status": "review_status",
    "review_stars": "stars",
    "clinvar_id": "variation_id",
    "condition": "conditions",
    "kb_hgvs_c": "hgvs_c",
    "kb_hgvs_p": "hgvs_p",
    "kb_transcript": "transcript",
    "kb_hgvs_g": "hgvs_g",
    "last_evaluated": "last_evaluated",
    "kb_consequence": "consequence",
}


def _key_texts(keys: pd.DataFrame) -> pd.Series:
    """ "chrom:pos:ref:alt" of every key (the finding id without its build)."""
    return (
        keys["chrom"].astype(str) + ":" + keys["pos"].astype("int64").astype(str) + ":"
        + keys["ref"].astype(str) + ":" + keys["alt"].astype(str)
    )  # fmt: skip


def _match_knowledge(
    knowledge: Knowledge, build: str, keys: pd.DataFrame, key_texts: pd.Series
) -> pd.DataFrame:
    """ClinVar columns for the rows of ``keys`` (aligned on its index), empty where nothing
    matched; one indexed lookup for all keys, joined on the key text."""
    wanted = zip(*(keys[c].tolist() for c in ("chrom", "pos", "ref", "alt")), strict=True)
    hits = knowledge.variants_in(build, list(wanted))
    hit_texts = _key_texts(hits) if len(hits) else pd.Series([], dtype=object)
    last = ~hit_texts.duplicated(keep="last").to_numpy(dtype=bool)  # a later record wins
    found = pd.Index(hit_texts[last]).get_indexer(key_texts)
    positions = np.where(found >= 0, np.flatnonzero(last)[found], -1) if len(hits) else found
    matched = positions >= 0
    out = {}
    for column, source in _KNOWLEDGE_FIELDS.items():
        values = np.full(len(keys), None, dtype=object)
        if len(hits):
            values[matched] = hits[source].astype(object).to_numpy()[positions[matched]]
        out[column] = values
    return pd.DataFrame(out, index=keys.index, dtype=object)


def _verdicts(
    rows: pd.DataFrame, gene_rules: dict[str, GeneRule], pgx_genes: set[str], sex: str | None
) -> VerdictBoard:
    board = VerdictBoard(rows.index)
    classified = rows["classification"].notna().to_numpy(dtype=bool)
    matched = rows[classified]
    # the gene from the same (possibly empty) frame: assigning a longer column to an empty
    # frame would give it that column's rows
    inputs = rule_inputs(matched).assign(kb_gene_or_span=matched["kb_gene_or_span"])
    evidence = evidence_texts(inputs)
    for gene, group in inputs.groupby("kb_gene_or_span", sort=True):
        rule = gene_rules.get(str(gene))
        if rule is not None:
            board.take(rule_board(rule, group, sex, evidence))
    # not in the knowledge base, but the file's own annotation says loss of function
    gene = rows["kb_gene_or_span"].astype(object)
    lof_genes = {g for g, rule in gene_rules.items() if rule.lof_mechanism}
    lof = rows[~classified & per_value(rows["consequence"], is_truncating)
               & gene.isin(lof_genes).to_numpy(dtype=bool)]  # fmt: skip
    board.put(
        lof, "uncertain",
        "not in the bundled ClinVar data, but the file's own annotation says "
        + lof["consequence"].astype(str) + " in " + lof["kb_gene_or_span"].astype(str)
        + ", where loss of function causes disease: review",
    )  # fmt: skip
    rest = ~board.filled().to_numpy(dtype=bool)
    pgx = rest & (gene.isin(pgx_genes) & ~gene.isin(set(gene_rules))).to_numpy(dtype=bool)
    board.put(rows[pgx], "pgx", gene[pgx].astype(str) + " is a pharmacogene: see Pharmacogenomics")
    board.put(rows[rest & ~pgx], NO_EVIDENCE.category, NO_EVIDENCE.reason)
    return board


def _gene_rules(genes: pd.DataFrame) -> dict[str, GeneRule]:
    """The reporting rule of every ACMG SF gene, from the knowledge file."""
    acmg = genes[genes["report_rule"].notna() & (genes["report_rule"] != "")]
    return {
        row.gene: GeneRule(
            row.gene,
            row.report_rule,
            row.inheritance or "",
            str(row.lof_mechanism) == "lof",  # derived per gene in the knowledge build
        )
        for row in acmg.itertuples(index=False)
    }


def _attach_gene_facts(rows: pd.DataFrame, rules: dict[str, GeneRule], genes: pd.DataFrame) -> None:
    """Rule, inheritance and (when ClinVar gave none) the gene's ACMG SF condition."""
    gene = rows["kb_gene_or_span"]
    rows["report_rule"] = [rules[g].report_rule if g in rules else None for g in gene]
    rows["inheritance"] = [rules[g].inheritance if g in rules else None for g in gene]
    conditions = dict(zip(genes["gene"], genes["conditions"], strict=True))
    rows["sf_condition"] = gene.map(conditions)  # the report names the ACMG SF condition
    rows["condition"] = rows["condition"].fillna(rows["sf_condition"])
    rows["kb_gene"] = gene


def _warnings(
    sex_call: SexCall, not_normalised: int, reference: ReferenceFasta | None, table: VariantTable
) -> list[str]:
    """What the counselor should know about this analysis, in words."""
    warnings = []
    if sex_call.source == "inferred":
        warnings.append(
            f"Sex inferred from the genotypes as {sex_call.sex} ({sex_call.evidence}); "
            "state it in the patient details to confirm."
        )
    if not_normalised:
        why = (
            "no reference genome FASTA set"
            if reference is None
            else f"the reference genome {reference.path.name} lacks their chromosome or has "
            "another REF allele there: is it the same genome build as the file?"
        )
        warnings.append(
            f"{not_normalised} indel(s) in the analysed genes could not be fully normalised "
            f"({why}); an indel written in a shifted position may be missed."
        )
    warnings += [f"{line}: {reason}" for line, reason in table.stats.problems[:20]]
    return warnings


NO_EVIDENCE = Verdict("other", "no pathogenic or likely pathogenic record in the bundled knowledge")


_STEPS = 4


def _step(done: int, progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
    """Stop here if cancelled, else report ``done`` of the annotation steps."""
    check(cancel)
    if progress:
        progress(done, _STEPS)


def _rows_in_genes(frame: pd.DataFrame, regions: list[tuple[str, int, int, str]]) -> pd.DataFrame:
    """The rows inside an analysed gene, with that gene in ``kb_gene_or_span``."""
    gene_of = _gene_of_rows(frame, regions)
    inside = gene_of != None  # noqa: E711 - elementwise comparison
    rows = frame[inside].copy()
    rows["kb_gene_or_span"] = gene_of[inside]
    return rows


def _with_knowledge(
    rows: pd.DataFrame, knowledge: Knowledge, build: str, reference: ReferenceFasta | None
) -> tuple[pd.DataFrame, int]:
    """``rows`` with their ClinVar columns and ``finding_id``; and the count of indels that
    could not be fully normalised."""
    keys, not_normalised = _normalised_keys(rows, reference)
    key_texts = _key_texts(keys)
    rows = pd.concat([rows, _match_knowledge(knowledge, build, keys, key_texts)], axis=1)
    # a ClinVar record's own gene wins over the span it happens to fall in
    rows["kb_gene_or_span"] = rows["kb_gene"].fillna(rows["kb_gene_or_span"])
    rows["finding_id"] = (build + ":" + key_texts).tolist()
    return rows, not_normalised


def _recessive_rule_notes(knowledge: Knowledge) -> dict[str, str]:
    """The source's note for genes whose rule reads "all P/LP" although the gene is recessive
    (TRDN in ACMG SF v3.3: knowledge SOURCES.md, section 1 caveats)."""
    rows = knowledge.gene_conditions()
    odd = rows[
        rows["inheritance"].astype(str).str.upper().eq("AR")
        & rows["report_rule"].astype(str).eq("PLP_ANY_ZYGOSITY")
        & rows["notes"].notna()
    ]
    return {str(r.gene): str(r.notes) for r in odd.itertuples(index=False) if str(r.notes).strip()}


def _with_rule_notes(board: VerdictBoard, rows: pd.DataFrame, notes: dict[str, str]) -> None:
    gene = rows["kb_gene_or_span"].astype(str)
    note = gene.map(notes)
    noted = note.notna() & note.astype(bool) & board.category.isin(["reportable", "carrier"])
    noted = noted.to_numpy(dtype=bool)
    board.reason[noted] = (
        board.reason[noted] + ". Source note on " + gene[noted] + "'s rule: " + note[noted]
    )


def _classify(
    rows: pd.DataFrame,
    genes: pd.DataFrame,
    sex: str | None,
    thresholds: QualityThresholds,
    policy: EvidencePolicy,
    rule_notes: dict[str, str],
) -> None:
    """Add category, reason, qualifier, quality flags and the gene's facts to ``rows``."""
    gene_rules = _gene_rules(genes)
    pgx_genes = set(genes.loc[genes["panel"].astype(str).str.contains("pgx"), "gene"])
    board = _verdicts(rows, gene_rules, pgx_genes, sex)
    conditions = {str(g): str(c) for g, c in zip(genes["gene"], genes["conditions"], strict=True)}
    named = frozenset(g for g, r in gene_rules.items() if r.report_rule in VARIANT_NAMED_RULES)
    qualifiers = apply_policy(rows, board, policy, conditions, named)
    _with_rule_notes(board, rows, rule_notes)
    # lists, as the columns were always assigned (pandas infers their text dtype)
    rows["category"] = board.category.tolist()
    rows["reason"] = board.reason.tolist()
    rows["clinvar_qualifier"] = qualifiers.tolist()
    rows["quality_flags"] = quality_flags(rows, thresholds)
    _attach_gene_facts(rows, gene_rules, genes)
    mane = {
        str(r.gene): {str(t) for t in (r.mane_select_refseq, r.mane_select_ensembl) if isinstance(t, str) and t}
        for r in genes.itertuples(index=False)
    }  # fmt: skip
    for column, values in name_columns(rows, mane).items():
        rows[column] = values


def annotate(
    table: VariantTable,
    knowledge: Knowledge,
    *,
    build: str | None = None,
    sex: str | None = None,
    sex_hint: SexCall | None = None,
    reference: ReferenceFasta | None = None,
    thresholds: QualityThresholds | None = None,
    targets: list[tuple[str, int, int]] | None = None,
    targets_name: str = "",
    policy: EvidencePolicy | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    civic: pd.DataFrame | None = None,
) -> Findings:
    """Findings for one sample. ``knowledge`` is a :class:`pmviewer.core.knowledge.reader.Knowledge`.

    ``sex`` is the stated sex ("F"/"M"); without it sex is inferred from the genotypes, or
    taken from ``sex_hint`` (an inference the caller made from chrX/chrY records).
    ``targets`` are the laboratory's target regions (canonical chrom, 1-based inclusive), used
    with the file's reference calls to decide which genes were assessed; a file with reference
    calls must have been loaded with ``coverage_depth=thresholds.min_dp`` for that.
    ``civic``: every CIViC evidence row of the build (``knowledge.civic_for(build)``) when the
    caller read it already (the pipeline reads it once for therapies and evidence).
    """
    info = table.info
    build = resolve_build(info.build, build, info.build_evidence)
    thresholds = thresholds or QualityThresholds()
    policy = policy or EvidencePolicy()
    genes = knowledge.genes()
    regions = knowledge.gene_regions(build)
    frame = table.frame
    _step(0, progress, cancel)
    in_genes = _rows_in_genes(frame, regions)
    _step(1, progress, cancel)
    in_genes, not_normalised = _with_knowledge(in_genes, knowledge, build, reference)
    _step(2, progress, cancel)
    sex_call = infer_sex(frame, build, sex)
    if sex_call.sex is None and sex_hint is not None and sex_hint.sex is not None:
        sex_call = sex_hint  # inferred from chrX/chrY read separately (region-only load)
    _classify(in_genes, genes, sex_call.sex, thresholds, policy, _recessive_rule_notes(knowledge))
    _add_therapies(in_genes, knowledge, build, genes, civic)
    _step(3, progress, cancel)

    findings_frame = _typed(in_genes.drop(columns=["kb_gene_or_span"]))
    warnings = _warnings(sex_call, not_normalised, reference, table)
    fate = variant_fate(
        table, len(frame) - len(in_genes), findings_frame, not_normalised, reference
    )
    assessment = _assessment(table, findings_frame, genes, knowledge, build, thresholds,
                             targets, targets_name)  # fmt: skip
    _step(4, progress, cancel)
    return Findings(
        frame=findings_frame,
        build=build,
        sample=table.sample,
        sex=sex_call.sex,
        sex_source=sex_call.source,
        fate=fate,
        warnings=warnings,
        knowledge=knowledge.metadata(),
        input_sha256=info.sha256,
        input_path=info.path,
        assessment=assessment,
        policy=policy.to_json(),
    )


def _add_therapies(
    rows: pd.DataFrame,
    knowledge: Knowledge,
    build: str,
    genes: pd.DataFrame,
    every: pd.DataFrame | None = None,
) -> None:
    """CIViC germline predictive evidence per finding (column ``therapies``)."""
    if not len(rows):
        rows["therapies"] = pd.Series(dtype=object)
        return
    in_genes = set(rows["kb_gene"].dropna().astype(str))
    if every is None:
        civic = knowledge.civic_for(build, genes=in_genes)
    else:
        civic = civic_rows(every, genes=in_genes)
    lof = set(genes.loc[genes["lof_mechanism"].astype(str).eq("lof"), "gene"].astype(str))
    # only a classified finding (gene-level items) or one at a CIViC variant's position
    # (variant items) can get an item: the matcher reads just those rows
    positions = set(civic["pos"].dropna().astype("int64").astype(str)) if len(civic) else set()
    at_civic = rows["finding_id"].astype(str).str.split(":", n=3).str[2].isin(positions)
    candidates = rows[
        rows["classification"].notna().to_numpy(dtype=bool) | at_civic.to_numpy(dtype=bool)
    ]
    items = therapy_items(candidates, civic, lof)
    rows["therapies"] = [items.get(i, []) for i in rows.index]


def _assessment(
    table: VariantTable,
    findings: pd.DataFrame,
    genes: pd.DataFrame,
    knowledge: Knowledge,
    build: str,
    thresholds: QualityThresholds,
    targets: list[tuple[str, int, int]] | None,
    targets_name: str,
) -> dict | None:
    """Which ACMG SF genes were assessed; None when the table was loaded without the depth
    intervals a reference-call file needs (the report then claims no negative at all)."""
    if has_reference_calls(table) and table.covered_at_depth is None:
        return None
    acmg = genes.loc[genes["report_rule"].notna() & (genes["report_rule"] != ""), "gene"]
    result = assess_genes(
        table, findings, [str(g) for g in acmg], knowledge.gene_exons(build),
        thresholds.min_dp, targets, targets_name,
    )  # fmt: skip
    return result.to_json()


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply the declared dtypes of FINDING_COLUMNS (categories keep a stable order)."""
    from pmviewer.core.model import CATEGORIES

    frame = frame.copy()
    for name, (dtype, _) in FINDING_COLUMNS.items():
        if name not in frame:
            frame[name] = None
        if name == "category":
            frame[name] = pd.Categorical(frame[name], categories=list(CATEGORIES))
        elif dtype != "object" and dtype != "category":
            frame[name] = frame[name].astype(dtype)
    order = {c: i for i, c in enumerate(("reportable", "uncertain", "carrier", "pgx", "other"))}
    frame["_order"] = frame["category"].map(order).astype(int)
    frame = frame.sort_values(["_order", "kb_gene", "pos"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)
