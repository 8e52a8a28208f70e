"""Values too long for a table cell: cut with a visible marker, printed whole in an appendix.

A table row cannot split across pages, so a cell taller than a page (a 4,000-character HGVS
from a VEP annotation, a 1 MB sample name, a 200 kB family history) made reportlab give up.
Every piece of file or patient text reaches the PDF through
:func:`~pmviewer.export.pdf_styles.esc`, which calls :func:`clip`: a value longer than
:data:`CELL_LIMIT` characters (or :data:`LINE_LIMIT` lines) is cut, marked
"[cut: N characters; full value in appendix An]", and kept for :func:`appendix_story`, which
prints it in paragraphs that may break across pages (very long values are themselves cut at
:data:`APPENDIX_LIMIT`, saying so).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

CELL_LIMIT = 600  # characters: fits half a page even in the narrowest column
LINE_LIMIT = 30
APPENDIX_LIMIT = 250_000  # characters of one value printed in the appendix (~50 pages)
_CHUNK = 1500

_collected: ContextVar[list[str] | None] = ContextVar("pmviewer_pdf_overflow", default=None)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the values cut while one report is built (the appendix is made from them)."""
    values: list[str] = []
    token = _collected.set(values)
    try:
        yield values
    finally:
        _collected.reset(token)


def clip(text: str) -> str:
    """``text`` unchanged when short; else its start, a visible marker and an appendix entry."""
    if len(text) <= CELL_LIMIT and text.count("\n") <= LINE_LIMIT:
        return text
    values = _collected.get()
    head = text[:CELL_LIMIT]
    if head.count("\n") > LINE_LIMIT:
        head = "\n".join(head.split("\n")[:LINE_LIMIT])
    if values is None:  # outside a report build: still never too tall
        return f"{head} … [cut: {len(text):,} characters]"
    if text in values:  # the same value cut again (a sample name on every page)
        number = values.index(text) + 1
    else:
        values.append(text)
        number = len(values)
    return f"{head} … [cut: {len(text):,} characters; full value in appendix A{number}]"


def appendix_story(values: list[str], styles: Any) -> list[Any]:
    """The appendix of full values (empty when nothing was cut)."""
    from reportlab.platypus import Paragraph

    from pmviewer.export.pdf_styles import escape_run
    from pmviewer.export.pdf_tables import shaped_style
    from pmviewer.export.pdf_text import markup, needs_shaping

    if not values:
        return []
    story: list[Any] = [
        Paragraph("Appendix: full values of long fields", styles.h2),
        Paragraph(
            "These values were too long to print in their table cell; each is shown in full "
            "here, exactly as in the input.",
            styles.small,
        ),
    ]
    for number, value in enumerate(values, start=1):
        shown = value[:APPENDIX_LIMIT]
        story.append(Paragraph(f"<b>A{number}</b> ({len(value):,} characters)", styles.body))
        for start in range(0, len(shown), _CHUNK):
            # every script as in the cells: its own face, right to left, shaped
            chunk = markup(shown[start : start + _CHUNK], escape_run)
            style = shaped_style(styles.mono) if needs_shaping(chunk) else styles.mono
            story.append(Paragraph(chunk, style))
        if len(value) > len(shown):
            story.append(
                Paragraph(
                    f"[The remaining {len(value) - len(shown):,} characters are not printed; "
                    "the full value is in the input file and the review's JSON export.]",
                    styles.small,
                )
            )
    return story
