"""Names in every script: right-to-left order, shaping and per-script fonts for the report.

reportlab lays text out left to right in one font. A patient's name in Hebrew or Arabic
needs the Unicode bidirectional algorithm (python-bidi) and, for Arabic, the contextual
letter forms (arabic-reshaper). Scripts the bundled DejaVu Sans lacks are set in bundled
fallback faces, embedded as subsets like every report font so a name prints the same on any
reader (reportlab's CID fonts are not embedded and print as boxes where the reader lacks
them): Chinese and Japanese in Droid Sans Fallback (Apache-2.0; it has no bold face, so bold
Chinese and Japanese print in the regular one), Korean in NanumGothic (regular and bold),
Hindi (Devanagari) and Thai in Noto Sans (all SIL OFL 1.1). Devanagari and Thai are shaped
by HarfBuzz (uharfbuzz, through reportlab): conjuncts, the vowel sign written before
its consonant, and marks placed over or under their letter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pmviewer.export import pdf_shaping


@dataclass(frozen=True)
class Fallback:
    """A bundled face for one script the main font lacks."""

    name: str
    file: str
    bold_file: str | None  # None: bold prints in the regular face
    pattern: re.Pattern[str]
    shaped: bool  # needs HarfBuzz: reordering, conjuncts, mark positioning

    @property
    def bold_name(self) -> str:
        return f"{self.name}-Bold" if self.bold_file else self.name


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
FALLBACKS = (
    Fallback(
        "PmDevanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff]"),
        shaped=True,
    ),
    Fallback(
        "PmThai",
        "NotoSansThai-Regular.ttf",
        "NotoSansThai-Bold.ttf",
        re.compile(r"[\u0e00-\u0e7f]"),
        shaped=True,
    ),
    Fallback("PmHangul", "NanumGothic.ttf", "NanumGothicBold.ttf", _HANGUL, shaped=False),
    Fallback(
        "PmCJK",  # Han ideographs, kana, CJK punctuation, full-width forms
        "DroidSansFallbackFull.ttf",
        None,  # Droid Sans Fallback has no bold face
        re.compile(
            r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
            r"\uf900-\ufaff\uff00-\uffef]"
        ),
        shaped=False,
    ),
)
SHAPED_SCRIPTS = re.compile("|".join(f.pattern.pattern for f in FALLBACKS if f.shaped))

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_covered: dict[str, set[int]] = {}  # fallback name -> code points it draws, once loaded


def _register(fallback: Fallback) -> set[int]:
    """Register one fallback face (and its bold) on first use; the code points it draws."""
    if fallback.name in _covered:
        return _covered[fallback.name]
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from pmviewer.core.resources import font_path

    regular = TTFont(fallback.name, str(font_path(fallback.file)), shapable=fallback.shaped)
    pdfmetrics.registerFont(regular)
    if fallback.bold_file:
        bold = TTFont(fallback.bold_name, str(font_path(fallback.bold_file)))
        bold.shapable = fallback.shaped
        pdfmetrics.registerFont(bold)
    for is_bold in (0, 1):
        for italic in (0, 1):
            addMapping(
                fallback.name, is_bold, italic, fallback.bold_name if is_bold else fallback.name
            )
    if fallback.shaped:
        pdfmetrics.getFont(fallback.name)  # shaping needs the fonts before a paragraph wraps
        pdf_shaping.install((fallback.name, fallback.bold_name))
    _covered[fallback.name] = set(regular.face.charToGlyph)
    return _covered[fallback.name]


def fallback_for(char: str) -> Fallback | None:
    """The face that draws ``char`` when the main font cannot, else None (a character no
    bundled face has is left to the missing-glyph warning)."""
    for fallback in FALLBACKS:
        if fallback.pattern.match(char):
            return fallback if ord(char) in _register(fallback) else None
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


def _neutral(char: str) -> bool:
    """Punctuation, digits, joiners and marks: they take the script of their word."""
    return not char.isspace() and unicodedata.category(char)[0] in "MNPSC"


def _faces(text: str) -> list[Fallback | None]:
    """The face of each character. A neutral character touching a shaped script in the same
    word goes into that script's face when the face has it, so HarfBuzz shapes the word in
    one face (the danda, brackets around a Hindi name, ZWJ in a conjunct)."""
    faces = [fallback_for(char) for char in text]
    for i, char in enumerate(text):
        if faces[i] is not None or not _neutral(char):
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(text) and faces[j] is None and _neutral(text[j]):
                j += step
            near = faces[j] if 0 <= j < len(text) else None
            if near is not None and near.shaped and ord(char) in _register(near):
                faces[i] = near
                break
    return faces


def runs(text: str) -> list[tuple[Fallback | None, str]]:
    """``text`` (already in visual order) cut into (fallback face or None, characters) runs."""
    out: list[tuple[Fallback | None, str]] = []
    for char, face in zip(text, _faces(text), strict=True):
        if out and out[-1][0] is face:
            out[-1] = (face, out[-1][1] + char)
        else:
            out.append((face, char))
    return out


def markup(text: str, escape_run: Any) -> str:
    """Paragraph markup of user text: visual order, each run escaped by ``escape_run``,
    runs of other scripts wrapped in their face (bold follows the paragraph's <b>)."""
    pieces = []
    for face, chunk in runs(visual_order(text)):
        escaped = escape_run(chunk)
        pieces.append(escaped if face is None else f'<font face="{face.name}">{escaped}</font>')
    return "".join(pieces)


def needs_shaping(markup_text: str) -> bool:
    """True when paragraph markup holds a script that HarfBuzz must shape."""
    return bool(SHAPED_SCRIPTS.search(markup_text))


def _face_name(face: Fallback | None, font: str) -> str:
    if face is None:
        return font
    return face.bold_name if font.endswith("-Bold") else face.name


def string_width(text: str, font: str, size: float) -> float:
    """Width in points of user text drawn with :func:`draw_string`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = 0.0
    for face, chunk in runs(visual_order(text)):
        name = _face_name(face, font)
        if face is not None and face.shaped:
            width += pdf_shaping.shaped(chunk, name, size)[1]
        else:
            width += stringWidth(chunk, name, size)
    return width


def draw_string(canvas: Any, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw one line of user text on the canvas, each script in its face, shaped where the
    script needs it."""
    for face, chunk in runs(visual_order(text)):
        name = _face_name(face, font)
        canvas.setFont(name, size)
        if face is not None and face.shaped:
            glyphs, width = pdf_shaping.shaped(chunk, name, size)
        else:
            glyphs, width = chunk, canvas.stringWidth(chunk, name, size)
        canvas.drawString(x, y, glyphs)
        x += width
