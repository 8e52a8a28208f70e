"""A damaged case store is found at open, said exactly, and the last good backup is offered."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from pmviewer.core.review import CaseStoreDamaged, ReviewStore, backups_of, restore_backup

SHA = hashlib.sha256(b"patient").hexdigest()


def _fill(path, decisions=300):
    store = ReviewStore(path)
    case = store.open_case(SHA, "NA12878", "patient.vcf", "GRCh38", "kb-1")
    for i in range(decisions):
        case.set_decision(f"GRCh38:1:{1000 + i}:A:G", "include")
        case.set_comment(f"GRCh38:1:{1000 + i}:A:G", f"reviewed with the family, note {i}")
    store.close()
    ReviewStore(path).close()  # a later open takes the backup of the good store


def _decisions(path) -> int:
    store = ReviewStore(path)
    try:
        case = store.open_case(SHA, "NA12878", "patient.vcf", "GRCh38", "kb-1")
        return sum(1 for d in case.decisions().values() if d.decision == "include")
    finally:
        store.close()


def _page_size(path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "cases" / "store.sqlite"
    _fill(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all pages in the main file
    conn.close()
    return path


def _damage(path, how):
    data = bytearray(path.read_bytes())
    size = _page_size(path)
    if how == "empty":
        data = bytearray()
    elif how == "flipped byte":
        data[size * 2] ^= 0xFF  # the page-type byte of a b-tree page
    elif how == "zeroed page":
        data[size * 2 : size * 3] = bytes(size)
    elif how == "flipped header":
        data[0] ^= 0x01  # "SQLite format 3": no longer a database
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("how", ["empty", "flipped byte", "zeroed page", "flipped header"])
def test_damage_is_refused_with_its_cause_and_the_backup_restores_every_decision(store_path, how):
    assert _decisions(store_path) == 300
    damaged = _damage(store_path, how)
    with pytest.raises(CaseStoreDamaged) as caught:
        ReviewStore(store_path)
    error = caught.value
    text = str(error)
    assert "is damaged" in text and "did not start an empty one" in text
    assert "last good backup is from" in text and "1 case" in text
    if how == "empty":
        assert "empty (0 bytes)" in text
    assert "writing to the disk" not in text and "are safe" not in text
    assert store_path.read_bytes() == damaged  # untouched, not re-created empty
    with pytest.raises(CaseStoreDamaged):
        ReviewStore(store_path)  # and still refused on the next try
    kept = restore_backup(store_path, error.backups[0])
    assert kept is not None and kept.read_bytes() == damaged  # kept for IT support
    assert _decisions(store_path) == 300


def test_backups_rotate_and_are_private(tmp_path):
    path = tmp_path / "cases" / "store.sqlite"
    _fill(path, decisions=3)
    for _ in range(8):
        ReviewStore(path).close()
    backups = backups_of(path)
    assert len(backups) == 5 and all(b.cases == 1 for b in backups)
    assert all(b.path.stat().st_mode & 0o777 == 0o600 for b in backups)
    assert (path.parent / "backups").stat().st_mode & 0o777 == 0o700


def test_a_damaged_store_without_backup_says_so_and_a_new_one_is_chosen_explicitly(tmp_path):
    path = tmp_path / "cases" / "store.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"")
    with pytest.raises(CaseStoreDamaged, match="There is no backup") as caught:
        ReviewStore(path)
    assert caught.value.backups == []
    restore_backup(path, None)  # the counselor chose to start a new case file
    ReviewStore(path).close()
    assert list(path.parent.glob("store.sqlite.damaged-*"))
