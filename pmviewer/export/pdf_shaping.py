"""HarfBuzz shaping of the report's Devanagari and Thai text, through reportlab.

reportlab shapes a paragraph word by word, with the font of the word's first piece: a word
that changes font part-way ("Zoë(प्रिया", a bracket the Thai face lacks) would be shaped
with the wrong font's glyph numbers and print as boxes. :func:`install` wraps reportlab's
word shaper so each single-font piece of a word is shaped in its own font, and only the
pieces set in a face that needs shaping: Latin keeps its letters (no "ﬁ" ligature for a
reader to copy), and Hebrew and Arabic, already in drawn order, are not turned round again.

Shaped glyphs are drawn in visual order (the vowel sign I before its consonant, the reph after
its syllable), so each shaped run is marked with its letters in logical order (PDF
ActualText): a reader that honours it (poppler's pdftotext) copies the name as typed. Readers
that do not still find every letter: the glyphs HarfBuzz adds outside the font's character map
carry their letters in the font's ToUnicode map.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

_installed = False
_shaped_fonts: set[str] = set()  # reportlab font names whose text HarfBuzz shapes
_PRIVATE = range(0xE000, 0xF900)
_SIMPLE = 0x7FFFFFFF  # reportlab's cluster number of a character added to a shaped string
_PRE_BASE = "\u093f"  # Devanagari vowel sign I, drawn before its consonant
_letters: dict[str, dict[int, str]] = {}  # font face name -> private code point -> letters


def _face_name(font_name: str) -> str:
    from reportlab.pdfbase.pdfmetrics import getFont

    font: Any = getFont(font_name)  # a TTFont: the shaped faces are TrueType
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _clusters(text: str, shaped: Any) -> list[tuple[Any, str, str, str]]:
    """(shape data, glyph, font name, letters) of each glyph of a shaped word, ``letters``
    being the logical characters of the glyph's cluster on its first glyph, else ""."""
    glyphs = [
        (data, char, frag.fontName)
        for frag, piece in shaped[1:]
        if hasattr(piece, "__shapeData__") and piece.__shapeData__
        for char, data in zip(piece, piece.__shapeData__, strict=False)
    ]
    starts = sorted({data.cluster for data, _, _ in glyphs if 0 <= data.cluster < len(text)})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    seen: set[int] = set()
    out = []
    for data, char, font in glyphs:
        first = data.cluster in ends and data.cluster not in seen
        seen.add(data.cluster)
        out.append((data, char, font, text[data.cluster : ends[data.cluster]] if first else ""))
    return out


def _note_letters(word: Any, shaped: Any) -> None:
    """Mark each cluster's first glyph with its letters (for ActualText) and record the
    letters behind each private-use glyph (for the ToUnicode map)."""
    text = "".join(t for frag, t in word[1:] if not hasattr(frag, "cbDefn"))
    glyphs = _clusters(text, shaped)
    for data, _, _, first_letters in glyphs:
        if not first_letters:
            continue
        data.letters = first_letters  # ShapeData is a namedtuple subclass with a __dict__
        letters = list(first_letters)
        cluster = [(char, font) for d, char, font, _ in glyphs if d.cluster == data.cluster]
        for char, _ in cluster:  # letters the cluster's ordinary glyphs already stand for
            if ord(char) not in _PRIVATE and char in letters:
                letters.remove(char)
        private = [(char, font) for char, font in cluster if ord(char) in _PRIVATE]
        if len(private) > 1 and private[0] == cluster[0] and _PRE_BASE in letters:
            _note(private.pop(0), _PRE_BASE)  # a wider form of the vowel sign drawn first
            letters.remove(_PRE_BASE)
        if private and letters:
            _note(private[0], "".join(letters))


def _note(glyph: tuple[str, str], letters: str) -> None:
    char, font = glyph
    _letters.setdefault(_face_name(font), {}).setdefault(ord(char), letters)


