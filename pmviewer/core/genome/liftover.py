"""Coordinate liftover between genome builds with UCSC-format chain files.

The knowledge build uses this to derive GRCh37 keys for ClinVar records that state only a
GRCh38 position (and GRCh38 keys for CIViC, which states GRCh37). The chain files are the
Ensembl assembly-mapping chains (see ``knowledge-sources/SOURCES.md`` section 7): every score
is 1, many small chains map to the opposite strand, and alt/patch contigs and ``chr``-named
duplicates are present. Only primary-assembly chromosomes are indexed.

A position can fall in more than one chain. The rule (SOURCES.md section 7): prefer the hit
on the same chromosome and ``+`` strand in the longest block; any other multi-hit is
ambiguous. Chains move positions only, so indels whose span crosses a chain gap, and indels
on a ``-`` hit (which would need re-left-alignment against the target reference), are dropped
and counted rather than guessed.
"""

from __future__ import annotations

import gzip
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pmviewer.core.genome.normalize import VariantKey, canonical_chrom, normalise_key

PRIMARY_CHROMS = frozenset([str(i) for i in range(1, 23)] + ["X", "Y", "MT"])

_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    """The reverse complement of a DNA sequence."""
    return seq.translate(_COMPLEMENT)[::-1]


class Hit(NamedTuple):
    """One place a source position maps to (1-based target position)."""

    chrom: str
    pos: int
    strand: str
    block_size: int
    chain_id: int
    block_index: int


class LiftResult(NamedTuple):
    """Outcome of lifting one variant: ``key`` is None when dropped, with ``reason``."""

    key: VariantKey | None
    reason: str  # "ok", "unmapped", "ambiguous", "minus_strand_indel", "indel_spans_gap"
    strand: str


@dataclass
class _ChromIndex:
    starts: list[int] = field(default_factory=list)  # 0-based source start of each block
    ends: list[int] = field(default_factory=list)
    max_end: list[int] = field(default_factory=list)  # running maximum of ``ends``
    q_starts: list[int] = field(default_factory=list)  # on the query strand's coordinates
    chain: list[int] = field(default_factory=list)


@dataclass
class _Chain:
    q_chrom: str
    q_size: int
    q_strand: str


class ChainMap:
    """An index of one chain file: source build -> target build."""

    def __init__(self) -> None:
        self._chroms: dict[str, _ChromIndex] = {}
        self._chains: list[_Chain] = []

    @classmethod
    def from_file(cls, path: Path | str) -> ChainMap:
        """Parse a (optionally gzipped) UCSC chain file, keeping primary chromosomes only."""
        path = Path(path)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt") as handle:
            return cls.from_lines(handle)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> ChainMap:
        """Parse chain-format text lines (see :meth:`from_file`)."""
        chain_map = cls()
        blocks: dict[str, list[tuple[int, int, int, int]]] = {}
        keep = False
        t_pos = q_pos = 0
        t_name = ""
        chain_id = -1
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            if line.startswith("chain"):
                f = line.split()
                # chain score tName tSize tStrand tStart tEnd qName qSize qStrand qStart qEnd id
                t_name, q_name = f[2], f[7]
                # chr-named and alt/patch duplicates repeat the primary chains: skip them
                keep = t_name in PRIMARY_CHROMS and q_name in PRIMARY_CHROMS and f[4] == "+"
                if keep:
                    chain_map._chains.append(_Chain(q_name, int(f[8]), f[9]))
                    chain_id = len(chain_map._chains) - 1
                    t_pos, q_pos = int(f[5]), int(f[10])
                continue
            if not keep:
                continue
            parts = line.split()
            size = int(parts[0])
            blocks.setdefault(t_name, []).append((t_pos, t_pos + size, q_pos, chain_id))
            if len(parts) == 3:
                t_pos += size + int(parts[1])
                q_pos += size + int(parts[2])
        for chrom, rows in blocks.items():
            rows.sort()
            index = _ChromIndex()
            running = -1
            for start, end, q_start, cid in rows:
                running = max(running, end)
                index.starts.append(start)
                index.ends.append(end)
                index.max_end.append(running)
                index.q_starts.append(q_start)
                index.chain.append(cid)
            chain_map._chroms[chrom] = index
        return chain_map

    @property
    def chromosomes(self) -> list[str]:
        """Source contigs the chain maps from."""
        return sorted(self._chroms)

    def hits(self, chrom: str, pos: int) -> list[Hit]:
        """Every block containing 1-based ``pos`` on ``chrom`` (canonical name)."""
        index = self._chroms.get(canonical_chrom(chrom))
        if index is None:
            return []
        p0 = pos - 1
        i = bisect_right(index.starts, p0) - 1
        found: list[Hit] = []
        # blocks are sorted by start; walk back while an earlier block could still reach p0
        while i >= 0 and index.max_end[i] > p0:
            if index.ends[i] > p0:
                chain = self._chains[index.chain[i]]
                q = index.q_starts[i] + (p0 - index.starts[i])
                if chain.q_strand == "-":
                    q = chain.q_size - 1 - q
                found.append(
                    Hit(
                        chain.q_chrom,
                        q + 1,
                        chain.q_strand,
                        index.ends[i] - index.starts[i],
                        index.chain[i],
                        i,
                    )
                )
            i -= 1
        return found

    def best_hit(self, chrom: str, pos: int) -> tuple[Hit | None, str]:
        """The single accepted hit for a position, or ``(None, reason)``."""
        found = self.hits(chrom, pos)
        if not found:
            return None, "unmapped"
        if len(found) == 1:
            return found[0], "ok"
        source = canonical_chrom(chrom)
        preferred = [h for h in found if h.chrom == source and h.strand == "+"]
        if not preferred:
            return None, "ambiguous"
        preferred.sort(key=lambda h: -h.block_size)
        if len(preferred) > 1 and preferred[0].block_size == preferred[1].block_size:
            if preferred[0].pos != preferred[1].pos:
                return None, "ambiguous"
        return preferred[0], "ok"

    def lift_position(self, chrom: str, pos: int) -> tuple[str, int, str] | None:
        """``(chrom, pos, strand)`` in the target build, or None if unmapped/ambiguous."""
        hit, _ = self.best_hit(chrom, pos)
        return None if hit is None else (hit.chrom, hit.pos, hit.strand)

    def lift_variant(self, chrom: str, pos: int, ref: str, alt: str) -> LiftResult:
        """Lift one VCF-style allele; the result key is normalised like the knowledge file."""
        hit, reason = self.best_hit(chrom, pos)
        if hit is None:
            return LiftResult(None, reason, "")
        span = len(ref)
        if hit.strand == "-":
            if span != 1 or len(alt) != 1:
                return LiftResult(None, "minus_strand_indel", "-")
            key = normalise_key(
                hit.chrom, hit.pos, reverse_complement(ref), reverse_complement(alt)
            )
            return LiftResult(key, "ok", "-")
        if span > 1:
            # the whole REF span must stay inside the same gap-free block
            index = self._chroms[canonical_chrom(chrom)]
            block_end = index.ends[hit.block_index]  # 0-based exclusive
            if pos - 1 + span > block_end:
                return LiftResult(None, "indel_spans_gap", "+")
        return LiftResult(normalise_key(hit.chrom, hit.pos, ref, alt), "ok", "+")
