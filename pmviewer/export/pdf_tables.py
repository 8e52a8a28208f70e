"""Table helpers of the PDF report: one look for every table (ruled rows, no grid)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pmviewer.export.pdf_styles import ACCENT, FONT, HEAD_FILL, RULE, ZEBRA, Styles, esc
from pmviewer.export.pdf_text import needs_shaping

Cell = Any  # str (escaped here) or a ready flowable


def para(text: object, style: Any, raw: bool = False) -> Any:
    """A paragraph of user text (escaped) or of trusted markup (``raw=True``)."""
    from reportlab.platypus import Paragraph

    markup = str(text) if raw else esc(text)
    return Paragraph(markup, shaped_style(style) if needs_shaping(markup) else style)


def shaped_style(style: Any) -> Any:
    """``style`` with HarfBuzz shaping on: only paragraphs holding Devanagari or Thai are
    shaped, so every other line keeps reportlab's plain, faster layout."""
    from reportlab.lib.styles import ParagraphStyle

    # reportlab's CJK line breaking (the appendix's mono style) skips shaping: break at spaces
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1, wordWrap=None)


SMALLEST_SHRINK = 0.72  # a cell's text may shrink to 72% (7.6 pt -> 5.5 pt), no further


def _fit_words(cell: Any, width: float) -> Any:
    """A paragraph whose longest word is wider than its column, set smaller so no word is
    broken ("dexlansoprazo-le", "Reference/Refer-ence"); beyond the smallest size the word
    breaks as before."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    if not isinstance(cell, Paragraph) or width <= 0:
        return cell
    longest = cell.minWidth()
    if longest <= width:
        return cell
    scale = max(width / longest, SMALLEST_SHRINK)
    style = cell.style
    smaller = ParagraphStyle(
        f"{style.name}-fit",
        parent=style,
        fontSize=style.fontSize * scale,
        leading=style.leading * scale,
    )
    return Paragraph(cell.text, smaller)


def _cell(value: Cell, style: Any) -> Any:
    if isinstance(value, str):
        return para(value, style)
    return value


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    styles: Styles,
    *,
    zebra: bool = True,
    extra_style: Sequence[tuple] = (),
) -> Any:
    """A long table that may break across pages, repeating its header row."""
    from reportlab.lib import colors
    from reportlab.platypus import LongTable

    data = [[para(h, styles.head_cell) for h in header]]
    data += [[_cell(v, styles.cell) for v in row] for row in rows]
    data = [[_fit_words(cell, width - 6) for cell, width in zip(row, widths, strict=False)]
            for row in data]  # fmt: skip
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEAD_FILL)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(ACCENT)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(RULE)),
    ]
    if zebra and len(rows) > 3:
        commands.append(
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(ZEBRA)])
        )
    commands.extend(extra_style)
    table = LongTable(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(commands)
    return table


def kv_table(
    pairs: Sequence[tuple[str, Cell]],
    widths: Sequence[float],
    styles: Styles,
    *,
    columns: int = 1,
) -> Any:
    """Label/value pairs laid out in ``columns`` column pairs (patient block, methods)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table

    cells = [(para(k, styles.label), _cell(v, styles.cell)) for k, v in pairs]
    rows = []
    for start in range(0, len(cells), columns):
        chunk = cells[start : start + columns]
        row: list[Any] = []
        for label, value in chunk:
            row.extend([label, value])
        row.extend([""] * (2 * columns - len(row)))
        rows.append(row)
    table = Table(rows, colWidths=list(widths) * columns, hAlign="LEFT")
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)),
        ]
    )
    return table


def bullets(items: Sequence[str], style: Any, *, raw: bool = False) -> Any:
    """A bulleted list of ``items`` in ``style``."""
    from reportlab.platypus import ListFlowable, ListItem

    return ListFlowable(
        [ListItem(para(i, style, raw=raw), leftIndent=10, value="•") for i in items],  # type: ignore[misc]
        bulletType="bullet",
        start="•",
        leftIndent=10,
        bulletFontName=FONT,
        bulletFontSize=7,
        bulletOffsetY=-0.5,
    )
