"""Help ▸ About: versions, the knowledge release and its sources' licences, where data are kept."""

from __future__ import annotations

import platform
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from pmviewer import __version__
from pmviewer.ui.html_table import label_value_table


def _rows(pairs: list[tuple[str, str]]) -> str:
    escaped = [(k, escape(v)) for k, v in pairs]
    return label_value_table(escaped, label_colour="#5b6770", gap=12, padding=2)


def _items(value: object) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def about_html(knowledge_path: str | None = None) -> str:
    """The About text (plain data, so tests read it without a dialog)."""
    import PySide6

    from pmviewer.core.errors import PmviewerError
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.paths import cache_dir, data_dir
    from pmviewer.ui.settings import settings_path

    versions = [
        ("pmviewer", __version__),
        ("Python", platform.python_version()),
        ("Qt (PySide6)", PySide6.__version__),
    ]
    for name in ("reportlab", "uharfbuzz", "pandas", "pyarrow", "cyvcf2"):
        try:
            from importlib.metadata import version

            versions.append((name, version(name)))
        except Exception:  # not installed as a distribution (frozen builds)
            continue
    parts = [
        "<h2 style='margin:0'>pmviewer</h2>",
        "<p>Offline viewer for germline genetic reports. Nothing is downloaded at run time "
        "and pmviewer opens no network connection.</p>",
        "<h3>Versions</h3>",
        _rows(versions),
    ]
    try:
        with open_knowledge(knowledge_path) as kb:
            meta = kb.metadata()
            sources = kb.sources()
        parts += [
            "<h3>Knowledge file</h3>",
            _rows(
                [
                    ("Release", str(meta.get("version", ""))),
                    ("ACMG SF list", str(meta.get("acmg_sf_version", ""))),
                    ("Genome builds", ", ".join(str(b) for b in _items(meta.get("genome_builds")))),
                    ("Content SHA-256", str(meta.get("content_sha256", ""))),
                    ("File", str(meta.get("path", ""))),
                ]
            ),
            "<h3>Sources and licences</h3>",
            _rows(
                [
                    (
                        str(s.get("name") or s.get("path")),
                        f"{s.get('release') or ''} · {s.get('licence') or 'licence not stated'}",
                    )
                    for s in sources
                ]
            ),  # fmt: skip
        ]
        attribution = meta.get("attribution")
        if isinstance(attribution, dict) and attribution:
            parts.append(
                "<ul>" + "".join(f"<li>{escape(str(v))}</li>" for v in attribution.values())
                + "</ul>"
            )  # fmt: skip
    except PmviewerError as error:
        parts += ["<h3>Knowledge file</h3>", f"<p>{escape(str(error))}</p>"]
    parts += [
        "<h3>Where your data are kept</h3>",
        _rows(
            [
                ("Review cases and audit trail", str(data_dir())),
                ("Indexes and caches", str(cache_dir())),
                ("Settings (no patient data)", str(settings_path())),
            ]
        ),
        "<p style='color:#5b6770'>Your VCF files are read, never changed. Report fonts: "
        "DejaVu Sans (Bitstream Vera licence), Droid Sans Fallback (Apache-2.0), NanumGothic "
        "and Noto Sans Devanagari and Thai (SIL Open Font License 1.1); Hindi and Thai names "
        "are shaped with HarfBuzz (uharfbuzz).</p>",
    ]
    return "".join(parts)


class AboutDialog(QDialog):
    def __init__(self, knowledge_path: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About pmviewer")
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setHtml(about_html(knowledge_path))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 560)
