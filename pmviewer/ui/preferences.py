"""Analysis preferences: which knowledge file, which reference genome, which quality thresholds.

Stored through :mod:`pmviewer.ui.settings`; the checks here are plain functions the
Preferences dialog runs on a worker (they take ``progress``/``cancel`` like every job).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields, replace

from pmviewer.core.annotation import EvidencePolicy, QualityThresholds
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
    policy: EvidencePolicy = field(default_factory=EvidencePolicy)
    assay_targets: tuple[tuple[str, str], ...] = ()  # (assay name, target BED path)
    assay: str = ""  # the assay in use ("" = no target regions)

    @property
    def targets_path(self) -> str | None:
        """The target BED of the assay in use, if any."""
        return dict(self.assay_targets).get(self.assay) or None


def policy_from_dict(values: dict) -> EvidencePolicy:
    """The evidence policy from stored values (bad values take the defaults)."""
    return EvidencePolicy.from_settings(values.get("min_stars", 1), values.get("qualifiers"))


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
        policy=policy_from_dict(values["evidence_policy"]),
        assay_targets=tuple(sorted((str(k), str(v)) for k, v in values["assay_targets"].items())),
        assay=str(values["assay"] or ""),
    )


def write_preferences(prefs: AnalysisPreferences) -> None:
    write_settings(
        knowledge_file=prefs.knowledge_path or "",
        reference_fasta=prefs.reference_path or "",
        quality_thresholds=prefs.thresholds.to_dict(),
        evidence_policy={
            "min_stars": prefs.policy.min_stars,
            "qualifiers": dict(prefs.policy.qualifiers),
        },
        assay_targets=dict(prefs.assay_targets),
        assay=prefs.assay,
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
            prefs = replace(prefs, knowledge_path=None)
    if prefs.reference_path and not Path(prefs.reference_path).is_file():
        notices.append(
            f"The reference genome file {prefs.reference_path} was not found, so indels are "
            "not left-aligned. Choose it again in Edit ▸ Preferences…."
        )
        prefs = replace(prefs, reference_path=None)
    if prefs.targets_path and not Path(prefs.targets_path).is_file():
        notices.append(
            f"The target regions file of the assay '{prefs.assay}' ({prefs.targets_path}) was "
            "not found, so genes are assessed from the file's own data only. Choose it again "
            "in Edit ▸ Preferences…."
        )
        prefs = replace(prefs, assay="")
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
