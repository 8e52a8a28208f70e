"""A head start for the file opened at start-up (the demo patient, or a VCF named on the
command line): its analysis begins as soon as the analysis modules are imported, on a thread
of its own, while the window still imports and builds its review page. The window's analysis
worker then takes that result instead of analysing the file a second time.

When the window started a second interpreter for that file
(:mod:`pmviewer.ui.analysis_process`, when asked for), the head start waits
for its result instead, and analyses here only if it brings none.

The head start is used only by a call with the same job and the same arguments; any other
first call cancels it and runs as usual. No Qt here beyond what the job itself imports.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from pmviewer.core.progress import CancelToken, ProgressCallback

log = logging.getLogger(__name__)

_WAIT = 0.05  # seconds between cancel checks of the worker waiting for the head start


class _RunHere(Exception):
    """No result from elsewhere: the job runs on the head start's thread."""


class HeadStart:
    """``job(*args, **kwargs)`` running on its own thread; :meth:`wait` hands its result
    (or its error) to one caller, forwarding its latest progress meanwhile."""

    def __init__(
        self, job: Callable[..., Any], args: tuple, kwargs: dict[str, Any], remote=None
    ) -> None:
        self.job, self.args, self.kwargs = job, args, kwargs
        self.remote = remote  # an AnalysisProcess already analysing the file, if any
        self.cancel_token = CancelToken()
        self._done = threading.Event()
        self._result: Any = None
        self._error: BaseException | None = None
        self._progress: tuple[int, int] | None = None
        self._thread = threading.Thread(target=self._run, name="head-start", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        def progress(done: int, total: int) -> None:
            self._progress = (done, total)

        try:
            try:
                self._result = self._remote_result(progress)
            except _RunHere:
                self._result = self.job(
                    *self.args, progress=progress, cancel=self.cancel_token, **self.kwargs
                )
        except BaseException as error:  # noqa: BLE001 - handed to the worker that waits
            self._error = error
        finally:
            self._done.set()

    def _remote_result(self, progress: ProgressCallback) -> Any:
        """The analysis process's result (:mod:`pmviewer.ui.analysis_process`), if any."""
        if self.remote is None:
            raise _RunHere
        from pmviewer.ui.analysis_process import NoResult

        try:
            result = self.remote.wait(self.job, self.args, self.kwargs, progress, self.cancel_token)
        except NoResult as why:
            log.info("the analysis process gave no result (%s): analysed here", why)
            raise _RunHere from None
        log.info("the analysis process's result is used")
        return result

    def matches(self, job: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> bool:
        try:
            return job is self.job and args == self.args and kwargs == self.kwargs
        except Exception:  # noqa: BLE001 - arguments that cannot be compared: no match
            return False

    def wait(self, progress: ProgressCallback | None, cancel: CancelToken | None) -> Any:
        """The job's result (its error raised), once it finished; a cancelled ``cancel``
        stops the head start too."""
        shown = None
        while not self._done.wait(_WAIT):
            if cancel is not None and cancel.cancelled:
                self.cancel_token.cancel()
                cancel.raise_if_cancelled()
            if progress is not None and self._progress is not None and self._progress != shown:
                shown = self._progress
                progress(*shown)
        if self._error is not None:
            raise self._error
        return self._result


_lock = threading.Lock()
_pending: HeadStart | None = None


def begin(job: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Start ``job(*args, **kwargs)`` now, for the first :func:`or_run` call that asks for it."""
    global _pending
    from pmviewer.ui import analysis_process

    remote = analysis_process.take(args[0]) if args and isinstance(args[0], str) else None
    head = HeadStart(job, args, kwargs, remote)
    with _lock:
        previous, _pending = _pending, head
    if previous is not None:
        previous.cancel_token.cancel()
    head.start()


def _take() -> HeadStart | None:
    global _pending
    with _lock:
        head, _pending = _pending, None
    return head


def or_run(job: Callable[..., Any]) -> Callable[..., Any]:
    """``job`` as a worker runs it: the head start's result when one analyses the same
    arguments, else ``job`` itself (a head start for other arguments is cancelled)."""

    def run(*args: Any, progress=None, cancel=None, **kwargs: Any) -> Any:
        head = _take()
        if head is not None:
            if head.matches(job, args, kwargs):
                log.info("the first analysis was started early: its result is used")
                return head.wait(progress, cancel)
            head.cancel_token.cancel()
        return job(*args, progress=progress, cancel=cancel, **kwargs)

    run.__name__ = getattr(job, "__name__", "job")
    return run
