"""Failures to save become StorageError with counselor words, and lose nothing saved before;
a process killed mid-review loses no committed decision."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from pmviewer.core.errors import StorageError
from pmviewer.core.review.errors import storage_error
from pmviewer.core.review.store import CaseLocked, ReviewStore

SHA = hashlib.sha256(b"#CHROM\tPOS\n").hexdigest()
BRCA2 = "GRCh38:13:32379416:ATGGAATC:A"
TTN = "GRCh38:2:178632635:CT:C"


def open_case(store: ReviewStore):
    return store.open_case(SHA, "NA12878", "patient.vcf", "GRCh38", "kb-1")


def test_locked_store_gives_a_clear_error_and_keeps_earlier_decisions():
    with ReviewStore(busy_timeout_ms=100) as store:
        case = open_case(store)
        case.set_decision(BRCA2, "include")
        other = sqlite3.connect(store.path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            with pytest.raises(StorageError) as caught:
                case.set_decision(TTN, "exclude")
            assert caught.value.kind == "locked"
            message = str(caught.value)
            assert "in use by another pmviewer window" in message
            assert "your earlier decisions are safe" in message
            # reading still works while another program holds the write lock (WAL)
            assert case.decision(BRCA2).decision == "include"
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert case.set_decision(TTN, "exclude")  # works once the other side lets go
        assert {k: d.decision for k, d in case.decisions().items()} == {
            BRCA2: "include",
            TTN: "exclude",
        }
        assert [r.new for r in case.audit_log() if r.field == "decision"] == [
            "include",
            "exclude",
        ]


def test_full_disk_is_reported_and_the_failed_change_rolls_back():
    with ReviewStore() as store:
        case = open_case(store)
        case.set_decision(BRCA2, "include")
        audit_rows = len(case.audit_log())
        conn = store.connection
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full"
        with pytest.raises(StorageError) as caught:
            case.set_comment(BRCA2, "long note " * 2000)
        assert caught.value.kind == "disk_full"
        assert str(caught.value).startswith(
            "pmviewer could not save your change because the disk is full. Free some space"
        )
        assert case.decision(BRCA2).comment == ""
        assert len(case.audit_log()) == audit_rows
        conn.execute("PRAGMA max_page_count = 1073741823")
        assert case.set_comment(BRCA2, "short")
        assert case.decision(BRCA2).decision == "include"


def test_case_folder_that_cannot_exist_is_a_read_only_error(tmp_path, monkeypatch):
    # A folder below a regular file can never be created, even by root.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PMVIEWER_HOME", str(blocker / "home"))
    with pytest.raises(StorageError) as caught:
        ReviewStore()
    assert caught.value.kind == "read_only"
    assert "cannot be written to" in str(caught.value)
    with pytest.raises(StorageError, match="cannot be written to"):
        ReviewStore(blocker / "cases" / "store.sqlite")


def _try_to_save(folder: Path) -> str:
    """Another decision in a store this account may read but not write."""
    try:
        with ReviewStore(folder / "store.sqlite") as store:
            open_case(store).set_decision(TTN, "include")
    except StorageError as error:
        return error.kind
    return "saved"


def _as_nobody(run, folder: Path) -> str:
    """``run(folder)`` in a forked child that has dropped root for 'nobody'; the result
    comes back through a pipe. No exec, so the interpreter under /root stays reachable."""
    nobody = 65534
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            os.environ["PMVIEWER_HOME"] = str(folder.parent / "home")
            os.setgroups([])
            os.setgid(nobody)
            os.setuid(nobody)
            result = run(folder)
        except BaseException as error:  # noqa: BLE001 - reported to the parent as text
            result = f"failed: {error!r}"
        os.write(write_end, result.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        result = pipe.read().decode()
    os.waitpid(pid, 0)
    return result


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs a folder owned by another account: runs as root (CI), dropping to 'nobody'",
)
def test_read_only_folder_is_reported():
    # The store belongs to root, readable by all; 'nobody' may read it but not write it.
    # A folder of its own under /tmp: pytest's base temp folder is closed to other users.
    base = Path(tempfile.mkdtemp(prefix="pmviewer-read-only-"))
    try:
        base.chmod(0o755)
        folder = base / "cases"
        with ReviewStore(folder / "store.sqlite") as store:
            open_case(store).set_decision(BRCA2, "include")
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
        home = base / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        kind = _as_nobody(_try_to_save, folder)
        with ReviewStore(folder / "store.sqlite") as store:  # the earlier decision is intact
            assert open_case(store).decisions()[BRCA2].decision == "include"
    finally:
        shutil.rmtree(base)
    assert kind in ("read_only", "io")


def test_os_errors_are_translated():
    full = storage_error(OSError(errno.ENOSPC, "No space left on device"), "export the review", "x")
    assert full.kind == "disk_full" and "export the review because the disk is full" in str(full)
    denied = storage_error(PermissionError(errno.EACCES, "denied"), "save your change", "/f")
    assert denied.kind == "read_only" and "(/f)" in str(denied)


def test_damaged_store_file_is_reported_not_overwritten(tmp_path):
    path = tmp_path / "cases" / "store.sqlite"
    path.parent.mkdir()
    garbage = b"this is not a database file" * 200
    path.write_bytes(garbage)
    with pytest.raises(StorageError) as caught:
        ReviewStore(path)
    assert caught.value.kind == "corrupt" and "Do not delete it" in str(caught.value)
    assert path.read_bytes() == garbage


CHILD = textwrap.dedent(
    """
    import sys
    from pmviewer.core.review.store import ReviewStore

    store = ReviewStore()
    case = store.open_case(sys.argv[1], "NA12878", "patient.vcf", "GRCh38", "kb-1")
    print("ready", flush=True)
    for i in range(1_000_000):
        fid = f"GRCh38:1:{1000 + i}:A:G"
        case.set_decision(fid, "include" if i % 2 == 0 else "exclude")
        case.set_comment(fid, f"note {i} <&> ü")
        print(f"committed {i}", flush=True)
    """
)


@pytest.mark.slow
def test_kill_9_mid_review_loses_no_committed_decision():
    enough = 40  # commits reported before the kill
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, SHA],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    reported = -1
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.strip() == "ready", child.stderr.read() if child.stderr else first
        while reported < enough:
            line = child.stdout.readline()
            assert line, "child stopped early"
            reported = int(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # lines the child wrote after our last read may still be in the pipe: count them too
    for line in child.stdout:
        if line.startswith("committed"):
            reported = int(line.split()[1])

    with ReviewStore() as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        case = open_case(store)
        decisions = case.decisions()
        audit = case.audit_log()
    for i in range(reported + 1):
        d = decisions[f"GRCh38:1:{1000 + i}:A:G"]
        assert d.decision == ("include" if i % 2 == 0 else "exclude"), i
        assert d.comment == f"note {i} <&> ü", i
    # whatever committed after the last report is whole: each saved decision has its audit row
    decided = {r.finding_id for r in audit if r.field == "decision"}
    assert decided == set(decisions)
    assert len(decisions) in (reported + 1, reported + 2)


def test_two_windows_on_one_case_see_each_others_lock():
    with ReviewStore() as window_a, ReviewStore() as window_b:
        a, b = open_case(window_a), open_case(window_b)
        assert a.case_id == b.case_id
        a.set_decision(BRCA2, "include")
        assert b.decision(BRCA2).decision == "include"  # read afresh, not cached
        a.sign_review("Ana Reviewer", "MS")
        a.approve("Ben Director", "PhD")
        with pytest.raises(CaseLocked):
            b.set_decision(BRCA2, "exclude")  # checked against the file, not window b's view
        assert a.decision(BRCA2).decision == "include"


def test_a_store_from_a_newer_pmviewer_is_left_alone(tmp_path):
    path = tmp_path / "cases" / "store.sqlite"
    with ReviewStore(path) as store:
        open_case(store).set_decision(BRCA2, "include")
        store.connection.execute("PRAGMA user_version = 99")
    with pytest.raises(StorageError, match="newer version of pmviewer"):
        ReviewStore(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1
