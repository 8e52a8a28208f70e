"""Colours and labels for finding categories. Colour always comes with the text label."""

from __future__ import annotations

from PySide6.QtGui import QColor

from pmviewer.core.model import CATEGORY_LABELS

__all__ = ["CATEGORY_LABELS", "category_background", "category_foreground", "category_label"]

# (background, text) pairs chosen for contrast with dark text on a light table
_CATEGORY_COLOURS = {
    "reportable": ("#f8d0cc", "#7a1a12"),
    "carrier": ("#fde7b8", "#6b4700"),
    "uncertain": ("#d6e4f5", "#1d3f6b"),
    "pgx": ("#e3d7f3", "#4b2a78"),
    "other": ("#e6e6e6", "#333333"),
}


def category_label(category: str | None) -> str:
    if not category:
        return ""
    return CATEGORY_LABELS.get(str(category), str(category).capitalize())


def category_background(category: str | None) -> QColor | None:
    pair = _CATEGORY_COLOURS.get(str(category)) if category else None
    return QColor(pair[0]) if pair else None


def category_foreground(category: str | None) -> QColor | None:
    pair = _CATEGORY_COLOURS.get(str(category)) if category else None
    return QColor(pair[1]) if pair else None


def category_hex(category: str | None) -> tuple[str, str]:
    """(background, text) colours as ``#rrggbb`` for HTML (detail panel)."""
    return _CATEGORY_COLOURS.get(str(category), ("#ffffff", "#000000"))
