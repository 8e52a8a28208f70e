"""Bare alleles (no anchor base) and indel placement inside repeats, from the bases at hand.

No bundled source carries reference sequence, yet an indel inside a repeat can be written at
several places (a caller left-aligns, HGVS and CIViC shift to the 3' end). Two placements are
the same change exactly when sliding one base by base along the repeat reaches the other; each
slide needs only the next reference base, so the bases both records state (the file's REF,
CIViC's reference bases) are often enough. :func:`left_shift` slides as far as the known
bases go; where a base is unknown it stops, so a match is never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


def bare_alleles(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """``pos, ref, alt`` with every shared leading and trailing base removed ('' for a side).

    ``pos`` becomes the first changed base (for an insertion, the base it goes before).
    """
    while ref and alt and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    return pos, ref, alt


def slide_left(
    pos: int, ref: str, alt: str, base_at: Callable[[int], str | None]
) -> Iterator[tuple[int, str, str]]:
    """Every placement of a bare deletion or insertion, from ``pos`` leftwards, while the base
    before it repeats its last base. ``base_at(position)`` is the reference base there, or None
    when it is not known. A change with both sides non-empty (an SNV, a delins) stays put."""
    yield pos, ref, alt
    if ref and alt or not (ref or alt):
        return
    moved = ref or alt
    while True:
        before = base_at(pos - 1)
        if before is None or before != moved[-1]:
            return
        moved, pos = before + moved[:-1], pos - 1
        yield (pos, moved, "") if ref else (pos, "", moved)


def left_shift(
    pos: int, ref: str, alt: str, base_at: Callable[[int], str | None]
) -> tuple[int, str, str]:
    """The left-most placement :func:`slide_left` reaches."""
    *_, last = slide_left(pos, ref, alt, base_at)
    return last


class KnownBases:
    """Reference bases stated by records (1-based); a position two records disagree on is
    dropped, so a conflict never lets a slide through."""

    def __init__(self) -> None:
        self._bases: dict[int, str] = {}
        self._conflicts: set[int] = set()

    def add(self, start: int, bases: str) -> None:
        for offset, base in enumerate(bases.upper()):
            position = start + offset
            if self._bases.setdefault(position, base) != base:
                self._conflicts.add(position)

    def __call__(self, position: int) -> str | None:
        return None if position in self._conflicts else self._bases.get(position)
