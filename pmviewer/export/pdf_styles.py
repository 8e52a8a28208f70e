"""Fonts, colours and paragraph styles of the PDF report.

The bundled DejaVu Sans covers Latin (with accents), Greek, Cyrillic, Armenian, Georgian and
the basic Hebrew and Arabic letters; :mod:`pmviewer.export.pdf_text` puts right-to-left
runs in visual order, shapes Arabic, and sets Chinese, Japanese, Korean, Hindi and Thai in
bundled faces (Devanagari and Thai shaped by HarfBuzz). The oblique face has no Arabic, so
user-typed text is never set in italics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from pmviewer.core.resources import font_path
from pmviewer.export.pdf_text import fallback_for, markup

FONT = "PmSans"
FONT_BOLD = "PmSans-Bold"
FONT_ITALIC = "PmSans-Oblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}

# Restrained palette: one ink colour for structure, two muted signal colours.
INK = "#1B2A3A"
ACCENT = "#1F4E79"
MUTED = "#5B6770"
RULE = "#B8C2CC"
HEAD_FILL = "#E6ECF2"
ZEBRA = "#F6F8FA"
POSITIVE = "#9B1C1C"
NEGATIVE = "#1E6B3A"
DRAFT = "#B45309"
SYNTHETIC = "#6D28D9"


def register_fonts() -> None:
    """Register the bundled Unicode font family once per process."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(filename))))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """Characters of ``texts`` the bundled fonts cannot draw (they would print as boxes)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    regular = pdfmetrics.getFont(FONT).face.charToGlyph  # type: ignore[attr-defined]  # TTFont
    bold = pdfmetrics.getFont(FONT_BOLD).face.charToGlyph  # type: ignore[attr-defined]
    missing: dict[str, None] = {}
    for text in texts:
        for char in text:
            code = ord(char)
            if code < 0x20 or char.isspace() or fallback_for(char):
                continue
            if code not in regular or code not in bold:
                missing.setdefault(char, None)
    return list(missing)


def esc(value: object) -> str:
    """Text -> reportlab paragraph markup: every user character prints literally (right to
    left where the script is, CJK in its own font); a value too long for a table cell is cut
    with a marker and printed whole in the appendix."""
    from pmviewer.export.pdf_overflow import clip

    return markup(clip(str(value)), escape_run)


def escape_run(text: str) -> str:
    """Paragraph markup of plain text: every character literal, line breaks kept."""
    return escape(text, {'"': "&quot;"}).replace("\n", "<br/>")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the report."""

    body: Any
    small: Any
    tiny: Any
    cell: Any
    cell_bold: Any
    head_cell: Any
    h1: Any
    h2: Any
    h3: Any
    label: Any
    summary: Any
    note: Any
    mono: Any


def make_styles() -> Styles:
    """The report's paragraph styles (registers the bundled Unicode font once)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    ink = colors.HexColor(INK)
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.8, leading=11.6, textColor=ink)
    small = ParagraphStyle("small", parent=body, fontSize=7.6, leading=9.6)
    return Styles(
        body=body,
        small=small,
        tiny=ParagraphStyle("tiny", parent=body, fontSize=6.6, leading=8.2),
        cell=ParagraphStyle("cell", parent=body, fontSize=7.6, leading=9.4),
        cell_bold=ParagraphStyle(
            "cellb", parent=body, fontName=FONT_BOLD, fontSize=7.6, leading=9.4
        ),
        head_cell=ParagraphStyle(
            "headcell",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=7.2,
            leading=8.8,
            textColor=colors.HexColor(ACCENT),
        ),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            textColor=colors.HexColor(ACCENT),
            spaceBefore=10,
            spaceAfter=4,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.4,
            leading=12,
            textColor=ink,
            spaceBefore=6,
            spaceAfter=2,
        ),
        h3=ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=8.8, leading=11),
        label=ParagraphStyle(
            "label",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=7.2,
            leading=9,
            textColor=colors.HexColor(MUTED),
        ),
        summary=ParagraphStyle(
            "summary", parent=body, fontName=FONT_BOLD, fontSize=10.4, leading=13.5
        ),
        note=ParagraphStyle(
            "note",
            parent=body,
            fontName=FONT_ITALIC,
            fontSize=7.6,
            leading=9.6,
            textColor=colors.HexColor(MUTED),
        ),
        mono=ParagraphStyle("mono", parent=body, fontSize=7, leading=8.8, wordWrap="CJK"),
    )
