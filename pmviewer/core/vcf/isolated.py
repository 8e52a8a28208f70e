"""Read a VCF in a separate process, so that a crash of the native parser cannot take the caller
(the viewer window with its open case) down with it.

:func:`load` and :func:`inspect` have the signatures of :func:`pmviewer.core.vcf.load` and
:func:`~pmviewer.core.vcf.inspect`; :data:`ISOLATED` bundles them for
:func:`pmviewer.core.pipeline.analyse` (``vcf_io=``). The child runs the ordinary
in-process loader, whatever reader it uses. Tables come back as Arrow IPC files in a private
temporary folder (deleted at once); small values (header facts, counts, errors, progress) come
through a pipe. A child killed by a signal becomes an :class:`InputFileError` that says what
happened, in the counselor's words, after a text-only look at the file for the line at fault.

Children are forked from a clean "forkserver" process that has the VCF layer imported already
(a child then starts in milliseconds, and never inherits the window's threads); where that is
unavailable (Windows, frozen builds) a fresh interpreter is spawned.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pmviewer.core import errors as core_errors
from pmviewer.core import progress as prog
from pmviewer.core.errors import InputFileError, PmviewerError, SampleError
from pmviewer.core.model import VariantTable, VcfInfo
from pmviewer.core.progress import CancelToken, ProgressCallback

__all__ = ["ISOLATED", "IsolatedVcf", "call_isolated", "inspect", "load"]

_POLL = 0.1  # seconds between cancel checks while the child works
_context: Any = None


def _mp_context() -> Any:
    global _context
    if _context is None:
        frozen = getattr(sys, "frozen", False)
        if not frozen and "forkserver" in multiprocessing.get_all_start_methods():
            ctx: Any = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["pmviewer.core.vcf.isolated", "pmviewer.core.vcf"])
        else:
            ctx = multiprocessing.get_context("spawn")
        _context = ctx
    return _context


# -- the child ---------------------------------------------------------------------------
def _write_frame(frame: Any, target: Path) -> dict[str, Any]:
    """Write ``frame`` as an Arrow IPC file; returns its categorical columns' categories
    (an empty column's categories do not survive the round trip)."""
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return {
        str(c): frame[c].cat.categories
        for c in frame.columns
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
    }


def _read_frame(source: Path, categories: dict[str, Any]) -> Any:
    import pandas as pd
    import pyarrow as pa

    with open(source, "rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    table = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(mapped))).read_all()
    frame = table.to_pandas()
    del table
    if hasattr(mapped, "madvise"):  # the pages to_pandas copied stay mapped otherwise:
        mapped.madvise(mmap.MADV_DONTNEED)  # a genome's numbers held twice (0.33 GB)
    for column, cats in categories.items():
        if frame[column].dtype != pd.CategoricalDtype(cats):
            frame[column] = frame[column].astype(pd.CategoricalDtype(cats))
    return frame


def _pack(result: Any, folder: Path) -> Any:
    """A VariantTable's frames as Arrow files in ``folder``; its other fields are pickled."""
    import dataclasses

    import pandas as pd

    if isinstance(result, VariantTable):
        frames: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for f in dataclasses.fields(result):
            value = getattr(result, f.name)
            if isinstance(value, pd.DataFrame):
                frames[f.name] = _write_frame(value, folder / f"{f.name}.arrow")
            else:
                values[f.name] = value
        return ("table", values, frames)
    return ("value", result)


def _unpack(packed: Any, folder: Path) -> Any:
    if packed[0] == "table":
        _, values, frames = packed
        read = {n: _read_frame(folder / f"{n}.arrow", cats) for n, cats in frames.items()}
        return VariantTable(**values, **read)
    return packed[1]


class _ChildCancel(CancelToken):
    """The child stops when the parent asks (a "cancel" message) or goes away."""

    def __init__(self, conn: Connection) -> None:
        super().__init__()
        self._conn = conn

    def raise_if_cancelled(self) -> None:
        try:
            if self._conn.poll():
                self._conn.recv()
                self.cancel()
        except (EOFError, OSError):
            self.cancel()
        super().raise_if_cancelled()


def _child_main(
    conn: Connection, target: Callable[..., Any], kwargs: dict[str, Any], folder: str
) -> None:
    """Run ``target(**kwargs, progress=..., cancel=...)`` and send back what happened."""

    def progress(done: int, total: int) -> None:
        try:
            conn.send(("progress", int(done), int(total)))
        except (OSError, ValueError):
            pass

    try:
        result = target(progress=progress, cancel=_ChildCancel(conn), **kwargs)
        conn.send(("ok", _pack(result, Path(folder))))
    except PmviewerError as e:
        samples = e.samples if isinstance(e, SampleError) else None
        conn.send(("error", type(e).__name__, str(e), samples, traceback.format_exc()))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which explains it
        conn.send(("internal", type(e).__name__, str(e), None, traceback.format_exc()))
    finally:
        conn.close()


def _load_target(nice: int = 0, **kwargs: Any) -> VariantTable:
    from pmviewer.core.vcf import load as load_in_process

    if nice > 0 and hasattr(os, "nice"):
        os.nice(nice)  # a background read: work the caller waits for gets the CPU first
    return load_in_process(**kwargs)


def _inspect_target(path: str, progress: Any = None, cancel: Any = None) -> VcfInfo:
    from pmviewer.core.vcf import inspect as inspect_in_process

    return inspect_in_process(path)


# -- the parent --------------------------------------------------------------------------
def _raise_child_error(message: tuple[Any, ...]) -> None:
    kind, name, text, samples, details = message
    cls = getattr(core_errors, name, None) if kind == "error" else None
    if isinstance(cls, type) and issubclass(cls, PmviewerError):
        error: PmviewerError = cls(text, samples) if issubclass(cls, SampleError) else cls(text)
    else:
        error = InputFileError(
            "pmviewer could not read the file because of an internal problem in its reader "
            f"({name}). Nothing in your open case was changed. Please send the details below "
            "to your IT team."
        )
    error.details = details  # type: ignore[attr-defined]
    raise error


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def call_isolated(
    target: Callable[..., Any],
    kwargs: dict[str, Any],
    *,
    crash_message: Callable[[str], str],
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Any:
    """``target(**kwargs, progress=, cancel=)`` in a child process; its result, or its error.

    ``target`` must be a module-level function. A child that dies from a signal, or exits
    without an answer, raises :class:`InputFileError` with ``crash_message(signal name)``.
    """
    prog.check(cancel)
    ctx = _mp_context()
    folder = tempfile.mkdtemp(prefix="pmviewer-read-")  # 0700: holds patient data briefly
    parent_conn, child_conn = ctx.Pipe(duplex=True)
    child = ctx.Process(target=_child_main, args=(child_conn, target, kwargs, folder), daemon=True)
    try:
        child.start()
        child_conn.close()
        answer: tuple[Any, ...] | None = None
        while answer is None:
            if cancel is not None and cancel.cancelled:
                _stop(child, parent_conn)
                raise core_errors.Cancelled()
            try:
                ready = parent_conn.poll(_POLL)
            except (EOFError, OSError):
                ready = False
            if ready:
                try:
                    message = parent_conn.recv()
                except (EOFError, OSError, pickle.UnpicklingError):
                    break  # the child died mid-message or before answering
                if message[0] == "progress":
                    if progress is not None:
                        progress(message[1], message[2])
                    continue
                answer = message
            elif not child.is_alive():
                # a last message may still be in the pipe
                if not parent_conn.poll(0):
                    break
        child.join(timeout=5)
        if answer is None:
            code = child.exitcode if child.exitcode is not None else 0
            if code < 0:  # killed by a signal: a native crash while reading this file
                raise InputFileError(crash_message(_signal_name(code)))
            raise InputFileError(
                "pmviewer could not start its file reader (it stopped with code "
                f"{code} before reading). Nothing in your open case was changed. Close and "
                "reopen pmviewer; if this happens again, tell your IT team."
            )
        if answer[0] == "ok":
            return _unpack(answer[1], Path(folder))
        _raise_child_error(answer)
    finally:
        if child.is_alive():
            _stop(child, parent_conn)
        parent_conn.close()
        shutil.rmtree(folder, ignore_errors=True)


def _stop(child: Any, conn: Connection) -> None:
    try:
        conn.send(("cancel",))
    except (OSError, ValueError):
        pass
    child.join(timeout=0.5)
    if child.is_alive():
        child.kill()
        child.join(timeout=5)


def _crash_text(path: str | os.PathLike[str]) -> Callable[[str], str]:
    def message(how: str) -> str:
        from pmviewer.core.vcf.validate import find_bad_line

        name = Path(path).name
        found = find_bad_line(Path(path))
        where = f" {found}" if found else ""
        return (
            f"The VCF reader stopped on damaged content in {name} ({how}).{where} Nothing in "
            "your open case was changed. Ask the lab to check the file (for example with "
            "'bcftools view') and send a corrected file."
        )

    return message


def load(
    path: str | os.PathLike[str],
    sample: str | None = None,
    regions: list[tuple[str, int, int]] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    nice: int = 0,
    **options: Any,
) -> VariantTable:
    """:func:`pmviewer.core.vcf.load` in a child process (same arguments, result, errors);
    ``nice`` > 0 lowers the child's CPU priority by that much."""
    result: VariantTable = call_isolated(
        _load_target,
        {"path": str(path), "sample": sample, "regions": regions, "nice": nice, **options},
        crash_message=_crash_text(path),
        progress=progress,
        cancel=cancel,
    )
    return result


def inspect(path: str | os.PathLike[str]) -> VcfInfo:
    """:func:`pmviewer.core.vcf.inspect` in a child process."""
    result: VcfInfo = call_isolated(
        _inspect_target, {"path": str(path)}, crash_message=_crash_text(path)
    )
    return result


def warm_up() -> None:
    """Start the clean process children fork from now (it imports the VCF layer once, on
    another core), so the first file opened does not wait for it. Nothing to do where
    children are spawned."""
    if _mp_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


@dataclass(frozen=True)
class IsolatedVcf:
    """The VCF functions the pipeline uses, each run in a child process."""

    inspect: Callable[..., VcfInfo] = inspect
    load: Callable[..., VariantTable] = load
    warm_up: Callable[[], None] = warm_up


ISOLATED = IsolatedVcf()
