"""The report's bundled faces for Chinese, Japanese, Korean, Hindi and Thai, offered to Qt
too: a name typed in those scripts then shows in the window as it will print, also on a
machine whose system has no such fonts (where Qt would draw boxes)."""

from __future__ import annotations

_registered = False


def register_script_fonts() -> None:
    """Add the bundled fallback faces to Qt's font database once (Qt's fallback uses them)."""
    global _registered
    if _registered:
        return
    from PySide6.QtGui import QFontDatabase

    from pmviewer.core.resources import font_path
    from pmviewer.export.pdf_text import FALLBACKS

    for fallback in FALLBACKS:
        QFontDatabase.addApplicationFont(str(font_path(fallback.file)))
    _registered = True
