"""Status-bar widgets for a running load: progress bar, elapsed time and Cancel."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class LoadStatus(QWidget):
    """Shown while work runs; :attr:`cancel_requested` fires when Cancel is clicked."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # "Reading <file name>…"
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(220)
        self.bar.setMaximumWidth(320)
        self.bar.setTextVisible(True)
        self.elapsed_label = QLabel("0:00")
        self.elapsed_label.setToolTip("Time since loading started")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop loading; nothing is changed")
        self.cancel_button.clicked.connect(self.cancel_requested)
        for widget in (self.label, self.bar, self.elapsed_label, self.cancel_button):
            layout.addWidget(widget)
        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._show_elapsed)
        self.setVisible(False)

    def begin(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(True)
        self._clock.start()
        self._show_elapsed()
        self._tick.start()
        self.setVisible(True)

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)

    def end(self) -> float:
        """Hide; returns the elapsed seconds."""
        self._tick.stop()
        seconds = self._clock.elapsed() / 1000 if self._clock.isValid() else 0.0
        self.setVisible(False)
        return seconds

    def elapsed_text(self) -> str:
        return self.elapsed_label.text()

    def _show_elapsed(self) -> None:
        seconds = int(self._clock.elapsed() / 1000) if self._clock.isValid() else 0
        self.elapsed_label.setText(f"{seconds // 60}:{seconds % 60:02d}")
