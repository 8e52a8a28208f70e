"""Which (file, sample) pairs a batch runs: every input, every sample of a multi-sample file.

Planning only reads headers (:func:`pmviewer.core.vcf.inspect`); a file whose header cannot
be read becomes a job that carries its error, so it is reported as an error row and the
rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pmviewer.core.errors import PmviewerError


@dataclass(frozen=True)
class BatchJob:
    """One (file, sample) to annotate and report; ``error`` is set when planning failed."""

    path: str
    sample: str  # "" for a file whose header could not be read
    file_stamp: str  # size and modification time: a changed file is run again
    error: str = ""

    def key(self, knowledge_version: str, knowledge_sha256: str) -> str:
        """What makes a finished job finished: the file, the sample and the knowledge."""
        text = "|".join(
            (self.path, self.file_stamp, self.sample, knowledge_version, knowledge_sha256)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    def output_stem(self) -> str:
        """A file-name-safe stem unique per (file, sample): ``name.sample``."""
        name = Path(self.path).name
        for suffix in (".gz", ".bgz", ".vcf", ".bcf"):
            name = name.removesuffix(suffix)
        stem = f"{name}.{self.sample}" if self.sample else name
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem)
        # two inputs with the same name in different folders must not overwrite each other
        digest = hashlib.sha256(self.path.encode("utf-8")).hexdigest()[:6]
        return f"{safe}.{digest}"


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def plan_jobs(inputs: list[str]) -> list[BatchJob]:
    """One job per sample of every input, in the order given; unreadable inputs are kept as
    error jobs."""
    from pmviewer.core import vcf

    jobs: list[BatchJob] = []
    seen: set[str] = set()
    for given in inputs:
        path = Path(given).expanduser().resolve()
        text = str(path)
        if text in seen:
            continue
        seen.add(text)
        if not path.is_file():
            jobs.append(BatchJob(text, "", "", f"{path.name} does not exist or is not a file."))
            continue
        stamp = _stamp(path)
        try:
            samples = vcf.inspect(text).samples
        except PmviewerError as error:
            jobs.append(BatchJob(text, "", stamp, str(error)))
            continue
        if not samples:
            jobs.append(
                BatchJob(text, "", stamp, f"{path.name} has no samples (a sites-only VCF).")
            )
            continue
        jobs.extend(BatchJob(text, sample, stamp) for sample in samples)
    return jobs
