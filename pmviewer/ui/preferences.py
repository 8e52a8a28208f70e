"""Analysis preferences: which knowledge file, which reference genome, which quality thresholds.

Stored through :mod:`pmviewer.ui.settings`; the checks here are plain functions the
Preferences dialog runs on a worker (they take ``progress``/``cancel`` like every job).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields

from pmviewer.core.annotation import QualityThresholds
from pmviewer.core.errors import PmviewerError
from pmviewer.ui.settings import read_settings, write_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisPreferences:
    """What the window's analysis uses. ``None`` paths: the bundled knowledge file, and no
    reference genome."""

    knowledge_path: str | None = None
    reference_path: str | None = None
    thresholds: QualityThresholds = field(default_factory=QualityThresholds)


def thresholds_from_dict(values: dict) -> QualityThresholds:
    """Thresholds from stored values; unknown keys are ignored, bad values take the default."""
    default = QualityThresholds()
    kept = {}
    for f in fields(QualityThresholds):
        if f.name in values:
            kind = type(getattr(default, f.name))
            try:
                kept[f.name] = kind(values[f.name])
            except (TypeError, ValueError):
                continue
    return QualityThresholds(**kept)


def read_preferences() -> AnalysisPreferences:
    values = read_settings()
    return AnalysisPreferences(
        knowledge_path=values["knowledge_file"] or None,
        reference_path=values["reference_fasta"] or None,
        thresholds=thresholds_from_dict(values["quality_thresholds"]),
    )


def write_preferences(prefs: AnalysisPreferences) -> None:
    write_settings(
        knowledge_file=prefs.knowledge_path or "",
        reference_fasta=prefs.reference_path or "",
        quality_thresholds=prefs.thresholds.to_dict(),
    )


def check_knowledge_file(path: str | None, progress=None, cancel=None) -> dict[str, object]:
    """Open ``path`` (``None``: the bundled file) and run the ``pmviewer kb verify`` checks.

    Returns the verify summary (``knowledge_version`` among it); raises ``KnowledgeError``
    with the counselor message for a missing, damaged or incompatible file.
    """
    from pmviewer.core.knowledge import bundled_knowledge_path, open_knowledge, verify_file

    target = path or str(bundled_knowledge_path())
    with open_knowledge(target):
        pass  # the quick check first: its message names the problem precisely
    return verify_file(target)


def check_reference(path: str, progress=None, cancel=None) -> str:
    """Open the FASTA as the analysis will (building its index if needed); returns a short
    description of the file, or raises ``InputFileError`` (missing, compressed, unreadable)."""
    from pmviewer.core.errors import InputFileError
    from pmviewer.core.genome import ReferenceFasta

    try:
        fasta = ReferenceFasta(path)
    except OSError as error:
        raise InputFileError(
            f"The reference genome file {path} could not be read. Check that it exists and "
            "that you may open it, then choose an uncompressed FASTA file (.fa/.fasta)."
        ) from error
    try:
        names = list(fasta.contigs)
    finally:
        fasta.close()
    if not names:
        raise InputFileError(
            f"The file {path} holds no FASTA sequences. Choose the reference genome FASTA "
            "(.fa/.fasta) of the build your files use."
        )
    shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    return f"{len(names)} sequence(s): {shown}"


def startup_preferences() -> tuple[AnalysisPreferences, str | None]:
    """The stored preferences, made safe to use: a chosen knowledge file that has gone
    missing or is unreadable is dropped (back to the bundled file, stored so) and a notice
    for the user is returned; likewise for a reference genome that has disappeared."""
    from pathlib import Path

    from pmviewer.core.knowledge import open_knowledge

    prefs = read_preferences()
    notices: list[str] = []
    if prefs.knowledge_path:
        try:
            with open_knowledge(prefs.knowledge_path):
                pass
        except PmviewerError as error:
            log.warning("chosen knowledge file unusable: %s", error)
            notices.append(
                "pmviewer is using its bundled knowledge file: the file chosen in Preferences "
                f"could not be used. {error} (Edit ▸ Preferences… to choose another.)"
            )
            prefs = AnalysisPreferences(None, prefs.reference_path, prefs.thresholds)
    if prefs.reference_path and not Path(prefs.reference_path).is_file():
        notices.append(
            f"The reference genome file {prefs.reference_path} was not found, so indels are "
            "not left-aligned. Choose it again in Edit ▸ Preferences…."
        )
        prefs = AnalysisPreferences(prefs.knowledge_path, None, prefs.thresholds)
    if notices:
        write_preferences(prefs)  # tell once: the next start uses what works
    return prefs, " ".join(notices) or None


def knowledge_version(path: str | None) -> str:
    """The knowledge version of ``path`` (``None``: the bundled file); "" when unreadable."""
    from pmviewer.core.knowledge import open_knowledge

    try:
        with open_knowledge(path) as knowledge:
            return str(knowledge.metadata().get("version") or "")
    except PmviewerError:
        return ""
