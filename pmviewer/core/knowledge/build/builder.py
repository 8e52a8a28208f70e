"""Build the knowledge file from the public source releases (see the package docstring).

``build(sources_dir, out_path)`` reads a folder laid out like the published knowledge
sources (``clinvar/``, ``acmg_sf/``, ``civic/``, ``clingen/``, ``genes/``, ``liftover/``,
``curated/``, ``pgx/``), finds each input by file-name pattern (the newest release by the
date in its name), and writes one SQLite file. Same inputs give the same bytes: rows are
inserted in sorted order, nothing depends on the wall clock (the build date is the newest
source date, or ``SOURCE_DATE_EPOCH``), and the file is vacuumed with a fixed page size.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from pmviewer import __version__
from pmviewer.core.errors import KnowledgeError
from pmviewer.core.genome import ChainMap
from pmviewer.core.knowledge.build import (
    acmg,
    civic,
    civic_placements,
    clingen,
    clinvar,
    exons,
    gene_spans,
    genes,
    oncology,
)
from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    date_in_text,
    describe,
    newest_file,
)
from pmviewer.core.knowledge.build.coverage import coverage_notes
from pmviewer.core.knowledge.build.pgx_sources import pgx_source_files
from pmviewer.core.knowledge.build.schema import CORE_TABLES, PAGE_SIZE, SCHEMA_SQL, SCHEMA_VERSION
from pmviewer.core.knowledge.build.verify import content_digest
from pmviewer.core.knowledge.integrity import write_digest
from pmviewer.core.progress import ProgressCallback

log = logging.getLogger(__name__)

_STEPS = 8


def _chain(sources: Path, pattern: str) -> tuple[ChainMap, SourceFile]:
    path = newest_file(sources, "liftover", pattern)
    source = describe(sources, path, "Ensembl assembly mapping", f"liftover {pattern.strip('*')}",
                      "Ensembl assembly_mapping (chain files unchanged since 2018)",
                      "Ensembl data, no restrictions", ATTRIBUTION["Ensembl"])  # fmt: skip
    return ChainMap.from_file(path), source


def _build_date(sources: list[SourceFile]) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d")
    return _newest_release(sources)


def _newest_release(sources: list[SourceFile]) -> str:
    dates = [date_in_text(s.release) for s in sources]
    return max((d for d in dates if d), default="unknown")


def build(
    sources_dir: Path | str, out_path: Path | str, progress: ProgressCallback | None = None
) -> Path:
    """Build the knowledge file at ``out_path`` from ``sources_dir``; returns ``out_path``.

    Raises
    ------
    KnowledgeError
        A required source file is missing or malformed.
    """
    sources = Path(sources_dir).resolve()
    out = Path(out_path)
    if not sources.is_dir():
        raise KnowledgeError(f"The knowledge sources folder {sources} does not exist.")

    def step(n: int) -> None:
        if progress is not None:
            progress(n, _STEPS)

    step(0)
    chain_38_37, chain_src_a = _chain(sources, "*GRCh38_to_GRCh37*.chain*")
    chain_37_38, chain_src_b = _chain(sources, "*GRCh37_to_GRCh38*.chain*")
    all_sources: list[SourceFile] = [chain_src_a, chain_src_b]
    step(1)
    condition_rows, acmg_src = acmg.load(sources)
    coords, coords_src = genes.load(sources)
    all_sources += [acmg_src, coords_src]
    acmg_genes = acmg.gene_summary(condition_rows)
    pgx_genes = {g for g, c in coords.items() if c["is_pgx"]}
    gene_table = genes.merge(acmg_genes, coords, pgx_genes)
    analysed = set(gene_table)
    step(2)
    clingen_rows, clingen_src = clingen.load(sources, analysed)
    all_sources.append(clingen_src)
    for gene, row in clingen.best(clingen_rows).items():
        gene_table[gene].update(clingen_classification=row["classification"],
                                clingen_disease=row["disease"], clingen_moi=row["moi"])  # fmt: skip
    step(3)
    cv = clinvar.load(sources, set(acmg_genes), chain_38_37)
    all_sources += cv.sources
    clinvar.lof_mechanism(cv.records, gene_table)
    genes.add_load_regions(gene_table, cv.records)
    step(4)
    cc = civic.load(sources, analysed, chain_37_38, chain_38_37)
    all_sources += cc.sources
    onc = oncology.load(sources, chain_37_38, chain_38_37)  # tumour mode
    all_sources += onc.sources
    exon_result = exons.load(sources, gene_table, chain_38_37, onc.genes)
    spans = gene_spans.load(sources, onc.genes, chain_38_37)
    placements = civic_placements.load(sources, onc.variants, chain_38_37)
    all_sources += [
        s for s in (exon_result.source, exon_result.mane_source, spans.source) if s is not None
    ]
    step(5)

    tmp = out.with_name(out.name + ".building")
    tmp.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(SCHEMA_SQL)
        counts: dict[str, int] = {}
        with conn:
            counts["gene_conditions"] = acmg.insert(conn, condition_rows)
            counts["genes"] = genes.insert(conn, gene_table)
            counts["clingen_validity"] = clingen.insert(conn, clingen_rows)
            counts["clinvar"] = clinvar.insert(conn, cv.records)
            (counts["clinvar_terms"],) = conn.execute(
                "SELECT count(*) FROM clinvar_terms"
            ).fetchone()
            counts.update(civic.insert(conn, cc))
            counts.update(oncology.insert(conn, onc))
            counts["gene_exons"] = exons.insert(conn, exon_result)
            counts["gene_spans"] = gene_spans.insert(conn, spans)
            counts["onc_placements"] = civic_placements.insert(conn, placements)
        step(6)
        pgx_counts, pgx_tables_list, pgx_note = _pgx(conn, sources)
        counts.update(pgx_counts)
        if pgx_tables_list:
            all_sources += pgx_source_files(sources)
            # pharmacogenes the PGx tables define but the gene-coordinate file lacks (MT-RNR1)
            extra = genes.merge({}, {}, _pgx_gene_names(conn) - set(gene_table))
            with conn:
                counts["genes"] += genes.insert(conn, extra)
            gene_table.update(extra)
        step(7)
        all_sources = sorted({s.path: s for s in all_sources}.values(), key=lambda s: s.path)
        counts["sources"] = len(all_sources)
        meta = _meta(all_sources, counts, gene_table, cv, cc, pgx_tables_list, pgx_note)
        meta["exons"] = json.dumps(dict(sorted(exon_result.counts.items())), sort_keys=True)
        counts["meta"] = len(meta) + 2  # + counts and content_sha256
        counts["table_counts"] = len(counts) + 1
        meta["counts"] = json.dumps(dict(sorted(counts.items())), sort_keys=True)
        with conn:
            conn.executemany(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(s.path, s.name, s.role, s.release, s.licence, s.attribution, s.sha256,
                  s.size_bytes) for s in all_sources],
            )  # fmt: skip
            conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            conn.executemany("INSERT INTO table_counts VALUES (?, ?)", sorted(counts.items()))
        with conn:
            # checksum of every row of every table, so 'kb verify' can detect altered content
            conn.execute("INSERT INTO meta VALUES ('content_sha256', ?)", (content_digest(conn),))
        conn.execute("ANALYZE")
        conn.execute("VACUUM")
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)  # never leave a half-built file behind
        raise
    conn.close()
    os.replace(tmp, out)
    write_digest(out)  # the digest shipped next to the bundled file (checked at every open)
    step(_STEPS)
    return out


def _pgx(conn: sqlite3.Connection, sources: Path) -> tuple[dict[str, int], tuple[str, ...], str]:
    try:
        from pmviewer.core.knowledge.build import pgx_tables
    except ModuleNotFoundError as error:
        if error.name != "pmviewer.core.knowledge.build.pgx_tables":
            raise
        log.warning(
            "pharmacogenomics tables skipped: pmviewer.core.knowledge.build.pgx_tables is absent"
        )
        return {}, (), "not built: the pharmacogenomics table builder is not installed"
    with conn:
        counts = pgx_tables.build_pgx_tables(conn, sources)
    return dict(counts), tuple(pgx_tables.PGX_SCHEMA_TABLES), "built"


def _pgx_gene_names(conn: sqlite3.Connection) -> set[str]:
    try:
        return {r[0] for r in conn.execute("SELECT gene FROM pgx_gene")}
    except sqlite3.OperationalError:  # the PGx builder names its gene table differently
        return set()


def _meta(
    all_sources: list[SourceFile],
    counts: dict[str, int],
    gene_table: dict[str, dict[str, object]],
    cv: clinvar.ClinvarResult,
    cc: civic.CivicResult,
    pgx_tables_list: tuple[str, ...],
    pgx_note: str,
) -> dict[str, str]:
    newest_release = _newest_release(all_sources)
    liftover = {
        "clinvar_grch38_to_grch37": dict(sorted(cv.liftover.items())),
        "civic": dict(sorted(cc.liftover.items())),
    }
    lof = {
        g: {"lof_mechanism": r["lof_mechanism"], "truncating_fraction": r["truncating_fraction"],
            "plp_records": r["plp_records"]}
        for g, r in sorted(gene_table.items()) if "acmg_sf" in str(r["panel"])
    }  # fmt: skip
    return {
        "schema_version": str(SCHEMA_VERSION),
        "knowledge_version": newest_release.replace("-", "."),
        "build_date": _build_date(all_sources),
        "software_version": __version__,
        "genome_builds": "GRCh38,GRCh37",
        "core_tables": json.dumps(list(CORE_TABLES)),
        "pgx_tables": json.dumps(list(pgx_tables_list)),
        "pgx_status": pgx_note,
        "clinvar_dropped": json.dumps(dict(sorted(cv.dropped.items())), sort_keys=True),
        "clinvar_merge": json.dumps(dict(sorted(cv.merge.items())), sort_keys=True),
        "liftover": json.dumps(liftover, sort_keys=True),
        "lof_method": json.dumps(
            {
                "threshold_lof": clinvar.LOF_THRESHOLD,
                "threshold_uncertain": clinvar.MIXED_THRESHOLD,
                "min_records": clinvar.LOF_MIN_RECORDS,
                "truncating_terms": sorted(clinvar.clinvar_read.TRUNCATING),
            },
            sort_keys=True,
        ),  # fmt: skip
        "lof_per_gene": json.dumps(lof, sort_keys=True),
        "coverage_notes": json.dumps(
            coverage_notes(gene_table, cv.records, Counter(cv.dropped), bool(pgx_tables_list))
        ),
        "attribution": json.dumps(ATTRIBUTION, sort_keys=True),
    }
