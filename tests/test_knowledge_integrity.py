"""Every open verifies the knowledge file; reports carry the SHA-256 computed from its bytes."""

from __future__ import annotations

import hashlib
import shutil
import time

import pytest
from bundled import require_bundled
from knowledge_edits import flip_bytes, run_sql

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.knowledge import open_knowledge
from pmviewer.core.knowledge.integrity import digest_path
from pmviewer.core.resources import bundled_knowledge_path


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bundled_file_matches_the_digest_shipped_with_the_package():
    bundled = bundled_knowledge_path()
    shipped = digest_path(bundled).read_text(encoding="ascii").split()[0]
    assert shipped == _sha(bundled)
    with open_knowledge() as kb:
        assert kb.metadata()["file_sha256"] == shipped


def test_a_changed_bundled_file_is_refused(tmp_path, monkeypatch):
    from pmviewer.core.knowledge import reader

    fake_bundle = tmp_path / "pmviewer-knowledge.sqlite"
    shutil.copyfile(bundled_knowledge_path(), fake_bundle)
    shutil.copyfile(digest_path(bundled_knowledge_path()), digest_path(fake_bundle))
    monkeypatch.setattr(reader, "bundled_knowledge_path", lambda: fake_bundle)
    open_knowledge(fake_bundle).close()
    data = bytearray(fake_bundle.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit, deep in the data
    fake_bundle.write_bytes(bytes(data))
    with pytest.raises(KnowledgeError, match="bundled knowledge file has been changed"):
        open_knowledge(fake_bundle)
    digest_path(fake_bundle).unlink()
    with pytest.raises(KnowledgeError, match="Reinstall pmviewer"):
        open_knowledge(fake_bundle)


def test_a_chosen_file_with_one_clinvar_row_deleted_is_refused(knowledge_copy):
    run_sql(knowledge_copy, "DELETE FROM clinvar WHERE rowid = (SELECT min(rowid) FROM clinvar)")
    with pytest.raises(KnowledgeError, match="has been changed since it was built"):
        open_knowledge(knowledge_copy)


def test_a_chosen_file_with_flipped_bytes_is_refused_with_a_message(knowledge_copy):
    flip_bytes(knowledge_copy, knowledge_copy.stat().st_size // 3)
    with pytest.raises(KnowledgeError) as caught:
        open_knowledge(knowledge_copy)
    assert "chosen.sqlite" in str(caught.value)  # the message names the file the user chose


def test_a_good_chosen_file_opens_within_budget_and_reports_its_real_digest(knowledge_copy):
    started = time.perf_counter()
    with open_knowledge(knowledge_copy) as kb:
        first = time.perf_counter() - started
        assert kb.metadata()["file_sha256"] == _sha(knowledge_copy)
    print(f"first open of a chosen file: {first:.2f} s")  # the figure, not an assert
    with open_knowledge(knowledge_copy) as kb:  # remembered by byte digest: only the hash again
        assert kb.file_sha256 == _sha(knowledge_copy)


def test_every_report_format_prints_the_computed_digest(knowledge_copy, tmp_path):
    from pmviewer.cli import main
    from pmviewer.core.resources import demo_vcf_path

    demo = demo_vcf_path()
    require_bundled(demo, "the bundled demo patient")
    real = _sha(knowledge_copy)
    out_json, out_tsv = tmp_path / "f.json", tmp_path / "f.tsv"
    common = ["annotate", str(demo), "--knowledge", str(knowledge_copy), "--build", "GRCh38"]
    assert main([*common, "--format", "json", "-o", str(out_json)]) == 0
    assert main([*common, "--format", "tsv", "-o", str(out_tsv)]) == 0
    import json

    assert json.loads(out_json.read_text())["knowledge"]["file_sha256"] == real
    assert f"(sha256 {real})" in out_tsv.read_text().splitlines()[0]
