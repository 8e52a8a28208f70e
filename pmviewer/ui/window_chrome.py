"""What frames the window's content: the title bar text, the banners above every page
(synthetic demonstration data; one-off notices such as a knowledge file that was replaced)
and the remembered window layout (geometry, splitter, column layouts)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pmviewer.ui.settings import read_settings, write_settings

SYNTHETIC_TEXT = "SYNTHETIC DEMONSTRATION DATA — not a real patient"
SYNTHETIC_TAG = "SYNTHETIC DEMO"
# case status -> the words shown once a case is approved (a draft shows no status)
FINAL_STATUS = {"final": "Final (approved)", "amended": "Amended (approved)"}


def window_title(
    file_name: str = "",
    sample: str | None = None,
    status: str | None = None,
    synthetic: bool = False,
) -> str:
    """``pmviewer — [SYNTHETIC DEMO — ]file (sample)[ — Final (approved)]``."""
    parts = ["pmviewer"]
    if synthetic:
        parts.append(SYNTHETIC_TAG)
    if file_name:
        parts.append(f"{file_name} ({sample})" if sample else file_name)
    if status in FINAL_STATUS:
        parts.append(FINAL_STATUS[status])
    return " — ".join(parts)


def case_status(window) -> str | None:
    """The open case's status when it is approved and no amendment is open, else None."""
    case = getattr(getattr(window, "review", None), "case", None)
    if case is None:
        return None
    try:
        return None if case.amendment_open else case.status
    except Exception:  # noqa: BLE001 - a storage problem is reported by the review panel
        return None


def update_title(window) -> None:
    findings = window.result.analysis.findings if window.result is not None else None
    sample = (findings.sample if findings is not None else None) or window.sample
    window.setWindowTitle(
        window_title(
            Path(window.path).name if window.path else "",
            sample,
            case_status(window),
            window.synthetic,
        )
    )


def mark_input(window) -> None:
    """Label the file being opened: synthetic demonstration data gets the banner and the
    title tag (the bundled demo, or a header line ``##pmviewer_synthetic=true``)."""
    from pmviewer.export.report_model import is_synthetic_input

    window.synthetic = is_synthetic_input(window.path)
    window.banners.set_synthetic(window.synthetic)
    update_title(window)


class Banners(QWidget):
    """The banners shown above the window's pages; hidden when they have nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        self.synthetic = QLabel(SYNTHETIC_TEXT)
        self.synthetic.setObjectName("syntheticBanner")
        self.synthetic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.synthetic.setStyleSheet(
            "QLabel#syntheticBanner{background:#7a1f1f;color:white;font-weight:bold;"
            "font-size:15px;letter-spacing:1px;padding:6px;border-radius:3px}"
        )
        self.synthetic.setToolTip(
            "This file is the synthetic demonstration patient bundled with pmviewer (or a file "
            "marked ##pmviewer_synthetic=true). Its reports are labelled SYNTHETIC too."
        )
        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setStyleSheet(
            "QLabel#notice{background:#e8f0fb;border:1px solid #8fb0de;padding:4px;color:#1c3659}"
        )
        self.notice.linkActivated.connect(lambda _link: self.dismiss_notice())
        layout.addWidget(self.synthetic)
        layout.addWidget(self.notice)
        self.synthetic.setVisible(False)
        self.notice.setVisible(False)
        self.setVisible(False)

    def _refresh(self) -> None:
        self.setVisible(not (self.synthetic.isHidden() and self.notice.isHidden()))

    def set_synthetic(self, synthetic: bool) -> None:
        self.synthetic.setVisible(synthetic)
        self._refresh()

    def show_notice(self, text: str) -> None:
        """A one-off message (plain text) with a Dismiss link."""
        from html import escape

        self.notice.setText(f"<b>Note:</b> {escape(text)} &nbsp;<a href='dismiss'>Dismiss</a>")
        self.notice.setVisible(True)
        self._refresh()

    def dismiss_notice(self) -> None:
        self.notice.setVisible(False)
        self._refresh()

    def notice_text(self) -> str:
        return self.notice.text() if self.notice.isVisibleTo(self) else ""


def _restore(widget, encoded: str) -> bool:
    return bool(encoded) and widget.restoreState(QByteArray.fromBase64(encoded.encode()))


def _encoded(state: QByteArray) -> str:
    return bytes(state.toBase64().data()).decode()


def _fit_screen(window) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    room = screen.availableGeometry()
    width, height = min(window.width(), room.width()), min(window.height(), room.height() - 30)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        window.move(room.topLeft())


def restore_window_geometry(window) -> None:
    """Geometry and dock/toolbar state as last closed (fitted to the screen)."""
    values = read_settings()
    geometry = values["window_geometry"]
    if not (geometry and window.restoreGeometry(QByteArray.fromBase64(geometry.encode()))):
        window.resize(1400, 860)
    _fit_screen(window)  # 150 % scaling or a smaller screen: never larger than the screen
    _restore(window, values["window_state"])


def restore_splitter(window) -> None:
    """The table/detail splitter as last closed (once the review page exists)."""
    if not _restore(window.splitter, read_settings("splitter_state")):
        width = max(window.width(), 900)
        window.splitter.setSizes([int(width * 0.62), int(width * 0.38)])


def save_window_layout(window, column_layout: dict[str, str]) -> None:
    """Remember the window's layout (``column_layout``: header state per kind of view)."""
    write_settings(
        window_geometry=_encoded(window.saveGeometry()),
        window_state=_encoded(window.saveState()),
        splitter_state=_encoded(window.splitter.saveState()),
        column_layout=column_layout,
    )
