"""Domain errors. Every message is written for a genetic counselor, not a programmer.

The UI shows ``str(error)`` and keeps the traceback under "Details"; the CLI prints
``pmviewer: error: <message>`` and exits 2.
"""

from __future__ import annotations


class PmviewerError(Exception):
    """Base class of every error a user may see. ``str(e)`` is the counselor-facing text."""


class Cancelled(PmviewerError):
    """The user cancelled a long operation. Presented silently."""

    def __init__(self, message: str = "The operation was cancelled.") -> None:
        super().__init__(message)


class InputFileError(PmviewerError):
    """The input file is missing, unreadable, malformed, truncated or of an unsupported kind."""


class SampleError(PmviewerError):
    """The requested sample is missing, or a multi-sample file needs a sample chosen."""

    def __init__(self, message: str, samples: list[str] | None = None) -> None:
        super().__init__(message)
        self.samples = list(samples or [])


class BuildError(PmviewerError):
    """The genome build is unknown or does not match what was asked for."""


class KnowledgeError(PmviewerError):
    """The knowledge file is missing, corrupt or incompatible with this version."""


class StorageError(PmviewerError):
    """A case or export could not be written (disk full, locked file, no permission)."""
