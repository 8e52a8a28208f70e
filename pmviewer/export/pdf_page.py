"""Page furniture: the header and footer on every page, with "Page x of y".

The total page count is only known at the end, so the canvas keeps each page's drawing
state and paints the furniture of all pages when the document is saved (the standard
two-pass "numbered canvas" pattern of reportlab).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pmviewer.core.wording import readable_date, readable_datetime
from pmviewer.export.pdf_styles import (
    ACCENT,
    DRAFT,
    FONT,
    FONT_BOLD,
    HEAD_FILL,
    INK,
    MUTED,
    NEGATIVE,
    RULE,
    SYNTHETIC,
)
from pmviewer.export.pdf_text import draw_string, string_width
from pmviewer.export.report_model import ReportModel

_VIRAMA = "\u094d"  # Devanagari sign virama: joins the consonants around it
_JOINERS = "\u200c\u200d"
MM = 72 / 25.4
SIDE_MARGIN = 16 * MM
TOP_MARGIN = 37 * MM  # room for the header
BOTTOM_MARGIN = 16 * MM
STATUS_COLOURS = {"draft": DRAFT, "final": NEGATIVE, "amended": ACCENT}


def fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so that it fits ``width`` points."""
    text = text.replace("\n", " ")
    if len(text) > 400:  # no line on a page holds more: keep the search below short
        text = text[:400]
    elif string_width(text, font, size) <= width:
        return text
    while text and string_width(text + "…", font, size) > width:
        text = _without_last_cluster(text)
    return text + "…"


def _without_last_cluster(text: str) -> str:
    """``text`` less its last letter with the marks on it: a Hindi or Thai name is never cut
    between a consonant and its vowel sign or virama (a dangling mark prints on a circle)."""
    end = len(text) - 1
    while end > 0 and (unicodedata.category(text[end])[0] == "M" or text[end] in _JOINERS):
        end -= 1
    # a consonant after a virama belongs to the same conjunct (क्ष): drop the whole of it
    while end > 1 and text[end - 1] == _VIRAMA:
        end -= 2
        while end > 0 and unicodedata.category(text[end])[0] == "M":
            end -= 1
    return text[:end]


def pdf_date(model: ReportModel) -> str:
    """The report time in PDF date syntax, for CreationDate/ModDate."""
    t = model.generated_at
    offset = t.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"D:{t:%Y%m%d%H%M%S}{sign}{hh:02d}'{mm:02d}'"


def _status_badge(canvas: Any, model: ReportModel, right: float, y: float) -> None:
    from reportlab.lib import colors

    label = model.status.upper()
    if model.synthetic:
        label = f"SYNTHETIC · {label}"
    width = canvas.stringWidth(label, FONT_BOLD, 8) + 10
    canvas.setFillColor(
        colors.HexColor(SYNTHETIC if model.synthetic else STATUS_COLOURS[model.status])
    )
    canvas.roundRect(right - width, y - 3, width, 13, 2, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(FONT_BOLD, 8)
    canvas.drawRightString(right - 5, y + 1, label)


def _watermark(canvas: Any, model: ReportModel, page_w: float, page_h: float) -> None:
    from reportlab.lib import colors

    words = []
    if model.synthetic:
        words.append("SYNTHETIC DATA · NOT A REAL PATIENT")
    if model.status == "draft":
        words.append("DRAFT · NOT FOR CLINICAL USE")
    if not words:
        return
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(SYNTHETIC if model.synthetic else DRAFT))
    canvas.setFillAlpha(0.07)
    canvas.translate(page_w / 2, page_h / 2)
    canvas.rotate(50)
    for i, text in enumerate(words):
        canvas.setFont(FONT_BOLD, 30 if len(text) > 20 else 44)
        canvas.drawCentredString(0, 20 - i * 44, text)
    canvas.restoreState()


