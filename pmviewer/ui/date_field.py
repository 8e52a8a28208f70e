"""A date field: type the date as this computer's locale writes it (or ISO), or pick it from
a calendar. The value is kept as ISO ``YYYY-MM-DD``, which the case stores."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

ISO = "yyyy-MM-dd"


def parse_date(text: str, locale: QLocale | None = None) -> QDate | None:
    """ISO, then the locale's short and long formats, then day/month/year with any of
    ``/ . -``. None when ``text`` is no date."""
    text = text.strip()
    if not text:
        return None
    locale = locale or QLocale()
    formats = [ISO, locale.dateFormat(QLocale.FormatType.ShortFormat),
               locale.dateFormat(QLocale.FormatType.LongFormat)]  # fmt: skip
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yy" in short and "yyyy" not in short:
        formats.append(short.replace("yy", "yyyy"))  # 4-digit years in a 2-digit locale
    for fmt in formats:
        date = locale.toDate(text, fmt) if fmt != ISO else QDate.fromString(text, ISO)
        if date.isValid():
            return date
    return None


def calendar_icon(ink: QColor, size: int = 16) -> QIcon:
    """A small calendar drawn in ``ink`` at 1x, 2x and 3x (sharp at 150% and HiDPI; the
    "📅" emoji it replaces printed as a box where the system has no emoji font)."""
    icon = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ink, 1.2))
        painter.drawRoundedRect(QRectF(2, 3, size - 4, size - 5), 1.5, 1.5)
        painter.fillRect(QRectF(2, 3, size - 4, 3), ink)  # the header band
        for x in (5, 8, 11):  # a row of days
            for y in (8.5, 11.5):
                painter.fillRect(QRectF(x, y, 1.6, 1.6), ink)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class DateField(QWidget):
    """Looks like a line edit (``text()``, ``setText()``, ``textChanged``) with a calendar
    button; a date typed in the locale's format becomes ISO when the field is left."""

    textChanged = Signal(str)

    def __init__(self, value: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit(value)
        example = QLocale().toString(QDate(1980, 4, 12), QLocale.FormatType.ShortFormat)
        self.line.setPlaceholderText(f"YYYY-MM-DD or {example}")
        self.line.textChanged.connect(self.textChanged)
        self.line.editingFinished.connect(self.normalise)
        layout.addWidget(self.line, 1)
        self.button = QToolButton()
        self.button.setIcon(calendar_icon(self.palette().color(self.foregroundRole())))
        self.button.setToolTip("Pick the date from a calendar")
        self.button.setAccessibleName("Pick a date")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self.pick)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._show_current)
        self.button.setMenu(menu)
        layout.addWidget(self.button)

    def text(self) -> str:
        return self.line.text()

    def setText(self, value: str) -> None:  # noqa: N802 - QLineEdit's name
        self.line.setText(value)

    def setStyleSheet(self, style: str) -> None:  # noqa: N802 - the error tint goes on the line
        self.line.setStyleSheet(style)

    def styleSheet(self) -> str:  # noqa: N802
        return self.line.styleSheet()

    def setToolTip(self, tip: str) -> None:  # noqa: N802
        self.line.setToolTip(tip)

    def toolTip(self) -> str:  # noqa: N802
        return self.line.toolTip()

    def normalise(self) -> None:
        """A date typed in the locale's format is rewritten as ISO (text that is no date
        stays as typed, and the form says what is wrong)."""
        date = parse_date(self.line.text())
        if date is not None and self.line.text().strip() != date.toString(ISO):
            self.line.setText(date.toString(ISO))

    def _show_current(self) -> None:
        date = parse_date(self.line.text())
        if date is not None:
            self.calendar.setSelectedDate(date)

    def pick(self, date: QDate) -> None:
        self.line.setText(date.toString(ISO))
        self.button.menu().hide()
