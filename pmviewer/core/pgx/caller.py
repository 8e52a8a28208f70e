"""Pharmacogenomics: star-allele diplotypes, CPIC phenotypes and recommendations from a VCF.

``call_pgx`` runs, for every gene of the knowledge file's CPIC tables:

1. read the sample's genotype at the gene's defining positions (:mod:`pgx_sample`);
2. match named alleles (:mod:`pgx_match`), with DPYD's unphased rule;
3. look up allele functions, phenotype and activity score (:mod:`pgx_phenotype`);
4. attach the CPIC recommendations whose lookup key matches (:mod:`pgx_recommend`).

``call_status`` is one of: ``called`` (every defining position assessed), ``partial`` (called
from the positions present, the rest listed in ``missing_positions``; or SLCO1B1 read from
rs4149056 alone, see ``inferred_diplotype``), ``no_match`` (data present but no pair of named
alleles explains it), ``no_data`` (no defining position assessed in the file) and
``not_callable`` (CYP2D6, HLA, or a build the definitions do not cover). A gene that is not
called is never reported as normal.

When several diplotypes tie, all are listed (``candidates``; ``diplotype`` joins them with
"or"); a phenotype and recommendations are given only if every candidate has the same one.

Allele definitions are GRCh38. On GRCh37 the defining positions are the ones the knowledge
build converted with the Ensembl chain (``pgx_position_grch37``); a position that did not
convert cleanly is named in the note and its alleles cannot be tested (the call is partial).
Where the two assemblies' reference bases differ, a GRCh37 record's own REF base is read as
the sample's allele for a 0 in the genotype, so a GRCh37 0/0 is not mistaken for the GRCh38
reference.

Every result carries ``source`` (``"vcf"`` here; ``"outside"`` for a call imported with
:mod:`.outside_calls`, which also fills ``source_file`` and ``source_sha256``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field, fields

from pmviewer.core.model import VariantTable
from pmviewer.core.pgx.grch37 import refusal_words
from pmviewer.core.pgx.match import (
    GeneDefinition,
    MatchOutcome,
    dpyd_haplotypes,
    load_definition,
    match_gene,
    natural_key,
    unexplained_variants,
)
from pmviewer.core.pgx.phenotype import (
    allele_functions,
    lookup_diplotype,
    lowest_function_pair,
)
from pmviewer.core.pgx.recommend import recommendations_for
from pmviewer.core.pgx.sample import TableCalls, sample_calls
from pmviewer.core.progress import CancelToken, ProgressCallback, check

DEFINITION_BUILD = "GRCh38"
SUPPORTED_BUILDS = ("GRCh38", "GRCh37")


@dataclass
class PgxResult:
    """One gene's call, in the shape of the ``pgx`` list of ``pmviewer annotate`` JSON."""

    gene: str
    diplotype: str | None
    phenotype: str | None
    activity_score: float | None
    callable: bool
    missing_positions: list[str]
    recommendations: list[dict] = field(default_factory=list)
    call_status: str = "no_data"
    candidates: list[str] = field(default_factory=list)
    alleles_found: list[str] = field(default_factory=list)
    inferred_diplotype: str | None = None
    allele_functions: dict[str, dict] = field(default_factory=dict)
    positions_used: int = 0
    positions_total: int = 0
    phased: bool = False
    note: str | None = None
    lookup_key: str | None = None
    phenotype_source: str | None = None
    source: str = "vcf"  # "vcf" | "outside"
    source_file: str | None = None  # outside call: the file's name
    source_sha256: str | None = None  # outside call: the file's SHA-256
    source_line: int | None = None  # outside call: line in that file
    lookup_keys: list[str] = field(default_factory=list)  # several keys (HLA carriage)
    conflict: str | None = None  # outside call that disagrees with the VCF call
    vcf_call: dict | None = None  # the VCF's own call when an outside call replaced it

    def to_json(self) -> dict:
        """The result as a plain dict (the ``pgx`` entry of the annotate JSON)."""
        return asdict(self)


def connection_of(conn_or_knowledge: object) -> sqlite3.Connection:
    """The SQLite connection of a :class:`Knowledge` (or the connection itself)."""
    if isinstance(conn_or_knowledge, sqlite3.Connection):
        return conn_or_knowledge
    return conn_or_knowledge.connection  # type: ignore[attr-defined]


_connection = connection_of