def draw_furniture(canvas: Any, model: ReportModel, page: int, pages: int) -> None:
    """Header (lab, title, patient identifiers, status, page x of y) and footer."""
    from reportlab.lib import colors

    page_w, page_h = canvas._pagesize
    left, right = SIDE_MARGIN, page_w - SIDE_MARGIN
    width = right - left
    canvas.saveState()
    _watermark(canvas, model, page_w, page_h)

    lab = model.lab
    y = page_h - 12 * MM
    canvas.setFillColor(colors.HexColor(INK))
    canvas.setFont(FONT_BOLD, 10.5)
    lab_name = lab.name or "Laboratory name not set"
    draw_string(canvas, left, y, fit(lab_name, FONT_BOLD, 10.5, width * 0.62), FONT_BOLD, 10.5)
    _status_badge(canvas, model, right, y)
    canvas.setFont(FONT, 7.2)
    canvas.setFillColor(colors.HexColor(MUTED))
    contact = " · ".join(x for x in (lab.address.replace("\n", ", "), lab.phone) if x)
    draw_string(canvas, left, y - 10, fit(contact, FONT, 7.2, width * 0.7), FONT, 7.2)
    accreditation = " · ".join(
        x for x in (lab.accreditation, lab.director and f"Director: {lab.director}") if x
    )
    draw_string(canvas, left, y - 19, fit(accreditation, FONT, 7.2, width * 0.7), FONT, 7.2)
    canvas.setFont(FONT, 7.6)
    canvas.drawRightString(right, y - 10, f"Page {page} of {pages}")
    from pmviewer.export.report_id import report_id

    # on every page: the ID an amendment uses to name the report it replaces
    canvas.setFont(FONT, 7.2)
    canvas.drawRightString(right, y - 19, f"Report {report_id(model)}")

    y -= 32
    canvas.setFillColor(colors.HexColor(ACCENT))
    canvas.setFont(FONT_BOLD, 9.6)
    canvas.drawString(left, y, fit(model.title, FONT_BOLD, 9.6, width))

    # Patient identification bar
    bar_h = 15
    y -= 7 + bar_h
    canvas.setFillColor(colors.HexColor(HEAD_FILL))
    canvas.rect(left, y, width, bar_h, stroke=0, fill=1)
    p = model.patient
    fields = [
        ("Patient", p.name or "—"),
        ("DOB", readable_date(p.date_of_birth) or "—"),
        ("MRN", p.mrn or "—"),
        ("Accession", p.second_identifier or "—"),
    ]
    # identifiers keep their natural width (up to 30% each); the name gets the rest
    natural = [
        canvas.stringWidth(label.upper(), FONT, 6.6) + string_width(value, FONT_BOLD, 8) + 16
        for label, value in fields
    ]
    spans = [min(n, width * 0.30) for n in natural[1:]]
    spans.insert(0, width - sum(spans))
    x = left + 4
    for (label, value), span in zip(fields, spans, strict=True):
        canvas.setFont(FONT, 6.6)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(x, y + 5, label.upper())
        lw = canvas.stringWidth(label.upper(), FONT, 6.6) + 4
        canvas.setFillColor(colors.HexColor(INK))
        draw_string(canvas, x + lw, y + 4.6, fit(value, FONT_BOLD, 8, span - lw - 10), FONT_BOLD, 8)
        x += span
    canvas.setStrokeColor(colors.HexColor(ACCENT))
    canvas.setLineWidth(0.8)
    canvas.line(left, y, right, y)

    # Footer
    fy = BOTTOM_MARGIN - 7 * MM
    canvas.setStrokeColor(colors.HexColor(RULE))
    canvas.setLineWidth(0.4)
    canvas.line(left, fy + 9, right, fy + 9)
    canvas.setFont(FONT, 6.6)
    canvas.setFillColor(colors.HexColor(MUTED))
    stamp = readable_datetime(model.generated_at)
    footer = (
        f"Generated {stamp} by pmviewer {model.methods.software_version} · "
        "Confidential health information"
    )
    if model.synthetic:
        footer = "SYNTHETIC data, not a real patient · " + footer
    page_label = f"Page {page} of {pages}"
    room = width - canvas.stringWidth(page_label, FONT, 6.6) - 12
    canvas.drawString(left, fy, fit(footer, FONT, 6.6, room))
    canvas.drawRightString(right, fy, page_label)
    canvas.restoreState()


def canvas_maker(model: ReportModel) -> type:
    """A Canvas class that paints the furniture once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.setDateFormatter(lambda *_: pdf_date(model))

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's private page reset

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_furniture(self, model, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
