"""The gene list / panel filter: paste gene symbols or load a panel file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.table_query import parse_gene_list

PANEL_FILTER = "Gene lists (*.txt *.tsv *.csv *.bed *.list);;All files (*)"
MAX_PANEL_BYTES = 5_000_000  # a gene list, not a genome


class GenePanelDialog(QDialog):
    """Edit the gene list; :attr:`genes` is the parsed list after ``accept()`` (empty tuple:
    the panel filter is cleared)."""

    def __init__(self, genes: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Gene list filter")
        self.genes: tuple[str, ...] = tuple(genes)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Show only variants in these genes. Paste gene symbols (one per line, or separated "
            "by commas or spaces) or load a panel file."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.editor = QPlainTextEdit("\n".join(genes))
        self.editor.setAccessibleName("Gene symbols")
        self.editor.setPlaceholderText("BRCA1\nBRCA2\nPALB2")
        self.editor.textChanged.connect(self._count)
        layout.addWidget(self.editor, 1)
        self.count = QLabel("")
        layout.addWidget(self.count)
        self.load_button = QPushButton("Load a list…")
        self.load_button.clicked.connect(self.load_file)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#9b1c1c")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(self.load_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.clear_button = buttons.addButton("Clear", QDialogButtonBox.ButtonRole.ResetRole)
        self.clear_button.clicked.connect(lambda: self.editor.setPlainText(""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, 420)
        self._count()

    def _count(self) -> None:
        n = len(parse_gene_list(self.editor.toPlainText()))
        self.count.setText(f"{n} gene(s)" if n else "No genes: every variant is shown.")

    def load_text(self, path: str) -> bool:
        """Read a panel file into the editor; a file that is no gene list is refused."""
        target = Path(path)
        try:
            if target.stat().st_size > MAX_PANEL_BYTES:
                self.error.setText(
                    f"{target.name} is too large to be a gene list. Choose a text file with one "
                    "gene symbol per line."
                )
                return False
            text = target.read_text(encoding="utf-8-sig", errors="replace")
        except OSError as error:
            self.error.setText(f"{target.name} could not be read: {error.strerror or error}.")
            return False
        if not parse_gene_list(text):
            self.error.setText(f"{target.name} lists no gene symbols.")
            return False
        self.error.setText("")
        self.editor.setPlainText(text)
        return True

    def load_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a gene list", "", PANEL_FILTER)
        if path:
            self.load_text(path)

    def accept(self) -> None:
        self.genes = parse_gene_list(self.editor.toPlainText())
        super().accept()