def result_from_json(entry: dict) -> PgxResult:
    """A :class:`PgxResult` back from its JSON dict (unknown keys of older files dropped)."""
    names = {f.name for f in fields(PgxResult)}
    return PgxResult(**{k: v for k, v in entry.items() if k in names})


def pgx_regions(conn_or_knowledge: object, build: str) -> list[tuple[str, int, int, str]]:
    """(chrom, start, end, gene) spanning each callable gene's defining positions (1-based).

    Empty for builds the definitions cannot be placed on. On GRCh37 the chain-converted
    positions are used. Chromosomes are chr-prefixed as in the definitions; the loader matches
    them to the file's naming.
    """
    if build not in SUPPORTED_BUILDS:
        return []
    conn = _connection(conn_or_knowledge)
    if build == DEFINITION_BUILD:
        rows = conn.execute(
            "SELECT p.chrom, MIN(p.pos), MAX(p.pos + LENGTH(p.ref) - 1), p.gene "
            "FROM pgx_position p JOIN pgx_gene g ON g.gene = p.gene "
            "WHERE g.callable = 1 GROUP BY p.gene, p.chrom ORDER BY p.chrom, MIN(p.pos), p.gene"
        ).fetchall()
    elif not _has_grch37_positions(conn):
        return []
    else:
        rows = conn.execute(
            "SELECT l.chrom, MIN(l.pos), MAX(l.pos + LENGTH(p.ref) - 1), p.gene "
            "FROM pgx_position p JOIN pgx_gene g ON g.gene = p.gene "
            "JOIN pgx_position_grch37 l ON l.gene = p.gene AND l.idx = p.idx "
            "WHERE g.callable = 1 AND l.pos IS NOT NULL "
            "GROUP BY p.gene, l.chrom ORDER BY l.chrom, MIN(l.pos), p.gene"
        ).fetchall()
    return [(c, int(s), int(e), g) for c, s, e, g in rows]


