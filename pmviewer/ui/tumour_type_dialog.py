"""A searchable chooser of the patient's tumour type (Disease Ontology terms)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.oncology import TumourType
from pmviewer.ui.dialog_parts import accept_buttons, text_label

MAX_SHOWN = 400  # the list stays responsive; typing narrows it


class TumourTypeDialog(QDialog):
    """Type part of a name ("lung adeno") or a DOID; ``tumour_type`` is the choice."""

    def __init__(self, types: list[TumourType], parent: QWidget | None = None, initial: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Choose the tumour type")
        self.resize(560, 520)
        self._types = types
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            "Evidence is tiered for the patient's tumour type; evidence stated for a broader "
            "type (for example non-small cell lung carcinoma for a lung adenocarcinoma) applies "
            "too. Types CIViC has evidence for are listed first."
        ))  # fmt: skip
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Search by name or DOID, e.g. lung adenocarcinoma or DOID:3910"
        )
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        self.buttons = accept_buttons(self, ok_text="Use this tumour type")
        layout.addWidget(self.buttons)
        self.search.setText(initial)
        self._filter(initial)

    def _filter(self, text: str) -> None:
        phrase = text.strip().lower()
        words = [w for w in phrase.replace(":", " ").split() if w]
        self.list.clear()
        found = []
        for rank, t in enumerate(self._types):
            haystack = f"{t.name} {t.doid.lower()} {t.doid.split(':')[-1]}".lower()
            if all(w in haystack for w in words):
                # the typed phrase itself first, then names starting with it, then list order
                found.append(
                    (phrase not in t.name.lower(), not t.name.lower().startswith(phrase), rank, t)
                )
        for *_, t in sorted(found, key=lambda x: x[:3])[:MAX_SHOWN]:
            item = QListWidgetItem(f"{t.name}  ({t.doid})")
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    @property
    def tumour_type(self) -> TumourType | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None
