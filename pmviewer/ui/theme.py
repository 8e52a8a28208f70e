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


# quality-flagged rows: an amber tint behind every plain cell, with the warning mark
QUALITY_FLAG_BACKGROUND = "#fff1cc"
QUALITY_FLAG_TEXT = "#6b4700"


def quality_flag_background() -> QColor:
    return QColor(QUALITY_FLAG_BACKGROUND)


def apply_system_palette(app) -> None:
    """Follow the system's light or dark colour scheme (Qt 6.5+ reports it); the Fusion
    style draws a dark palette correctly on every platform."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QPalette

    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", lambda: Qt.ColorScheme.Unknown)()
    if scheme != Qt.ColorScheme.Dark:
        return
    app.setStyle("Fusion")
    palette = QPalette()
    dark, base, text = QColor("#2b2d30"), QColor("#1e1f22"), QColor("#e6e6e6")
    for role, colour in (
        (QPalette.ColorRole.Window, dark),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#26282b")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, dark),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, base),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Highlight, QColor("#3d6ea8")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a")),
    ):
        palette.setColor(role, colour)
    app.setPalette(palette)
