"""Reading the bundled knowledge file, and refusing damaged or incompatible ones."""

from __future__ import annotations

import json
import sqlite3

import pytest
from bundled import require_bundled
from knowledge_edits import flip_bytes, run_sql

from pmviewer.cli import main
from pmviewer.core.errors import KnowledgeError
from pmviewer.core.knowledge.build.schema import CORE_TABLES, SCHEMA_VERSION
from pmviewer.core.knowledge.build.verify import verify_file
from pmviewer.core.knowledge.reader import VARIANT_COLUMNS, open_knowledge
from pmviewer.core.resources import bundled_knowledge_path


def test_bundled_file_is_small_and_opens(kb):
    assert bundled_knowledge_path().stat().st_size < 50 * 1024 * 1024
    meta = kb.metadata()
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["version"] and meta["build_date"] and meta["software_version"]
    assert meta["gene_count"] == len(meta["acmg_sf_genes"]) == 84
    assert meta["coverage_notes"]
    assert json.dumps(meta)  # plain data, JSON-able


def test_bundled_file_passes_verify():
    summary = verify_file(bundled_knowledge_path())
    assert summary["records"] > 50000


def test_variants_in_matches_exact_keys_only(kb):
    row = kb.connection.execute(
        "SELECT g38_chrom, g38_pos, g38_ref, g38_alt, variation_id FROM clinvar "
        "WHERE length(g38_ref) = 1 AND length(g38_alt) = 1 AND g37_pos IS NOT NULL LIMIT 1"
    ).fetchone()
    chrom, pos, ref, alt, variation_id = row
    other = "A" if alt != "A" else "C"
    hits = kb.variants_in("GRCh38", [(f"chr{chrom}", pos, ref, alt), (chrom, pos, ref, other)])
    assert list(hits.columns) == list(VARIANT_COLUMNS)
    assert list(hits["variation_id"]) == [variation_id]
    assert kb.variants_in("GRCh38", []).empty
    assert list(kb.variants_in("grch38", [(chrom, pos, ref, alt)])["build"]) == ["GRCh38"]


def test_unknown_build_is_refused(kb):
    with pytest.raises(KnowledgeError, match="GRCh38 and GRCh37"):
        kb.gene_regions("hg18")


def test_gene_regions_list_acmg_genes_before_pharmacogenes(kb):
    genes = kb.genes().set_index("gene")
    regions = kb.gene_regions("GRCh38")
    panels = ["acmg_sf" in genes.loc[g, "panel"] for _, _, _, g in regions]
    assert panels == sorted(panels, reverse=True)
    assert all(start <= end for _, start, end, _ in regions)
    assert all(not chrom.startswith("chr") for chrom, _, _, _ in regions)


def test_genes_frame_has_what_the_rule_engine_needs(kb):
    genes = kb.genes()
    for column in ("gene", "panel", "report_rule", "inheritance", "conditions", "lof_mechanism",
                   "truncating_fraction", "clingen_classification", "mane_select_refseq"):  # fmt: skip
        assert column in genes.columns
    acmg = genes[genes["panel"].str.contains("acmg_sf")]
    assert acmg["report_rule"].notna().all() and (acmg["report_rule"] != "").all()


def test_missing_file_raises(tmp_path):
    with pytest.raises(KnowledgeError, match="was not found"):
        open_knowledge(tmp_path / "absent.sqlite")


def test_non_sqlite_file_raises(tmp_path):
    path = tmp_path / "not-a-db.sqlite"
    path.write_text("##fileformat=VCFv4.2\n" * 200)
    with pytest.raises(KnowledgeError, match="damaged or is not a pmviewer knowledge file"):
        open_knowledge(path)


def test_other_sqlite_file_raises(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(KnowledgeError, match="not a pmviewer knowledge file"):
        open_knowledge(path)


def test_incompatible_schema_version_raises(knowledge_copy):
    run_sql(knowledge_copy, "UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(KnowledgeError, match="format version 999"):
        open_knowledge(knowledge_copy)


def test_dropped_table_is_refused(knowledge_copy):
    run_sql(knowledge_copy, "DROP VIEW clinvar_records", "DROP TABLE clinvar")
    assert "clinvar" in CORE_TABLES
    with pytest.raises(KnowledgeError, match="incomplete.*clinvar"):
        open_knowledge(knowledge_copy)
    with pytest.raises(KnowledgeError):
        verify_file(knowledge_copy)


def test_damage_found_while_reading_is_said_in_words(knowledge_copy):
    run_sql(knowledge_copy, "ALTER TABLE civic_variants DROP COLUMN variant")
    with pytest.raises(KnowledgeError, match="changed since it was built"):
        open_knowledge(
            knowledge_copy
        )  # refused at open now; the reader still guards what it reads:
    from pmviewer.core.knowledge.reader import open_unverified

    knowledge = open_unverified(knowledge_copy)
    with pytest.raises(KnowledgeError, match="may be damaged") as caught:
        knowledge.civic_for("GRCh38")
    knowledge.close()
    assert "no such column" not in str(caught.value) and "OperationalError" not in str(caught.value)


def test_verify_names_a_missing_pharmacogenomics_table(knowledge_copy):
    conn = sqlite3.connect(knowledge_copy)
    recorded = json.loads(
        conn.execute("SELECT value FROM meta WHERE key = 'pgx_tables'").fetchone()[0]
    )
    require_bundled(bool(recorded), "the knowledge file's pharmacogenomics tables")
    with conn:
        conn.execute(f'DROP TABLE "{recorded[-1]}"')
    conn.close()
    with pytest.raises(KnowledgeError, match=f"pharmacogenomics tables {recorded[-1]}"):
        verify_file(knowledge_copy)


def test_verify_rejects_deleted_rows(knowledge_copy):
    run_sql(
        knowledge_copy,
        "DELETE FROM civic_evidence WHERE evidence_id IN (SELECT evidence_id FROM civic_evidence LIMIT 3)",
    )
    with pytest.raises(KnowledgeError, match="civic_evidence' has"):
        verify_file(knowledge_copy)


def test_verify_rejects_changed_content(knowledge_copy):
    run_sql(knowledge_copy, "UPDATE clinvar SET stars = 4 WHERE record_id = 1")
    with pytest.raises(KnowledgeError, match="changed since it was built"):
        open_knowledge(knowledge_copy)  # every open checks the content checksum
    with pytest.raises(KnowledgeError, match="does not match its checksum"):
        verify_file(knowledge_copy)


def test_verify_rejects_flipped_bytes(knowledge_copy):
    flip_bytes(knowledge_copy, knowledge_copy.stat().st_size // 2)
    with pytest.raises(KnowledgeError, match="damaged"):
        verify_file(knowledge_copy)


def test_cli_verify_reports_damage_and_success(knowledge_copy, capsys):
    assert main(["kb", "verify", str(knowledge_copy)]) == 0
    assert "OK" in capsys.readouterr().out
    data = bytearray(knowledge_copy.read_bytes())
    data[100:4096] = b"\0" * (4096 - 100)  # wipe most of the first page (the schema)
    knowledge_copy.write_bytes(bytes(data))
    assert main(["kb", "verify", str(knowledge_copy)]) == 2
    assert "damaged" in capsys.readouterr().err


def test_cli_info_json_and_text(capsys):
    assert main(["kb", "info", "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["counts"]["clinvar"] > 50000
    assert main(["kb", "info"]) == 0
    text = capsys.readouterr().out
    assert "Knowledge version" in text and "does not cover" in text and "ClinVar" in text
