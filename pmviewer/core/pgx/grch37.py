"""Words for why a GRCh38 allele-defining position was not converted to GRCh37.

The conversion itself is done once, when the knowledge file is built
(``pmviewer.core.knowledge.build.pgx_grch37``), and stored in ``pgx_position_grch37``; this
module only turns its reason codes into the words of the call note.
"""

from __future__ import annotations

REFUSAL_WORDS: dict[str, str] = {
    "unmapped": "not in the GRCh38-to-GRCh37 chain",
    "ambiguous": "maps to more than one GRCh37 place",
    "minus_strand": "maps to the opposite strand",
    "other_chromosome": "maps to another chromosome",
    "spans_gap": "its reference bases span a gap in the chain",
}


def refusal_words(reason: str) -> str:
    """The reason a position was refused, in words (the code itself when unknown)."""
    return REFUSAL_WORDS.get(reason, reason)
