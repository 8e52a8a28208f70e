"""A local reference FASTA, for full left-alignment of indels.

No bundled source carries reference sequence, so clinics that have a genome FASTA on disk can
point pmviewer at it (``--reference`` / the settings). The ``.fai`` index is read when present
next to the FASTA, else built once into the user cache folder (the FASTA's folder may be
read-only and is never written to).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pmviewer.core.errors import InputFileError
from pmviewer.core.genome.normalize import canonical_chrom
from pmviewer.core.paths import cache_dir


@dataclass(frozen=True)
class _FaiEntry:
    length: int
    offset: int
    line_bases: int
    line_bytes: int


def _parse_fai(text: str) -> dict[str, _FaiEntry]:
    """Entries of a samtools ``.fai`` index; ValueError when a line is malformed."""
    entries = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, length, offset, line_bases, line_bytes = line.split("\t")[:5]
        entries[name] = _FaiEntry(int(length), int(offset), int(line_bases), int(line_bytes))
    return entries


def _build_fai(fasta: Path) -> str:
    """The samtools ``.fai`` text for an uncompressed FASTA with fixed-width lines."""
    rows: list[str] = []
    name = None
    length = offset = line_bases = line_bytes = 0
    position = 0
    with open(fasta, "rb") as handle:
        for raw in handle:
            if raw.startswith(b">"):
                if name is not None:
                    rows.append(f"{name}\t{length}\t{offset}\t{line_bases}\t{line_bytes}")
                name = raw[1:].split()[0].decode("utf-8", "replace")
                length = line_bases = line_bytes = 0
                offset = position + len(raw)
            else:
                bases = len(raw.rstrip(b"\r\n"))
                if line_bases == 0:
                    line_bases, line_bytes = bases, len(raw)
                length += bases
            position += len(raw)
    if name is not None:
        rows.append(f"{name}\t{length}\t{offset}\t{line_bases}\t{line_bytes}")
    return "\n".join(rows) + "\n"


class ReferenceFasta:
    """Random access to an uncompressed, ``.fai``-indexable FASTA file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputFileError(
                f"The reference genome file {self.path} was not found. Check the path in "
                "Settings, or remove it to annotate without a reference."
            )
        if self.path.suffix in (".gz", ".bgz", ".bgzf"):
            raise InputFileError(
                f"The reference genome {self.path.name} is compressed. pmviewer needs the "
                "uncompressed FASTA (.fa/.fasta); decompress it once and choose that file."
            )
        self._entries = self._index()
        self._names = {canonical_chrom(name): name for name in self._entries}
        self._handle = open(self.path, "rb")  # noqa: SIM115 - kept open for random access

    def _index(self) -> dict[str, _FaiEntry]:
        """The ``.fai`` entries, refusing a file that is not a FASTA or a damaged index."""
        try:
            entries = _parse_fai(self._fai_text())
        except ValueError:
            raise InputFileError(
                f"The index {self.path.name}.fai next to the reference genome is damaged. "
                "Delete it (pmviewer then indexes the FASTA itself) or rebuild it with "
                "'samtools faidx'."
            ) from None
        except OSError:
            raise InputFileError(
                f"The reference genome {self.path.name} could not be read. Check that the "
                "file is readable, or remove it from the settings."
            ) from None
        if not entries:
            raise InputFileError(
                f"{self.path.name} is not a FASTA file (no '>' sequence lines). Choose the "
                "reference genome FASTA (.fa/.fasta) of the file's genome build."
            )
        return entries

    def _fai_text(self) -> str:
        beside = Path(str(self.path) + ".fai")
        if beside.is_file():
            return beside.read_text()
        stat = self.path.stat()
        tag = hashlib.sha256(f"{self.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        cached = cache_dir() / "fai" / f"{tag.hexdigest()[:24]}.fai"
        if cached.is_file():
            return cached.read_text()
        text = _build_fai(self.path)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(text)
        return text

    @property
    def contigs(self) -> list[str]:
        """Sequence names as the FASTA writes them, in file order."""
        return list(self._entries)

    def matches(self, chrom: str, pos: int, ref: str) -> bool:
        """Whether ``ref`` is the reference sequence at ``chrom:pos`` (same assembly)."""
        return bool(ref) and self.fetch(chrom, pos, pos + len(ref) - 1) == ref.upper()

    def fetch(self, chrom: str, start: int, end: int) -> str:
        """Bases ``start..end`` (1-based, inclusive), upper-case; clipped to the contig."""
        name = self._names.get(canonical_chrom(chrom))
        if name is None:
            return ""
        entry = self._entries[name]
        start = max(1, start)
        end = min(entry.length, end)
        if end < start:
            return ""
        first, last = start - 1, end - 1  # 0-based
        byte_start = (
            entry.offset + (first // entry.line_bases) * entry.line_bytes + first % entry.line_bases
        )
        byte_end = (
            entry.offset + (last // entry.line_bases) * entry.line_bytes + last % entry.line_bases
        )
        self._handle.seek(byte_start)
        raw = self._handle.read(byte_end - byte_start + 1)
        return raw.replace(b"\n", b"").replace(b"\r", b"").decode("ascii").upper()

    def close(self) -> None:
        """Close the FASTA file."""
        self._handle.close()


def left_align(
    reference: ReferenceFasta, chrom: str, pos: int, ref: str, alt: str, window: int = 200
) -> tuple[int, str, str]:
    """Left-align and trim one REF/ALT pair against the reference (Tan et al. 2015, vt normalize).

    Returns the input unchanged when REF does not match the reference (the file may come from
    another assembly) or the allele is symbolic.
    """
    ref, alt = ref.upper(), alt.upper()
    if alt.startswith("<") or "[" in alt or "]" in alt or alt in ("*", ".") or ref == alt:
        return pos, ref, alt
    if reference.fetch(chrom, pos, pos + len(ref) - 1) != ref:
        return pos, ref, alt
    context_start = max(1, pos - window)
    context = reference.fetch(chrom, context_start, pos - 1)
    while True:
        changed = False
        if ref and alt and ref[-1] == alt[-1]:
            ref, alt = ref[:-1], alt[:-1]
            changed = True
        if not ref or not alt:
            if pos - 1 < context_start:
                if context_start == 1:
                    break
                # ran out of context: fetch another window further left
                new_start = max(1, context_start - window)
                context = reference.fetch(chrom, new_start, context_start - 1) + context
                context_start = new_start
            base = context[pos - 1 - context_start]
            ref, alt, pos = base + ref, base + alt, pos - 1
            changed = True
        if not changed:
            break
    while len(ref) > 1 and len(alt) > 1 and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    return pos, ref, alt
