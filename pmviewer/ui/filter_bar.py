"""The bar above the table: view tabs with counts, quick filter and the filter choices."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pmviewer.core.model import CATEGORY_LABELS
from pmviewer.core.table_query import TableFilter
from pmviewer.ui.settings import read_settings, write_settings

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
        # the gene list / panel filter and "filter by this value" choices from the table
        self.genes: tuple[str, ...] | None = None
        self.equals: tuple[tuple[str, str], ...] = ()
        self.panel_button = QPushButton("Gene list…")
        self.panel_button.setObjectName("genePanelButton")
        self.panel_button.setToolTip("Show only variants in a list of genes (paste or load)")
        self.panel_button.clicked.connect(self.edit_genes)
        row.addWidget(self.panel_button)
        self.presets_button = QToolButton()
        self.presets_button.setText("Presets")
        self.presets_button.setToolTip("Save the current filter under a name, or apply a saved one")
        self.presets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.presets_menu = QMenu(self.presets_button)
        self.presets_menu.aboutToShow.connect(self._fill_presets)
        self.presets_button.setMenu(self.presets_menu)
        row.addWidget(self.presets_button)
        self.value_label = QPushButton("")
        self.value_label.setObjectName("valueFilter")
        self.value_label.setToolTip("Filters chosen from the table; click to remove them")
        self.value_label.setVisible(False)
        self.value_label.clicked.connect(self.clear_values)
        row.addWidget(self.value_label)
        self.count_label = QLabel("")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setObjectName("rowCount")
        self.count_label.setMinimumWidth(90)
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
        # shrink with the window (150 % scaling, small screens); the list shows full labels
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(7)
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
            return TableFilter(text=self.quick.text(), genes=self.genes)
        return TableFilter(
            text=self.quick.text(),
            quality=self.quality.currentData() or "any",
            zygosity=self.zygosity.currentData() or "any",
            consequence=self.consequence.currentData() or "any",
            genes=self.genes,
            equals=self.equals,
        )

    # ---------------------------------------------------------------- gene list, values
    def set_genes(self, genes: tuple[str, ...] | None) -> None:
        """Keep only variants of these genes (``None`` or empty: every gene)."""
        self.genes = tuple(genes) if genes else None
        n = len(self.genes or ())
        self.panel_button.setText(f"Gene list ({n})" if n else "Gene list…")
        self._emit_filter()

    def edit_genes(self) -> None:
        from pmviewer.ui.gene_panel_dialog import GenePanelDialog

        dialog = GenePanelDialog(self.genes or (), self)
        dialog.accepted.connect(lambda: self.set_genes(dialog.genes))
        self.dialog = dialog
        dialog.open()

    def add_value(self, column: str, title: str, value: str) -> None:
        """Keep only rows whose ``column`` is ``value`` (the table's "Filter by this value")."""
        self.equals = tuple(p for p in self.equals if p[0] != column) + ((column, value),)
        self._value_titles = {**getattr(self, "_value_titles", {}), column: title}
        self._show_values()
        self._emit_filter()

    def clear_values(self) -> None:
        self.equals = ()
        self._show_values()
        self._emit_filter()

    def _show_values(self) -> None:
        titles = getattr(self, "_value_titles", {})
        text = "; ".join(f"{titles.get(c, c)} = {v}" for c, v in self.equals)
        self.value_label.setText(f"{text}  ✕" if text else "")
        self.value_label.setVisible(bool(text))

    # ---------------------------------------------------------------- presets
    def preset(self) -> dict:
        """The current filter choices as a preset (no view, no patient data)."""
        return {
            "text": self.quick.text(),
            "quality": self.quality.currentData() or "any",
            "zygosity": self.zygosity.currentData() or "any",
            "consequence": self.consequence.currentData() or "any",
            "genes": list(self.genes or ()),
        }

    def apply_preset(self, preset: dict) -> None:
        for combo, key in ((self.quality, "quality"), (self.zygosity, "zygosity"),
                           (self.consequence, "consequence")):  # fmt: skip
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(preset.get(key, "any")), 0))
            combo.blockSignals(False)
        self.quick.blockSignals(True)
        self.quick.setText(str(preset.get("text", "")))
        self.quick.blockSignals(False)
        self.set_genes(tuple(preset.get("genes") or ()) or None)

    def save_preset(self, name: str) -> None:
        presets = dict(read_settings("filter_presets"))
        presets[name] = self.preset()
        write_settings(filter_presets=presets)

    def delete_preset(self, name: str) -> None:
        presets = dict(read_settings("filter_presets"))
        presets.pop(name, None)
        write_settings(filter_presets=presets)

    def _ask_preset_name(self) -> None:
        name, ok = QInputDialog.getText(self, "Save filter preset", "Name of this filter:")
        if ok and name.strip():
            self.save_preset(name.strip())

    def _fill_presets(self) -> None:
        menu = self.presets_menu
        menu.clear()
        presets = read_settings("filter_presets")
        for name in sorted(presets):
            action = menu.addAction(name)
            action.triggered.connect(lambda _c=False, n=name: self.apply_preset(presets[n]))
        if not presets:
            menu.addAction("No saved presets").setEnabled(False)
        menu.addSeparator()
        menu.addAction("Save current filter…").triggered.connect(self._ask_preset_name)
        if presets:
            delete = menu.addMenu("Delete")
            for name in sorted(presets):
                delete.addAction(name).triggered.connect(
                    lambda _c=False, n=name: self.delete_preset(n)
                )

    def _emit_filter(self) -> None:
        self._debounce.stop()
        self.filter_changed.emit(self.table_filter())

    def flush(self) -> None:
        """Apply a pending quick-filter edit now."""
        if self._debounce.isActive():
            self._emit_filter()
