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


def test_a_read_only_file_is_refused_and_left_unchanged(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"signed report")
    target.chmod(0o444)
    with pytest.raises(StorageError, match="read-only"):
        write_atomic(target, b"new")  # also as root, who could write it
    assert target.read_bytes() == b"signed report"
    assert oct(target.stat().st_mode & 0o777) == oct(0o444)


def test_a_device_or_folder_is_never_replaced_by_a_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link-to-pipe.pdf"
    link.symlink_to(fifo)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    for target in (fifo, link, folder):
        with pytest.raises(StorageError, match="not an ordinary file"):
            write_atomic(target, b"x")
    import stat

    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and link.is_symlink() and folder.is_dir()


def test_replacing_keeps_the_original_permissions_and_links(tmp_path):
    target = tmp_path / "shared.json"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    write_atomic(link, b"newer")
    assert link.is_symlink() and target.read_bytes() == b"newer"
    fresh = tmp_path / "fresh.json"
    write_atomic(fresh, b"x")
    assert fresh.stat().st_mode & 0o777 == 0o600  # a new report is private to its author
