"""Render a :class:`~pmviewer.export.report_model.ReportModel` to PDF bytes.

``build_report`` is pure: the same model gives the same bytes. The document is built in
reportlab's invariant mode and its creation date is the model's ``generated_at``, so a
report re-printed for an audit is byte-identical to the original.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from pmviewer.export import pdf_pgx
from pmviewer.export import pdf_sections as sections
from pmviewer.export.pdf_overflow import appendix_story, collecting
from pmviewer.export.pdf_page import (
    BOTTOM_MARGIN,
    SIDE_MARGIN,
    TOP_MARGIN,
    canvas_maker,
)
from pmviewer.export.pdf_styles import make_styles, missing_glyphs
from pmviewer.export.pdf_therapy import therapy_section
from pmviewer.export.report_id import report_id
from pmviewer.export.report_model import ReportModel

FRAME_PADDING = 6  # reportlab Frame default padding, points


def model_texts(value: object) -> Iterator[str]:
    """Every text of the model (patient, lab, findings, comments...)."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from model_texts(getattr(value, f.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from model_texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from model_texts(item)


def unprintable_characters(model: ReportModel) -> list[str]:
    """Characters in the model that the report font cannot draw (CJK, Devanagari, Thai...)."""
    return missing_glyphs(model_texts(model))


def _story(model: ReportModel, width: float) -> list[Any]:
    s = make_styles()
    story: list[Any] = []
    story += sections.banners(model, s, width)
    missing = unprintable_characters(model)
    if missing:
        story += sections.glyph_warning(missing, s, width)
    story += sections.summary(model, s, width)
    story += sections.patient(model, s, width)
    story += sections.findings_section(model, "reportable", s, width)
    for name, wanted in (
        ("carrier", model.include_carrier),
        ("uncertain", model.include_uncertain),
        ("additional", False),
    ):
        if wanted or model.section(name):
            story += sections.findings_section(model, name, s, width)
    story += therapy_section(model, s, width)
    story += pdf_pgx.pgx_pages(model, s, width)
    story += sections.methods_section(model, s, width)
    story += sections.signoff_section(model, s, width)
    story += pdf_pgx.pgx_appendix(model, s, width)
    return story


def _story_with_appendix(model: ReportModel, width: float) -> list[Any]:
    """The story, plus the appendix of values too long for their cells (:mod:`.pdf_overflow`)."""
    with collecting() as cut:
        story = _story(model, width)
        story += appendix_story(cut, make_styles())
    return [*story, *sections.end_of_report(make_styles())]


def build_report(model: ReportModel) -> bytes:
    """The clinical PDF of ``model``, as bytes."""
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    pagesize = letter if model.page_size.lower() == "letter" else A4
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        # the frame pads 6 pt on each side: content then lines up with the header
        leftMargin=SIDE_MARGIN - FRAME_PADDING,
        rightMargin=SIDE_MARGIN - FRAME_PADDING,
        topMargin=TOP_MARGIN - FRAME_PADDING,
        bottomMargin=BOTTOM_MARGIN - FRAME_PADDING,
        title=f"{model.title} · {report_id(model)}",  # no patient name in metadata
        author=model.lab.name or "pmviewer",
        subject=f"{model.status} report",
        creator=f"pmviewer {model.methods.software_version}".strip(),
        producer="pmviewer",
        invariant=1,  # no random file ID or wall-clock dates: bytes depend on the model only
        lang="en",
    )
    doc.build(
        _story_with_appendix(model, doc.width),
        canvasmaker=canvas_maker(model),  # type: ignore[arg-type]
    )
    return buffer.getvalue()
