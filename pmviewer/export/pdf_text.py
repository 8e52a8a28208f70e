"""Names in every script: right-to-left order, Arabic shaping and CJK fonts for the report.

reportlab lays text out left to right, one glyph per character, in one font. A patient's
name in Hebrew or Arabic needs the Unicode bidirectional algorithm (python-bidi) and, for
Arabic, the contextual letter forms (arabic-reshaper); Chinese, Japanese and Korean have no
glyphs in the bundled DejaVu Sans and are set in the bundled Droid Sans Fallback (Apache-2.0),
embedded as a subset like every report font, so the name prints the same on any reader
(reportlab's CID fonts are not embedded and print as boxes where the reader lacks them).
"""

from __future__ import annotations

import re
from typing import Any

CJK_FONT = "PmCJK"  # Han ideographs, kana, CJK punctuation, full-width forms
CJK_FONT_FILE = "DroidSansFallbackFull.ttf"

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uff00-\uffef]"
)
_registered: set[int] = set()  # code points the CJK font draws, once it is loaded


def register_cid_fonts() -> set[int]:
    """Register the CJK font once, on first use (bold and italic map to the same face);
    returns the code points it draws."""
    if _registered:
        return _registered
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from pmviewer.core.resources import font_path

    font = TTFont(CJK_FONT, str(font_path(CJK_FONT_FILE)))
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK_FONT, bold, italic, CJK_FONT)
    _registered.update(font.face.charToGlyph)
    return _registered


def cid_font_for(char: str) -> str | None:
    """The font that draws ``char`` when the main font cannot (CJK), else None (a CJK
    character the font lacks, e.g. most Hangul syllables, is left to the missing-glyph
    warning)."""
    if (_HANGUL.match(char) or _CJK.match(char)) and ord(char) in register_cid_fonts():
        return CJK_FONT
    return None


def visual_order(text: str) -> str:
    """Text with right-to-left runs in the order they are drawn, Arabic letters shaped.
    Text without Hebrew or Arabic is returned unchanged."""
    if not _RTL.search(text):
        return text
    from bidi import get_display

    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return "\n".join(get_display(line) for line in text.split("\n"))


def runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` (already in visual order) cut into (CID font or None, characters) runs."""
    out: list[tuple[str | None, str]] = []
    for char in text:
        font = cid_font_for(char)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def markup(text: str, escape_run: Any) -> str:
    """Paragraph markup of user text: visual order, each run escaped by ``escape_run``, CJK
    runs wrapped in their CID font."""
    pieces = []
    for font, chunk in runs(visual_order(text)):
        escaped = escape_run(chunk)
        if font is None:
            pieces.append(escaped)
        else:
            pieces.append(f'<font face="{font}">{escaped}</font>')
    return "".join(pieces)


def string_width(text: str, font: str, size: float) -> float:
    """Width in points of user text drawn with :func:`draw_string`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = 0.0
    for cid, chunk in runs(visual_order(text)):
        width += stringWidth(chunk, cid or font, size)
    return width


def draw_string(canvas: Any, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw one line of user text on the canvas, switching to a CID font for CJK runs."""
    for cid, chunk in runs(visual_order(text)):
        canvas.setFont(cid or font, size)
        canvas.drawString(x, y, chunk)
        x += canvas.stringWidth(chunk, cid or font, size)
