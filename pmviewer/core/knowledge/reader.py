"""Reader of the bundled knowledge file (SQLite built by :mod:`pmviewer.core.knowledge.build`).

``open_knowledge()`` opens the bundled file (or one the user chose) read-only and checks it is
a pmviewer knowledge file of a schema this version understands, raising
:class:`~pmviewer.core.errors.KnowledgeError` with a counselor-facing message otherwise.
Tables are loaded lazily and cached, so opening costs a few milliseconds and the annotator
pays only for what it asks for.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.genome import canonical_chrom
from pmviewer.core.knowledge import integrity
from pmviewer.core.knowledge.build.schema import CORE_TABLES, SCHEMA_VERSION
from pmviewer.core.knowledge.civic_join import civic_rows
from pmviewer.core.resources import bundled_knowledge_path

BUILDS = ("GRCh38", "GRCh37")
_PREFIX = {"GRCh38": "g38", "GRCh37": "g37"}
_CODED = ("genes", "classification", "review_status", "conditions", "clinvar_release",
          "consequence", "source")  # fmt: skip
_CHUNK = 5000  # positions per IN (...) query, well under SQLite's variable limit
# more positions than this (a genome's) are first cut to those with a record: reading them
# all costs ~0.05 s, about what 40 000 positions cost in indexed IN (...) queries
_PREFILTER = 40_000
_CHROM_ORDER = {c: i for i, c in enumerate([str(n) for n in range(1, 23)] + ["X", "Y", "MT"])}

VARIANT_COLUMNS = (
    "build", "chrom", "pos", "ref", "alt", "record_id", "gene", "genes", "variation_id",
    "allele_id", "rsid", "classification", "category", "review_status", "stars", "conditions",
    "last_evaluated", "clinvar_release", "hgvs_g", "hgvs_c", "hgvs_p", "transcript",
    "consequence", "truncating", "source", "key_origin",
)  # fmt: skip


F = TypeVar("F", bound=Callable[..., Any])


def _guarded(method: F) -> F:
    """Turn SQLite errors met while reading into a counselor-facing KnowledgeError."""

    @functools.wraps(method)
    def wrapper(self: Knowledge, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            # the SQLite text stays on the exception chain (logs), not in the message
            raise KnowledgeError(
                f"The knowledge file {self.path} could not be read: it may be damaged. "
                "Choose another knowledge file, or reinstall pmviewer."
            ) from error

    return wrapper  # type: ignore[return-value]


def _check_build(build: str) -> str:
    for known in BUILDS:
        if build.lower() == known.lower():
            return known
    raise KnowledgeError(
        f"The knowledge file has no data for genome build '{build}'. "
        "Only GRCh38 and GRCh37 are supported."
    )


def _frame(conn: sqlite3.Connection, sql: str, params: Iterable[object] = ()) -> pd.DataFrame:
    cursor = conn.execute(sql, tuple(params))
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


EXON_COLUMNS = ("gene", "transcript", "exon_number", "mane_match", "chrom", "start", "end")


def exon_rows(
    conn: sqlite3.Connection, build: str, panel: str = "acmg_sf"
) -> list[tuple[str, str, int, int, str, int, int]]:
    """The one reader of ``gene_exons`` (coverage reads panel ``acmg_sf``, the tumour mode
    ``civic``): :data:`EXON_COLUMNS` rows, canonical chrom, 1-based inclusive, by gene and
    exon number; exons without a position in ``build`` are left out. Empty when the knowledge
    file predates the exon table."""
    p = _PREFIX[build]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(gene_exons)")}
    if not columns:
        return []
    where = f"{p}_start IS NOT NULL"
    params: tuple[str, ...] = ()
    if "panel" in columns:  # a file built before the tumour mode shared the table
        where += " AND (',' || panel || ',') LIKE ?"
        params = (f"%,{panel},%",)
    return conn.execute(
        f"""SELECT gene, transcript, exon_number, mane_match, {p}_chrom, {p}_start, {p}_end
            FROM gene_exons WHERE {where} ORDER BY gene, exon_number""",
        params,
    ).fetchall()


class Knowledge:
    """An open, validated knowledge file. Use :func:`open_knowledge` to create one."""

    file_sha256: str = ""  # SHA-256 of the file's bytes, computed by open_knowledge

    def __init__(self, path: Path, conn: sqlite3.Connection, meta: dict[str, str]) -> None:
        self.path = path
        self._conn = conn
        self._meta = meta
        self._cache: dict[object, object] = {}

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def connection(self) -> sqlite3.Connection:
        """The read-only SQLite connection (for the pharmacogenomics tables)."""
        return self._conn

    def close(self) -> None:
        """Close the knowledge file."""
        self._conn.close()

    def __enter__(self) -> Knowledge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_guarded
    def read_table(self, name: str) -> pd.DataFrame:
        """Every row of one table, for tables without a dedicated accessor."""
        tables = {
            r[0]
            for r in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            )
        }
        if name not in tables:
            raise KnowledgeError(f"The knowledge file has no table '{name}'.")
        return _frame(self._conn, f'SELECT * FROM "{name}"')

    # -- genes ------------------------------------------------------------------------------
    @_guarded
    def genes(self) -> pd.DataFrame:
        """ACMG SF genes and pharmacogenes, one row per gene (see the ``genes`` table).

        Columns include ``gene, panel, report_rule, inheritance, conditions, disorder_mims,
        gene_mim, category, mane_select_refseq, mane_select_ensembl, grch38_chrom/start/end,
        grch37_chrom/start/end, clingen_classification, truncating_fraction, lof_mechanism``.
        """
        if "genes" not in self._cache:
            self._cache["genes"] = _frame(self._conn, "SELECT * FROM genes ORDER BY gene")
        return self._cache["genes"].copy()  # type: ignore[attr-defined]

    @_guarded
    def gene_conditions(self) -> pd.DataFrame:
        """ACMG SF gene-condition rows (several per gene for multi-condition genes)."""
        return _frame(self._conn, "SELECT * FROM gene_conditions ORDER BY gene, condition_index")

    @_guarded
    def gene_regions(self, build: str) -> list[tuple[str, int, int, str]]:
        """``(chrom, start, end, gene)`` (canonical chrom, 1-based inclusive) to load.

        The gene span of that build, widened to cover every ClinVar record of the gene in
        that build (a few P/LP variants lie outside the MANE transcript). ACMG SF genes come
        first, then pharmacogenes; within each group in genome order.
        """
        build = _check_build(build)
        key = ("regions", build)
        if key not in self._cache:
            p = "grch38" if build == "GRCh38" else "grch37"
            rows = self._conn.execute(
                f"SELECT gene, panel, {p}_chrom, {p}_load_start, {p}_load_end FROM genes"
            ).fetchall()
            regions = []
            for gene, panel, chrom, start, end in rows:
                if chrom is None or start is None or end is None:
                    continue
                group = 0 if "acmg_sf" in (panel or "") else 1
                regions.append((group, _CHROM_ORDER.get(chrom, 99), start, end, chrom, gene))
            regions.sort()
            self._cache[key] = [(c, s, e, g) for _, _, s, e, c, g in regions]
        return list(self._cache[key])  # type: ignore[call-overload]

    @_guarded
    def gene_exons(self, build: str, panel: str = "acmg_sf") -> pd.DataFrame:
        """MANE Select exons of the ``panel`` genes in ``build`` (:func:`exon_rows`) as a frame:
        ``gene, transcript, exon_number, mane_match, chrom, start, end``.

        Empty when the knowledge file predates the exon table (coverage then cannot be
        checked, and callers say so).
        """
        return pd.DataFrame.from_records(
            exon_rows(self._conn, _check_build(build), panel), columns=list(EXON_COLUMNS)
        )

    # -- ClinVar ----------------------------------------------------------------------------
    def _dtypes(self) -> dict[str, pd.CategoricalDtype]:
        """One categorical dtype per coded ClinVar field, built once (thousands of terms)."""
        if "dtypes" not in self._cache:
            terms: dict[str, list[str]] = {f: [] for f in _CODED}
            for field, _code, term in self._conn.execute(
                "SELECT field, code, term FROM clinvar_terms ORDER BY field, code"
            ):
                terms.setdefault(field, []).append(term)
            self._cache["dtypes"] = {
                f: pd.CategoricalDtype(pd.Index(t, dtype=object)) for f, t in terms.items()
            }
        return self._cache["dtypes"]  # type: ignore[return-value]

    @_guarded
    def variants(self, build: str) -> pd.DataFrame:
        """Every ClinVar record with a key in ``build`` (columns :data:`VARIANT_COLUMNS`).

        ``chrom`` has no ``chr`` prefix and ``pos/ref/alt`` are trimmed as in
        :func:`pmviewer.core.genome.normalize.normalise_key`. ``category`` is ``plp`` or
        ``uncertain`` (VUS / conflicting). ``key_origin`` says whether the key was stated by
        the source or lifted from GRCh38 with the Ensembl chain.
        """
        build = _check_build(build)
        key = ("variants", build)
        if key not in self._cache:
            self._cache[key] = self._load_variants(build)
        return self._cache[key].copy()  # type: ignore[attr-defined]

    def _positions(self, build: str) -> np.ndarray:
        """Sorted unique positions with a ClinVar record in ``build`` (cached)."""
        key = ("positions", build)
        if key not in self._cache:
            v = _PREFIX[build]
            rows = self._conn.execute(
                f"SELECT DISTINCT {v}_pos FROM clinvar WHERE {v}_pos IS NOT NULL ORDER BY 1"
            ).fetchall()
            self._cache[key] = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        return self._cache[key]  # type: ignore[return-value]

    def _select(self, build: str) -> str:
        v = _PREFIX[build]
        origin = "g37_origin" if build == "GRCh37" else "'stated'"
        return f"""SELECT {v}_chrom, {v}_pos, {v}_ref, {v}_alt, record_id, gene, genes_code,
                variation_id, allele_id, rsid, classification_code, category, review_status_code,
                stars, conditions_code, last_evaluated, clinvar_release_code, hgvs_g, hgvs_c,
                hgvs_p, transcript, consequence_code, truncating, source_code, {origin}
            FROM clinvar"""

    def _rows_to_frame(self, build: str, rows: list[tuple[object, ...]]) -> pd.DataFrame:
        """Column arrays with the declared dtypes; coded text columns become categoricals."""
        names = VARIANT_COLUMNS[1:]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        dtypes = self._dtypes()
        data: dict[str, object] = {"build": np.full(len(rows), build, dtype=object)}
        for name, values in zip(names, columns, strict=True):
            if name in dtypes:
                codes = np.fromiter((-1 if v is None else v for v in values), np.int32, len(values))
                data[name] = pd.Categorical.from_codes(codes, dtype=dtypes[name])
            elif name in ("pos", "record_id"):
                data[name] = np.asarray(values, dtype=np.int64)
            elif name in ("variation_id", "allele_id", "stars", "truncating"):
                data[name] = pd.array(values, dtype="Int64")
            else:
                data[name] = pd.array(values, dtype="str")
        return pd.DataFrame(data, columns=list(VARIANT_COLUMNS))

    def _load_variants(self, build: str) -> pd.DataFrame:
        v = _PREFIX[build]
        rows = self._conn.execute(
            f"{self._select(build)} WHERE {v}_pos IS NOT NULL ORDER BY record_id"
        ).fetchall()
        return self._rows_to_frame(build, rows)

    @_guarded
    def variants_in(self, build: str, keys: Iterable[tuple[str, int, str, str]]) -> pd.DataFrame:
        """The ClinVar records whose key in ``build`` is one of ``keys`` (indexed lookup).

        ``keys`` are ``(chrom, pos, ref, alt)`` already normalised with
        :func:`~pmviewer.core.genome.normalize.normalise_key`; ``chr`` prefixes are tolerated.
        Columns as :meth:`variants`, one row per matched record, in knowledge-file order.
        """
        build = _check_build(build)
        v = _PREFIX[build]
        chroms: dict[object, str] = {}  # few distinct names: canonicalise each once
        wanted = set()
        for c, p, r, a in keys:
            chrom = chroms.get(c)
            if chrom is None:
                chrom = chroms[c] = canonical_chrom(str(c))
            wanted.add((chrom, int(p), str(r).upper(), str(a).upper()))
        positions = sorted({k[1] for k in wanted})
        if len(positions) > _PREFILTER:
            # many keys (a genome): drop positions the file has no record at before querying
            known = self._positions(build)
            positions = [
                int(p) for p in np.intersect1d(np.asarray(positions, dtype=np.int64), known)
            ]
        rows: list[tuple[object, ...]] = []
        sql = self._select(build)
        for i in range(0, len(positions), _CHUNK):
            chunk = positions[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(f"{sql} WHERE {v}_pos IN ({marks})", chunk):
                if (row[0], row[1], row[2], row[3]) in wanted:
                    rows.append(row)
        rows.sort(key=lambda r: int(r[4]))  # type: ignore[call-overload]
        return self._rows_to_frame(build, rows)

    # -- CIViC ------------------------------------------------------------------------------
    @_guarded
    def civic_for(
        self,
        build: str,
        keys: Iterable[tuple[str, int, str, str]] | None = None,
        genes: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """CIViC germline/predisposing evidence, one row per evidence item and variant.

        With ``keys``: evidence whose CIViC variant has one of those keys in ``build``.
        With ``genes``: all kept evidence for those genes (including variants without a
        position, e.g. CIViC indels). Without either: everything. Columns: the evidence
        fields (level, significance, disease, therapies, pmid, ...) plus ``variant_id,
        variant`` and the variant's ``chrom, pos, ref, alt`` in ``build`` (empty if unknown).
        """
        build = _check_build(build)
        v = _PREFIX[build]
        frame = _frame(
            self._conn,
            f"""SELECT e.*, cv.variant_id, cv.variant, cv.{v}_chrom AS chrom, cv.{v}_pos AS pos,
                       cv.{v}_ref AS ref, cv.{v}_alt AS alt
                FROM civic_evidence e
                LEFT JOIN civic_profile_variants pv ON pv.molecular_profile_id = e.molecular_profile_id
                LEFT JOIN civic_variants cv ON cv.variant_id = pv.variant_id
                ORDER BY e.evidence_id, cv.variant_id""",
        )
        for column in ("pos", "variant_id", "evidence_id", "molecular_profile_id"):
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        return civic_rows(frame, keys=keys, genes=genes)

    # -- metadata ---------------------------------------------------------------------------
    @_guarded
    def sources(self) -> list[dict[str, object]]:
        """Every source file of the knowledge: name, release, licence, path, SHA-256."""
        cursor = self._conn.execute("SELECT * FROM sources ORDER BY path")
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    @_guarded
    def metadata(self) -> dict[str, object]:
        """Version, sources, counts and coverage notes, as plain JSON-able data."""
        meta = self._meta

        def loads(key: str, default: object) -> object:
            try:
                return json.loads(meta[key])
            except (KeyError, ValueError):
                return default

        acmg = self._conn.execute(
            "SELECT gene FROM genes WHERE in_sf_v3_3 = 1 ORDER BY gene"
        ).fetchall()
        acmg_source = self._conn.execute(
            "SELECT release FROM sources WHERE name = 'ACMG SF' ORDER BY path LIMIT 1"
        ).fetchone()
        return {
            "version": meta.get("knowledge_version", ""),
            "knowledge_version": meta.get("knowledge_version", ""),
            "schema_version": int(meta.get("schema_version", "0")),
            "build_date": meta.get("build_date", ""),
            "built": meta.get("build_date", ""),
            "software_version": meta.get("software_version", ""),
            "genome_builds": meta.get("genome_builds", "").split(","),
            "content_sha256": meta.get("content_sha256", ""),
            # computed from the file's bytes at open (what reports print), not read from it
            "file_sha256": self.file_sha256,
            "path": str(self.path),
            "acmg_sf_version": acmg_source[0] if acmg_source else "",
            "acmg_sf_genes": [g for (g,) in acmg],
            "gene_count": len(acmg),
            "sources": self.sources(),
            "counts": loads("counts", {}),
            "coverage_notes": loads("coverage_notes", []),
            "liftover": loads("liftover", {}),
            "clinvar_dropped": loads("clinvar_dropped", {}),
            "clinvar_merge": loads("clinvar_merge", {}),
            "lof_method": loads("lof_method", {}),
            "attribution": loads("attribution", {}),
            "pgx_status": meta.get("pgx_status", ""),
            "pgx_tables": loads("pgx_tables", []),
        }

    def info(self) -> str:
        """A plain-text description for ``pmviewer kb info``."""
        m = self.metadata()
        lines = [
            f"Knowledge file: {m['path']}",
            f"Knowledge version: {m['version']}  (schema {m['schema_version']}, "
            f"built {m['build_date']} by pmviewer {m['software_version']})",
            f"Genome builds: {', '.join(m['genome_builds'])}",  # type: ignore[arg-type]
            f"ACMG SF {m['acmg_sf_version']}: {m['gene_count']} genes",
            f"Pharmacogenomics tables: {m['pgx_status']}",
            "",
            "Sources:",
        ]
        seen: set[tuple[object, object]] = set()
        for src in m["sources"]:  # type: ignore[attr-defined]
            group = (src["name"], src["release"])
            if group in seen:
                continue
            seen.add(group)
            files = [s for s in m["sources"] if (s["name"], s["release"]) == group]  # type: ignore[attr-defined]
            suffix = f" ({len(files)} files)" if len(files) > 1 else f" [{src['path']}]"
            lines.append(
                f"  - {src['name']}, release {src['release']}; licence: {src['licence']}{suffix}"
            )
        lines += ["", "Records per table:"]
        for table, count in sorted(m["counts"].items()):  # type: ignore[attr-defined]
            lines.append(f"  {table:<28} {count:>8}")
        lines += ["", "What the bundled knowledge covers and does not cover:"]
        lines += [f"  - {note}" for note in m["coverage_notes"]]  # type: ignore[attr-defined]
        lines += ["", "Attribution:"]
        lines += [f"  - {text}" for _, text in sorted(m["attribution"].items())]  # type: ignore[attr-defined]
        return "\n".join(lines)


def open_knowledge(path: Path | str | None = None) -> Knowledge:
    """Open and validate a knowledge file (default: the one bundled with pmviewer).

    Its identity is verified at every open (:mod:`.integrity`): the bundled file against the
    digest shipped with pmviewer, a chosen file's rows against its recorded checksum.

    Raises
    ------
    KnowledgeError
        The file is missing, not a pmviewer knowledge file, damaged, changed since it was
        built, or of a schema version this pmviewer does not understand.
    """
    return open_unverified(path, check_identity=True)


def open_unverified(path: Path | str | None = None, check_identity: bool = False) -> Knowledge:
    """:func:`open_knowledge` without the identity check (``kb verify`` makes its own, with a
    precise message per defect); never for annotation."""
    target = Path(path) if path is not None else bundled_knowledge_path()
    if not target.is_file():
        raise KnowledgeError(
            f"The knowledge file {target} was not found. Reinstall pmviewer, or choose "
            "another knowledge file in the settings."
        )
    damaged = (
        f"The knowledge file {target} is damaged or is not a pmviewer knowledge file. "
        "Choose another knowledge file, or reinstall pmviewer to restore the bundled one."
    )
    try:
        conn = sqlite3.connect(
            f"{target.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise KnowledgeError(damaged) from error
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            raise KnowledgeError(damaged)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        conn.close()
        raise KnowledgeError(damaged) from error
    except KnowledgeError:
        conn.close()
        raise
    version = meta.get("schema_version", "")
    if version != str(SCHEMA_VERSION):
        conn.close()
        raise KnowledgeError(
            f"The knowledge file {target} has format version {version or 'unknown'}, but this "
            f"pmviewer reads version {SCHEMA_VERSION}. Use a knowledge file built for this "
            "version of pmviewer (pmviewer kb build), or update pmviewer."
        )
    missing = [t for t in CORE_TABLES if t not in tables]
    if missing:
        conn.close()
        raise KnowledgeError(
            f"The knowledge file {target} is incomplete (missing: {', '.join(missing)}). "
            "Choose another knowledge file, or reinstall pmviewer to restore the bundled one."
        )
    try:  # identity: bytes against the shipped digest, or rows against the recorded checksum
        actual = integrity.file_sha256(target)
        if not check_identity:
            pass
        elif target.resolve() == bundled_knowledge_path().resolve():
            integrity.check_bundled(target, actual)
        else:
            integrity.check_content(target, conn, meta, actual)
    except BaseException:
        conn.close()
        raise
    knowledge = Knowledge(target, conn, meta)
    knowledge.file_sha256 = actual
    return knowledge