def call_pgx(
    table: VariantTable,
    conn_or_knowledge: object,
    build: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[PgxResult]:
    """Call every CPIC gene for the sample of ``table`` (see module docstring)."""
    conn = _connection(conn_or_knowledge)
    genes = conn.execute(
        "SELECT gene, callable, not_callable_reason, phenotype_source, n_positions "
        "FROM pgx_gene ORDER BY gene"
    ).fetchall()
    results: list[PgxResult] = []
    calls: TableCalls | None = None  # the table read once for every gene
    for done, (gene, callable_, reason, source, n_pos) in enumerate(genes):
        check(cancel)
        if not callable_:
            results.append(_not_callable(gene, reason or "no allele definition", n_pos))
        elif build not in SUPPORTED_BUILDS or (
            build != DEFINITION_BUILD and not _has_grch37_positions(conn)
        ):
            results.append(
                _not_callable(
                    gene,
                    f"Not callable on {build or 'an unknown build'}: the CPIC allele "
                    "definitions are on GRCh38"
                    + (
                        " and this knowledge file has no GRCh37 positions for them."
                        if build == "GRCh37"
                        else "; state the build with --build if it is known."
                    ),
                    n_pos,
                )
            )
        else:
            defn = load_definition(conn, gene, build)
            assert defn is not None
            if calls is None:
                calls = TableCalls(table, _defining_positions(conn, build))
            results.append(_call_gene(conn, defn, table, source, build, calls))
        if progress is not None:
            progress(done + 1, len(genes))
    attach_recommendations(conn, results)
    return results


def _defining_positions(conn: sqlite3.Connection, build: str) -> set[int]:
    """Every gene's defining positions on ``build`` (the rows the calls read)."""
    rows = conn.execute("SELECT pos FROM pgx_position").fetchall()
    if build != DEFINITION_BUILD:  # and the GRCh38 ones, which unconverted loci keep
        rows += conn.execute("SELECT pos FROM pgx_position_grch37 WHERE pos IS NOT NULL").fetchall()
    return {int(p) for (p,) in rows}


def _has_grch37_positions(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pgx_position_grch37'"
    ).fetchone()
    return row is not None


def _not_callable(gene: str, reason: str, n_pos: int) -> PgxResult:
    return PgxResult(
        gene=gene,
        diplotype=None,
        phenotype=None,
        activity_score=None,
        callable=False,
        missing_positions=[],
        call_status="not_callable",
        positions_total=n_pos,
        note=f"Not callable from this file. {reason}",
    )


def _call_gene(
    conn: sqlite3.Connection,
    defn: GeneDefinition,
    table: VariantTable,
    source: str | None,
    build: str = DEFINITION_BUILD,
    calls: TableCalls | None = None,
) -> PgxResult:
    sample = sample_calls(table, defn.loci, own_ref=build != DEFINITION_BUILD, calls=calls)
    refused_pos = {locus.pos for locus, _ in defn.refused}
    kept_pos = {locus.pos for locus in defn.loci} - refused_pos
    sample = {p: c for p, c in sample.items() if p in kept_pos}
    outcome = match_gene(defn, sample)
    result = PgxResult(
        gene=defn.gene,
        diplotype=None,
        phenotype=None,
        activity_score=None,
        callable=False,
        missing_positions=[locus.label() for locus in outcome.missing],
        positions_used=len(outcome.used),
        positions_total=len(defn.loci),
        phased=outcome.phased,
        phenotype_source=source,
    )
    if not outcome.used:
        result.call_status = "no_data"
        result.note = (
            "No defining position of this gene was assessed in the file (no variant, no 0/0 "
            "call, no reference block); the reference allele is not assumed."
        )
        return result
    notes = []
    if defn.refused:
        notes.append(
            f"{len(defn.refused)} defining position(s) do not convert cleanly from GRCh38 to "
            "GRCh37 and were not read: "
            + "; ".join(
                f"{locus.label()} ({refusal_words(reason)})" for locus, reason in defn.refused
            )
            + "."
        )
    if outcome.undocumented and defn.undocumented_as_reference:
        notes.append(
            "Alleles not in the CPIC definitions at "
            + ", ".join(outcome.undocumented)
            + " were read as reference, as PharmCAT does for this gene."
        )
    if defn.gene == "DPYD" and (not outcome.effectively_phased or len(outcome.diplotypes) != 1):
        _dpyd_unphased(conn, defn, sample, outcome, result, notes)
    elif outcome.diplotypes:
        _from_diplotypes(conn, defn, outcome, result, notes)
    else:
        result.call_status = "no_match"
        notes.append(
            outcome.note
            or "No combination of two CPIC named alleles explains the genotypes at the "
            "defining positions."
        )
        if defn.gene == "SLCO1B1":
            _slco1b1_from_rs4149056(conn, defn, sample, result, notes)
    if result.diplotype is not None:
        result.callable = True
        inferred = result.inferred_diplotype is not None
        result.call_status = "partial" if outcome.missing or inferred else "called"
        if outcome.missing:
            notes.append(
                f"{len(outcome.missing)} of {len(defn.loci)} defining positions were not in "
                "the file; alleles defined there could not be tested."
            )
    if source == "older" and result.diplotype is not None:
        notes.append("Phenotype from an older CPIC table bundled for this gene.")
    result.note = " ".join(notes) or None
    return result


def _pair_text(pair: tuple[str, str | None]) -> str:
    return pair[0] if pair[1] is None else f"{pair[0]}/{pair[1]}"


def _from_diplotypes(
    conn: sqlite3.Connection,
    defn: GeneDefinition,
    outcome: MatchOutcome,
    result: PgxResult,
    notes: list[str],
) -> None:
    display = {a.name: a.display for a in defn.alleles}
    pairs = [(display[a], display[b] if b is not None else None) for a, b in outcome.diplotypes]
    pairs = list(dict.fromkeys(pairs))
    texts = [_pair_text(p) for p in pairs]
    result.candidates = texts
    result.diplotype = " or ".join(texts)
    names = [n for p in pairs for n in p if n is not None]
    result.allele_functions = allele_functions(conn, defn.gene, names)
    phenos = [lookup_diplotype(conn, defn.gene, a, b) for a, b in pairs]
    if len(pairs) > 1:
        notes.append(
            f"{len(pairs)} diplotypes fit the genotypes equally well (phase unknown); all are "
            "listed and none is picked."
        )
    distinct = {(p.phenotype, p.activity_score, p.lookup_key) for p in phenos}
    if len(distinct) == 1 and phenos[0].diplotype_in_table:
        result.phenotype = phenos[0].phenotype
        result.activity_score = phenos[0].activity_score
        result.lookup_key = phenos[0].lookup_key
    elif len(distinct) > 1:
        notes.append(
            "The candidate diplotypes have different phenotypes: "
            + "; ".join(
                f"{t}: {p.phenotype or 'not in CPIC table'}"
                for t, p in zip(texts, phenos, strict=True)
            )
            + "."
        )
    else:
        notes.append("This diplotype has no phenotype in the bundled CPIC table.")


def _dpyd_unphased(
    conn: sqlite3.Connection,
    defn: GeneDefinition,
    sample: dict,
    outcome: MatchOutcome,
    result: PgxResult,
    notes: list[str],
) -> None:
    haps = dpyd_haplotypes(defn, sample)
    result.allele_functions = allele_functions(conn, defn.gene, haps)
    pair = lowest_function_pair(result.allele_functions, haps)
    a, b = sorted(pair, key=lambda n: (n != defn.reference, natural_key(n)))
    result.diplotype = f"{a}/{b}"
    result.candidates = [result.diplotype]
    result.alleles_found = haps
    if len(haps) > 2 or (len(haps) == 2 and defn.reference not in haps):
        notes.append(
            "DPYD phase unknown: alleles found "
            + ", ".join(haps)
            + "; phenotype from the two lowest-function alleles (CPIC DPYD guideline)."
        )
    stray = unexplained_variants(defn, sample, haps)
    if stray:
        notes.append(
            "Variants at "
            + ", ".join(locus.label() for locus in stray)
            + " are not part of any DPYD allele found and do not enter the phenotype; "
            "review them separately."
        )
    pheno = lookup_diplotype(conn, defn.gene, a, b)
    result.phenotype = pheno.phenotype
    result.activity_score = pheno.activity_score
    result.lookup_key = pheno.lookup_key
    if not pheno.diplotype_in_table:
        notes.append("This diplotype has no phenotype in the bundled CPIC table.")


# PharmCAT Slco1b1AlleleMatcher: when no SLCO1B1 diplotype can be matched, the recommendation
# lookup uses rs4149056 (c.521T>C, the variant defining *5) alone: T/T -> *1/*1, T/C -> *1/*5,
# C/C -> *5/*5. The diplotype shown is the genotype, not a star-allele call.
_SLCO1B1_KEY_VARIANT = ("rs4149056", {"T": "*1", "C": "*5"})


def _slco1b1_from_rs4149056(
    conn: sqlite3.Connection,
    defn: GeneDefinition,
    sample: dict,
    result: PgxResult,
    notes: list[str],
) -> None:
    rsid, star = _SLCO1B1_KEY_VARIANT
    locus = next((loc for loc in defn.loci if loc.rsid == rsid), None)
    call = sample.get(locus.pos) if locus is not None else None
    if call is None or any(a not in star for a in call.alleles):
        return
    alleles = sorted(call.alleles, key=lambda a: star[a] != "*1")
    names = [star[a] for a in alleles] * (2 if len(alleles) == 1 else 1)
    pheno = lookup_diplotype(conn, defn.gene, names[0], names[1])
    if not pheno.diplotype_in_table:
        return
    result.diplotype = f"{rsid} " + "/".join(alleles)
    result.inferred_diplotype = f"{names[0]}/{names[1]}"
    result.allele_functions = allele_functions(conn, defn.gene, names)
    result.phenotype = pheno.phenotype
    result.activity_score = pheno.activity_score
    result.lookup_key = pheno.lookup_key
    notes.append(
        f"Phenotype from {rsid} alone, read as {result.inferred_diplotype} for the CPIC "
        "lookup (the star alleles could not be assigned)."
    )


def attach_recommendations(conn_or_knowledge: object, results: list[PgxResult]) -> None:
    """(Re)attach the CPIC recommendations of every result from all genes' lookup keys.

    Multi-gene recommendations depend on every gene, so this runs again after outside calls
    replace or add genes.
    """
    conn = _connection(conn_or_knowledge)
    keys: dict[str, set[str]] = {}
    for r in results:
        if r.callable and (r.lookup_key or r.lookup_keys):
            keys[r.gene] = set(r.lookup_keys) | ({r.lookup_key} if r.lookup_key else set())
    # Genes without a usable phenotype count as "No Result" in multi-gene CPIC keys.
    uncalled = {r.gene for r in results if r.gene not in keys}
    recs = recommendations_for(conn, keys, uncalled)
    for r in results:
        r.recommendations = recs.get(r.gene, [])
