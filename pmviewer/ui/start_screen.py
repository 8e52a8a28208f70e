"""The first page of the window: open the demo patient, a recent file, or drop a file here.

While a file opens, the page says which one, so the window never shows one patient's rows
under another patient's name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pmviewer.ui import recent_files


class StartScreen(QWidget):
    """Signals: :attr:`open_requested` (path), :attr:`choose_requested`, :attr:`demo_requested`."""

    open_requested = Signal(str)
    choose_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("startScreen")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QVBoxLayout()
        title = QLabel("<h2>pmviewer</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        self.status = QLabel("")
        self.status.setObjectName("openingFile")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setVisible(False)
        box.addWidget(self.status)
        buttons = QHBoxLayout()
        self.demo_button = QPushButton("Open the demo patient")
        self.demo_button.setObjectName("openDemo")
        self.demo_button.setToolTip("A synthetic patient bundled with pmviewer, to try everything")
        self.demo_button.clicked.connect(self.demo_requested)
        self.open_button = QPushButton("Open a VCF file…")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.choose_requested)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.drop_zone = QLabel("Drop a .vcf, .vcf.gz or .bcf file here")
        self.drop_zone.setObjectName("dropZone")
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setFrameShape(QFrame.Shape.StyledPanel)
        self.drop_zone.setMinimumHeight(90)
        self.drop_zone.setStyleSheet("QLabel#dropZone{border:2px dashed #8a94a0;color:#5b6770}")
        box.addWidget(self.drop_zone)
        self.recent_label = QLabel("Recent files")
        box.addWidget(self.recent_label)
        self.recent = QListWidget()
        self.recent.setObjectName("recentFiles")
        self.recent.setMaximumHeight(140)
        self.recent.itemActivated.connect(lambda item: self.open_requested.emit(item.data(256)))
        box.addWidget(self.recent)
        note = QLabel(
            "Everything stays on this computer: pmviewer never uses the network. "
            "Recent files are listed only if you turn on File ▸ Remember recent files."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#5b6770")
        box.addWidget(note)
        holder = QWidget()
        holder.setLayout(box)
        holder.setMaximumWidth(560)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(holder, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.refresh()

    def refresh(self) -> None:
        """List the remembered files (paths only; none unless the user opted in)."""
        self.recent.clear()
        paths = recent_files.recent_files() if recent_files.enabled() else []
        for path in paths:
            item = QListWidgetItem(Path(path).name)
            item.setToolTip(path)
            item.setData(256, path)  # Qt.ItemDataRole.UserRole
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.recent_label.setVisible(bool(paths))

    def show_opening(self, path: str | None) -> None:
        """Say which file is being opened (``None``: back to the plain start page)."""
        self.status.setText(f"Opening {Path(path).name}…" if path else "")
        self.status.setVisible(bool(path))
        self.refresh()
