"""The bar above the table: view tabs with counts, quick filter and the filter choices."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.model import CATEGORY_LABELS
from pmviewer.core.table_query import TableFilter

FINDING_VIEWS = ("reportable", "carrier", "uncertain")  # views of the findings frame

# view key -> tab title; findings views filter the findings frame by category
VIEWS = {
    **{c: CATEGORY_LABELS[c] for c in FINDING_VIEWS},
    "pgx": "Pharmacogenomics",
    "all": "All variants",
}

QUALITY_ITEMS = [("Any FILTER", "any"), ("PASS only", "pass"), ("Failed FILTER", "fail")]
ZYGOSITY_ITEMS = [
    ("Any zygosity", "any"),
    ("Heterozygous", "het"),
    ("Homozygous", "hom"),
    ("Hemizygous", "hemi"),
]
CONSEQUENCE_ITEMS = [
    ("Any consequence", "any"),
    ("High impact", "impact:HIGH"),
    ("High or moderate impact", "impact:HIGH+MODERATE"),
]


class FilterBar(QWidget):
    """Emits :attr:`view_changed` with a view key and :attr:`filter_changed` with a
    :class:`~pmviewer.core.table_query.TableFilter` (quick-filter typing is debounced)."""

    view_changed = Signal(str)
    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.tabs = QTabBar()
        self.tabs.setObjectName("viewTabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self._keys = list(VIEWS)
        for key in self._keys:
            self.tabs.addTab(VIEWS[key])
        self.tabs.currentChanged.connect(lambda i: self.view_changed.emit(self._keys[i]))
        layout.addWidget(self.tabs)

        row = QHBoxLayout()
        row.setSpacing(6)
        self.quick = QLineEdit()
        self.quick.setObjectName("quickFilter")
        self.quick.setClearButtonEnabled(True)
        self.quick.setPlaceholderText(
            "Filter: gene, HGVS, rsID, chr17:43,044,295 or chr17:43,000,000-43,100,000  (Ctrl+F)"
        )
        self.quick.setAccessibleName("Quick filter")
        row.addWidget(self.quick, 3)
        self.quality = self._combo(QUALITY_ITEMS, "FILTER / quality")
        self.zygosity = self._combo(ZYGOSITY_ITEMS, "Zygosity")
        self.consequence = self._combo(CONSEQUENCE_ITEMS, "Consequence")
        for combo in (self.quality, self.zygosity, self.consequence):
            row.addWidget(combo, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("rowCount")
        self.count_label.setMinimumWidth(150)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.count_label)
        layout.addLayout(row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._emit_filter)
        self.quick.textChanged.connect(lambda _t: self._debounce.start())
        self.quick.returnPressed.connect(self._emit_filter)

    def _combo(self, items: list[tuple[str, str]], name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        for label, value in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _i: self._emit_filter())
        return combo

    # ---------------------------------------------------------------- state
    @property
    def view(self) -> str:
        return self._keys[self.tabs.currentIndex()]

    def set_view(self, key: str) -> None:
        self.tabs.setCurrentIndex(self._keys.index(key))

    def set_variant_filters_enabled(self, enabled: bool) -> None:
        """FILTER, zygosity and consequence apply to variant rows, not to PGx gene rows."""
        for combo in (self.quality, self.zygosity, self.consequence):
            combo.setEnabled(enabled)

    def set_counts(self, counts: dict[str, int | None]) -> None:
        """Tab titles with counts; ``None`` means still loading."""
        for i, key in enumerate(self._keys):
            count = counts.get(key)
            suffix = " (…)" if count is None else f" ({count:,})"
            self.tabs.setTabText(i, VIEWS[key] + suffix)

    def set_consequences(self, terms: list[tuple[str, int]]) -> None:
        """Offer the SO terms present in the current frame (most common first)."""
        current = self.consequence.currentData()
        self.consequence.blockSignals(True)
        self.consequence.clear()
        for label, value in CONSEQUENCE_ITEMS:
            self.consequence.addItem(label, value)
        for term, count in terms[:40]:
            self.consequence.addItem(f"{term.replace('_', ' ')} ({count:,})", term)
        found = self.consequence.findData(current)
        self.consequence.setCurrentIndex(max(found, 0))
        self.consequence.blockSignals(False)

    def table_filter(self) -> TableFilter:
        if not self.quality.isEnabled():
            return TableFilter(text=self.quick.text())
        return TableFilter(
            text=self.quick.text(),
            quality=self.quality.currentData() or "any",
            zygosity=self.zygosity.currentData() or "any",
            consequence=self.consequence.currentData() or "any",
        )

    def _emit_filter(self) -> None:
        self._debounce.stop()
        self.filter_changed.emit(self.table_filter())

    def flush(self) -> None:
        """Apply a pending quick-filter edit now."""
        if self._debounce.isActive():
            self._emit_filter()
