"""Names in Korean, Hindi, Thai, Chinese, Hebrew and Arabic print in their scripts: the text
comes back out of the PDF, and every glyph drawn is a real one (no .notdef box)."""

from __future__ import annotations

import io
import unicodedata

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream
from test_report_pdf import HOSTILE_NAME, render

from pmviewer.core.model import PatientDetails
from pmviewer.core.resources import font_path
from pmviewer.export.pdf_styles import missing_glyphs

KOREAN = "김민준"
HINDI = "प्रिया शर्मा (कृष्ण)"
THAI = "สมชาย ใจดี (ศรี)"
NAME = f"{HOSTILE_NAME} {KOREAN} {HINDI} {THAI} שרה כהן محمد علي"


def _report() -> PdfReader:
    return PdfReader(io.BytesIO(render(patient=PatientDetails(name=NAME, mrn="M-1"))))


def _glyphs_drawn(reader: PdfReader) -> dict[str, list[str]]:
    """Glyph names drawn on page 1, per embedded font (read from the embedded subsets)."""
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"].get_object()
    faces: dict[str, tuple[str, dict[int, str]]] = {}
    for key, ref in fonts.items():
        font = ref.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:
            continue
        data = descriptor.get_object()["/FontFile2"].get_object().get_data()
        tt = TTFont(io.BytesIO(data))
        faces[key] = (str(font["/BaseFont"]), tt["cmap"].tables[0].cmap)
    drawn: dict[str, list[str]] = {}
    current = None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = faces.get(str(operands[0]))
        elif operator in (b"Tj", b"TJ") and current is not None:
            strings = operands[0] if operator == b"TJ" else [operands[0]]
            for item in strings:
                if isinstance(item, (bytes, str)):
                    raw = item if isinstance(item, bytes) else item.encode("latin-1")
                    names = [current[1].get(code, ".notdef") for code in raw]
                    drawn.setdefault(current[0], []).extend(names)
    return drawn


def test_korean_hindi_and_thai_need_no_missing_glyph_warning():
    assert missing_glyphs([KOREAN, HINDI, THAI, HOSTILE_NAME]) == []


def test_every_script_of_the_name_comes_back_out_of_the_pdf():
    text = _report().pages[0].extract_text()
    assert "cannot be printed" not in text
    assert "王小明" in text and "<b>&amp;" in text and "Łukasiewicz" in text
    assert KOREAN in text
    assert "สมชาย ใจดี" in text and "(ศรี)" in text
    # pypdf ignores ActualText (test_pdf_copy_out.py): shaped Devanagari comes out in drawn
    # order, the vowel sign I before its consonant, the reph after its syllable, but every
    # letter is there (the ToUnicode map) and no private-use code is
    flat = "".join(text.split())  # a reader may put a gap inside a shaped word
    assert "िप्रया" in flat and "कृष्ण" in flat and "शमार्" in flat
    assert not any(0xE000 <= ord(c) < 0xF900 for c in text)
    assert "שרה כהן" in text or "שרה כהן"[::-1] in text
    shaped = unicodedata.normalize("NFKC", text)
    assert "علي" in shaped or "علي"[::-1] in shaped


def test_every_glyph_drawn_is_a_real_glyph_in_an_embedded_face():
    drawn = _glyphs_drawn(_report())
    by_face = {name.split("+", 1)[-1]: glyphs for name, glyphs in drawn.items()}
    for face in ("NanumGothic", "NotoSansDevanagari-Regular", "NotoSansThai-Regular"):
        assert face in by_face, f"{face} not used"
    assert "NotoSansDevanagari-Bold" in by_face  # the name in the bold header bar
    for face, glyphs in by_face.items():
        assert ".notdef" not in glyphs, face
    # HarfBuzz shaped the Hindi name: conjunct and reph glyphs, not one glyph per letter
    devanagari = by_face["NotoSansDevanagari-Regular"]
    assert any(not name.startswith("uni09") and "deva" in name.lower() for name in devanagari) or (
        len(devanagari) < len("प्रियाशर्मा(कृष्ण)")
    )


def test_a_korean_name_prints_bold_in_the_header_bar_and_regular_in_the_table():
    reader = PdfReader(io.BytesIO(render(patient=PatientDetails(name=KOREAN, mrn="M-1"))))
    by_face = {name.split("+", 1)[-1]: glyphs for name, glyphs in _glyphs_drawn(reader).items()}
    assert len(by_face["NanumGothicBold"]) == len(by_face["NanumGothic"]) == len(KOREAN)
    assert ".notdef" not in by_face["NanumGothicBold"]
    assert KOREAN in reader.pages[0].extract_text()


def test_the_korean_bold_face_draws_every_letter_of_the_regular_one():
    regular, bold = (
        set(TTFont(font_path(name)).getBestCmap())
        for name in ("NanumGothic.ttf", "NanumGothicBold.ttf")
    )
    assert regular <= bold


def test_a_long_field_in_other_scripts_prints_in_them_in_the_appendix_too():
    history = ("Maternal aunt 김민정, प्रिया शर्मा's sister, สมหญิง: ovarian cancer. " * 40).strip()
    patient = PatientDetails(name="Test Patient", mrn="M-1", family_history=history)
    reader = PdfReader(io.BytesIO(render(patient=patient)))
    appendix = next(
        p for p in reader.pages if "Appendix: full values of long fields" in p.extract_text()
    )
    text = appendix.extract_text()
    assert "김민정" in text and "สมหญิง" in text
    assert "शमार्" in "".join(text.split())  # शर्मा shaped (reph), its letters kept
    fonts = {str(f.get_object()["/BaseFont"]) for f in appendix["/Resources"]["/Font"].values()}
    assert any("NanumGothic" in f for f in fonts) and any("NotoSansThai" in f for f in fonts)
