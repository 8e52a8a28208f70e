import errno
import os

import pytest

from pmviewer.core.errors import StorageError
from pmviewer.core.safe_write import write_atomic


def test_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "report ü & <x>.json"
    target.write_text("old")
    write_atomic(target, "nouveau contenu – ü".encode())
    assert target.read_text(encoding="utf-8") == "nouveau contenu – ü"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary left behind


def test_missing_folder_gives_a_clear_message(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "out.json", b"x")


def test_full_disk_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("earlier version")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        write_atomic(target, b"new")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_text() == "earlier version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_target_inside_a_file_is_refused_clearly(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("")
    with pytest.raises(StorageError):
        write_atomic(blocker / "out.json", b"x")
