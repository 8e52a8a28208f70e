"""A two-column label/value table in Qt rich text (detail panel, About box)."""

from __future__ import annotations

from html import escape


def label_value_table(
    rows: list[tuple[str, str]], *, label_colour: str = "#555", gap: int = 10, padding: int = 1
) -> str:
    """``rows`` of (plain label, value already in HTML); labels muted and top-aligned."""
    cells = "".join(
        f"<tr><td style='color:{label_colour};padding-right:{gap}px;vertical-align:top'>"
        f"{escape(label)}</td><td>{value}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='0' cellpadding='{padding}'>{cells}</table>"
