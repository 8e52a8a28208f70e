"""htslib's own messages (``[E::vcf_parse] ...``, ``[W::vcf_parse] ...``), kept off the terminal
and translated into sentences a counselor can act on.

htslib writes straight to file descriptor 2, below Python, so :func:`capture_htslib_log`
points that descriptor at a private temporary file while records are read and hands the lines
back; anything that is not an htslib line is written through to the real stderr unchanged.
Nested or concurrent captures share one redirection (the last to leave restores it).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LINE = re.compile(r"^\[([EWI])::([\w.]+)\]\s*(.*)$")
_lock = threading.Lock()
_depth = 0
_saved_fd: int | None = None
_sink: object = None
_sink_offset = 0
_MAX_NOTES = 8
_CONTINUATIONS = ("The offending line was", "The offending record was")


class HtslibLog:
    """The htslib lines seen during one capture."""

    def __init__(self) -> None:
        self.lines: list[str] = []


def _drain(log: HtslibLog, keep_other: bool) -> None:
    """Move new text of the sink into ``log`` (htslib lines) or the real stderr (the rest)."""
    global _sink_offset
    sink = _sink
    if sink is None:
        return
    sink.seek(_sink_offset)  # type: ignore[attr-defined]
    data = sink.read()  # type: ignore[attr-defined]
    _sink_offset += len(data)
    other: list[bytes] = []
    for raw in data.splitlines(keepends=True):
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if _LINE.match(text):
            log.lines.append(text)
        elif text.startswith(_CONTINUATIONS) and log.lines:
            log.lines[-1] += " " + text  # htslib's second line ("The offending line was: …")
        elif keep_other:
            other.append(raw)
    if other and _saved_fd is not None:
        try:
            os.write(_saved_fd, b"".join(other))
        except OSError:
            pass


@contextmanager
def capture_htslib_log() -> Iterator[HtslibLog]:
    """Collect htslib's stderr lines for the duration of the block."""
    global _depth, _saved_fd, _sink, _sink_offset
    log = HtslibLog()
    with _lock:
        if _depth == 0:
            try:
                sys.stderr.flush()
            except (AttributeError, OSError, ValueError):
                pass
            try:
                _sink = tempfile.TemporaryFile()
                _sink_offset = 0
                _saved_fd = os.dup(2)
                os.dup2(_sink.fileno(), 2)
            except OSError:  # no stderr at all (frozen app): nothing to capture
                _sink, _saved_fd = None, None
        _depth += 1
    try:
        yield log
    finally:
        with _lock:
            _drain(log, keep_other=True)
            _depth -= 1
            if _depth == 0 and _saved_fd is not None:
                os.dup2(_saved_fd, 2)
                os.close(_saved_fd)
                _saved_fd = None
                _sink.close()  # type: ignore[attr-defined]
                _sink = None


_TRANSLATIONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"Contig '([^']*)' is not defined in the header"),
        "Chromosome {0} is used by variants but not declared in the file's header; its "
        "variants were read normally.",
    ),
    (
        re.compile(r"(INFO|FORMAT) '([^']*)' is not defined in the header"),
        "The {0} field {1} is not declared in the file's header; its values were read as text.",
    ),
    (
        re.compile(r"FILTER '([^']*)' is not defined in the header"),
        "The filter code {0} is not declared in the file's header.",
    ),
    (
        re.compile(r"Could not parse the position '([^']*)'"),
        "A variant has the position '{0}', which is not a valid position.",
    ),
    (
        re.compile(r"Couldn't read GT data: value not a number or '\.' at (\S+)"),
        "The genotype of the variant at {0} is not written as allele numbers (such as 0/1).",
    ),
    (
        re.compile(r"[Ii]nvalid tag name|[Ii]nvalid .*header"),
        "A header line does not follow the VCF standard and was ignored.",
    ),
    (
        re.compile(r"index file is older than the data file"),
        "The index file is older than the VCF file.",
    ),
    (
        re.compile(r"[Ff]ailed to read|[Rr]ead block operation failed|[Tt]runcated"),
        "Part of the file could not be read (it may be damaged or cut short).",
    ),
]


def translate(lines: list[str]) -> list[str]:
    """Counselor sentences for htslib lines, duplicates removed, at most a few shown."""
    out: list[str] = []
    for line in lines:
        m = _LINE.match(line)
        text = m.group(3) if m else line
        sentence = None
        for pattern, template in _TRANSLATIONS:
            found = pattern.search(text)
            if found:
                values = [v.encode("unicode_escape").decode()[:60] for v in found.groups()]
                sentence = template.format(*values)
                break
        if sentence is None:
            sentence = "The VCF reader reported a problem with the file: " + text[:160].rstrip(".")
            sentence = sentence.encode("ascii", errors="replace").decode() + "."
        if sentence not in out:
            out.append(sentence)
    if len(out) > _MAX_NOTES:
        rest = len(out) - _MAX_NOTES
        out = out[:_MAX_NOTES] + [f"… and {rest} more such messages from the VCF reader."]
    return out
