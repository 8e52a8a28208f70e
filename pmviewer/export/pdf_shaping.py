"""HarfBuzz shaping of the report's Devanagari and Thai text, through reportlab.

reportlab shapes a paragraph word by word, with the font of the word's first piece: a word
that changes font part-way ("Zoë(प्रिया", a bracket the Thai face lacks) would be shaped
with the wrong font's glyph numbers and print as boxes. :func:`install` wraps reportlab's
word shaper so each single-font piece of a word is shaped in its own font, and only the
pieces set in a face that needs shaping: Latin keeps its letters (no "ﬁ" ligature for a
reader to copy), and Hebrew and Arabic, already in drawn order, are not turned round again.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

_installed = False
_shaped_fonts: set[str] = set()  # reportlab font names whose text HarfBuzz shapes
_PRIVATE = range(0xE000, 0xF900)
_PRE_BASE = "\u093f"  # Devanagari vowel sign I, drawn before its consonant
_letters: dict[str, dict[int, str]] = {}  # font face name -> private code point -> letters


def _face_name(font_name: str) -> str:
    from reportlab.pdfbase.pdfmetrics import getFont

    font: Any = getFont(font_name)  # a TTFont: the shaped faces are TrueType
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _note_letters(word: Any, shaped: Any) -> None:
    """Record the letters behind each private-use glyph of a shaped word."""
    text = "".join(t for frag, t in word[1:] if not hasattr(frag, "cbDefn"))
    glyphs = [
        (data.cluster, char, frag.fontName)
        for frag, piece in shaped[1:]
        if hasattr(piece, "__shapeData__") and piece.__shapeData__
        for char, data in zip(piece, piece.__shapeData__, strict=False)
    ]
    starts = sorted({cluster for cluster, _, _ in glyphs if 0 <= cluster < len(text)})
    for n, start in enumerate(starts):
        letters = list(text[start : starts[n + 1] if n + 1 < len(starts) else len(text)])
        cluster = [(char, font) for c, char, font in glyphs if c == start]
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


def install(font_names: tuple[str, ...]) -> None:
    """Shape the pieces of paragraph words set in ``font_names`` (hooks in once per process)."""
    global _installed
    _shaped_fonts.update(font_names)
    if _installed:
        return
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    recording = _recording(ttfonts.shapeFragWord)
    ttfonts.shapeFragWord = recording  # shapeStr (canvas lines) looks it up here
    paragraph.shapeFragWord = _shape_by_font(recording)  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = _to_unicode_with_letters(ttfonts.makeToUnicodeCMap)
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