def _recording(original: Any) -> Any:
    def shape(word: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(word, *args, **kwargs)
        if result is not word:
            _note_letters(word, result)
        return result

    return shape


def _to_unicode_with_letters(original: Any) -> Any:
    def cmap(font_name: str, subset: list[int]) -> str:
        text = original(font_name, subset)
        letters = _letters.get(font_name.split("+", 1)[-1], {})
        for i, code in enumerate(subset):
            if code in letters:
                utf16 = letters[code].encode("utf-16-be").hex().upper()
                text = text.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{utf16}>", 1)
        return text

    return cmap


def _font_of(piece: Any) -> str:
    frag = piece[0]
    return "" if hasattr(frag, "cbDefn") else str(frag.fontName)


def _shape_by_font(original: Any) -> Any:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import ShapedFragWord, makeShapedFragWord

    def shape(word: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(word, ShapedFragWord):
            return word
        groups = [list(g) for _, g in groupby(word[1:], key=_font_of)]
        if len(groups) < 2:
            shaped = groups and _font_of(groups[0][0]) in _shaped_fonts
            return original(word, *args, **kwargs) if shaped else word

        width = 0.0
        merged: list[Any] = []
        reshaped = False
        for group in groups:
            plain = sum(
                stringWidth(text, frag.fontName, frag.fontSize)
                for frag, text in group
                if not hasattr(frag, "cbDefn")
            )
            if _font_of(group[0]) not in _shaped_fonts:
                merged.extend(group)
                width += plain
                continue
            result = original([plain, *group], *args, **kwargs)
            reshaped = reshaped or isinstance(result, ShapedFragWord)
            width += result[0]
            merged.extend(result[1:])
        if not reshaped:
            return word
        return makeShapedFragWord(word)([width, *merged])

    return shape


def _logical_text(text: Any) -> str | None:
    """The letters behind a shaped string, in logical order; None for unshaped text."""
    from reportlab.pdfbase.ttfonts import ShapedStr

    data = getattr(text, "__shapeData__", None) if isinstance(text, ShapedStr) else None
    if not data or not any(hasattr(d, "letters") for d in data):
        return None
    letters = []
    for char, d in zip(text, data, strict=False):
        if hasattr(d, "letters"):
            letters.append(d.letters)
        elif d.cluster == _SIMPLE:  # a space joined to the run, not shaped by HarfBuzz
            letters.append(char)
    return "".join(letters)


def _with_actual_text(original: Any) -> Any:
    def format_text(self: Any, text: Any) -> str:
        operators = str(original(self, text))
        logical = _logical_text(text)
        if logical is None:
            return operators
        utf16 = logical.encode("utf-16-be").hex().upper()
        return f"/Span <</ActualText <FEFF{utf16}>>> BDC {operators} EMC"

    return format_text


def _with_font_widths(original: Any) -> Any:
    """reportlab gives a glyph HarfBuzz adds outside the character map the advance it had
    where first shaped (a GPOS-adjusted or unscaled width), and writes that width into the
    PDF: the font's own advance is the one a PDF/A validator and every reader expect. The
    drawing is unchanged: each glyph is still placed by HarfBuzz's advance."""

    def add_private(self: Any, name: str, gid: int, advance: int) -> int:
        code = original(self, name, gid, advance)
        import uharfbuzz

        face = self.face
        own = uharfbuzz.Font(self.hbFace).get_glyph_h_advance(gid)
        face.charWidths[code] = face._pdfScale(own)
        return int(code)

    return add_private


def install(font_names: tuple[str, ...]) -> None:
    """Shape the pieces of paragraph words set in ``font_names`` (hooks in once per process)."""
    global _installed
    _shaped_fonts.update(font_names)
    if _installed:
        return
    from reportlab.pdfbase import ttfonts
    from reportlab.pdfgen import textobject
    from reportlab.platypus import paragraph

    recording = _recording(ttfonts.shapeFragWord)
    ttfonts.shapeFragWord = recording  # shapeStr (canvas lines) looks it up here
    paragraph.shapeFragWord = _shape_by_font(recording)  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = _to_unicode_with_letters(ttfonts.makeToUnicodeCMap)
    tt_font: Any = ttfonts.TTFont  # private methods, absent from the stubs
    tt_font._TTFont__addPrivate = _with_font_widths(tt_font._TTFont__addPrivate)
    text_object: Any = textobject.PDFTextObject
    text_object._formatText = _with_actual_text(text_object._formatText)  # every text line
    _installed = True


def shaped(text: str, font: str, size: float) -> tuple[str, float]:
    """``text`` shaped by HarfBuzz in ``font`` (a string the canvas draws glyph by glyph,
    with HarfBuzz's offsets) and its width in points. The canvas's own ``shaping=True``
    is not used: without reportlab's optional rlbidi it silently draws unshaped text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

    result = shapeStr(text, font, size)
    data = getattr(result, "__shapeData__", None) if isinstance(result, ShapedStr) else None
    if data:
        return result, sum(d.x_advance for d in data) * size / 1000
    return text, stringWidth(text, font, size)
