"""A case's review as a JSON file: written by File -> Export, read by ``pmviewer report --review``.

Format (UTF-8, keys exactly the dataclass fields of :mod:`pmviewer.core.model`)::

    {
      "format": "pmviewer-review", "format_version": 1,
      "input_sha256": "...",                           # = case.sha256
      "case": {"sha256": "...", "sample": "NA12878", "input_name": "patient.vcf.gz",
               "build": "GRCh38", "knowledge_version": "...", "status": "final",
               "created_at": "...", "exported_at": "...", "pmviewer_version": "0.1.0"},
      "patient": {PatientDetails fields},
      "decisions": [{Decision fields}, ...],          # sorted by finding_id
      "signoff": {SignOff fields, "amendments": [{"date", "reason", "changes": [...]}]},
      "options": {"include_carrier": false, "include_uncertain": false}
    }

A file with only ``input_sha256`` (no ``case``) and/or ``options`` is read as well: that is
the shape ``pmviewer report`` documents, so either writer's files load here.

``format``/``format_version`` may be left out of a hand-written file; every other key is
checked, and an unknown key is an error (a misspelt ``"desicion"`` must not vanish silently).
The file holds patient details, so it is written private (0600) and atomically.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pmviewer.core.errors import InputFileError
from pmviewer.core.json_input import read_json
from pmviewer.core.model import (
    DECISIONS,
    REPORT_STATUSES,
    Amendment,
    Decision,
    PatientDetails,
    SignOff,
)
from pmviewer.core.review.audit import now_utc
from pmviewer.core.review.case import ReviewCase
from pmviewer.core.review.errors import CaseLocked, storage_error
from pmviewer.core.review.store import ReviewStore
from pmviewer.core.review.types import REPORT_OPTIONS
from pmviewer.core.review.unit_of_work import CaseWork
from pmviewer.core.safe_write import replace_file

FORMAT = "pmviewer-review"
FORMAT_VERSION = 1

_DECISION_KEYS = tuple(f.name for f in fields(Decision))
_PATIENT_KEYS = tuple(f.name for f in fields(PatientDetails))
_SIGNOFF_KEYS = tuple(f.name for f in fields(SignOff))
_AMENDMENT_KEYS = tuple(f.name for f in fields(Amendment))
_TOP_KEYS = (
    "format",
    "format_version",
    "input_sha256",
    "case",
    "patient",
    "decisions",
    "signoff",
    "options",
)
_CASE_KEYS = (
    "sha256",
    "sample",
    "input_name",
    "build",
    "knowledge_version",
    "status",
    "created_at",
    "exported_at",
    "pmviewer_version",
)


@dataclass
class ReviewDocument:
    """A review read from (or about to be written to) a JSON file."""

    decisions: dict[str, Decision]
    signoff: SignOff
    patient: PatientDetails
    case: dict[str, Any] = field(default_factory=dict)
    options: dict[str, bool] = field(default_factory=dict)  # REPORT_OPTIONS -> chosen


# -- writing ------------------------------------------------------------------------------
def review_document(case: ReviewCase) -> ReviewDocument:
    """Everything a report needs from ``case``, as plain values."""
    from pmviewer import __version__

    info = case.info
    meta = {
        "sha256": info.sha256,
        "sample": info.sample,
        "input_name": info.input_name,
        "build": info.build,
        "knowledge_version": info.knowledge_version,
        "status": info.status,
        "created_at": info.created_at,
        "exported_at": now_utc(),
        "pmviewer_version": __version__,
    }
    return ReviewDocument(
        case.decisions(), case.signoff(), case.patient(), meta, case.report_options()
    )


def review_to_dict(doc: ReviewDocument) -> dict[str, Any]:
    """The review in the JSON file format described in the module docstring."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "input_sha256": doc.case.get("sha256"),
        "case": dict(doc.case),
        "patient": asdict(doc.patient),
        "decisions": [asdict(doc.decisions[k]) for k in sorted(doc.decisions)],
        "signoff": asdict(doc.signoff),
        "options": {key: bool(doc.options.get(key, False)) for key in REPORT_OPTIONS},
    }


def dumps_review(doc: ReviewDocument) -> str:
    # ensure_ascii=False keeps names and comments readable; json escapes what it must
    """The review file's text (UTF-8 JSON, names and comments kept readable)."""
    return json.dumps(review_to_dict(doc), ensure_ascii=False, indent=2) + "\n"


def export_review(case: ReviewCase, path: str | Path) -> Path:
    """Write ``case`` to ``path`` as JSON (private, replaced atomically). Returns the path.

    Raises
    ------
    StorageError
        The folder cannot be written or the disk is full; an existing file is left intact.
    """
    path = Path(path)
    text = dumps_review(review_document(case))
    try:
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise storage_error(exc, "export the review", path.parent) from exc
    return path


# -- reading ------------------------------------------------------------------------------
def load_review(path: str | Path) -> ReviewDocument:
    """Read and check a review file (what ``pmviewer report --review FILE`` calls).

    Raises
    ------
    InputFileError
        The file is missing, not JSON, or a value is not allowed; the message names it.
    """
    data = read_json(path, "review")
    return review_from_dict(data, source=Path(path).name)


def review_from_dict(data: object, source: str = "the review file") -> ReviewDocument:
    """Check ``data`` (parsed JSON) and build a :class:`ReviewDocument`."""

    def bad(what: str) -> InputFileError:
        return InputFileError(f"The review file {source} cannot be used: {what}.")

    if not isinstance(data, dict):
        raise bad("it does not contain a JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise bad(f"it is a '{data.get('format')}' file, not a pmviewer review")
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise bad("it was written by a newer version of pmviewer; update pmviewer to read it")
    _known(data, _TOP_KEYS, "", bad)

    case = data.get("case") or {}
    if not isinstance(case, dict):
        raise bad("'case' is not an object")
    _known(case, _CASE_KEYS, "case", bad)
    case = dict(case)
    input_sha = data.get("input_sha256")
    if input_sha is not None:
        if not isinstance(input_sha, str):
            raise bad("'input_sha256' must be text")
        if case.get("sha256") and str(case["sha256"]).lower() != input_sha.lower():
            raise bad("'input_sha256' and 'case.sha256' disagree")
        case.setdefault("sha256", input_sha)

    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise bad("'options' is not an object")
    _known(options, tuple(REPORT_OPTIONS), "options", bad)
    if not all(isinstance(v, bool) for v in options.values()):
        raise bad("'options' values must be true or false")

    patient = _strings(data.get("patient") or {}, _PATIENT_KEYS, "patient", bad)

    decisions: dict[str, Decision] = {}
    raw_decisions = data.get("decisions") or []
    if not isinstance(raw_decisions, list):
        raise bad("'decisions' is not a list")
    for number, raw in enumerate(raw_decisions, start=1):
        d = _decision(raw, f"decision {number}", bad)
        if d.finding_id in decisions:
            raise bad(f"decision {number} repeats finding {d.finding_id}")
        decisions[d.finding_id] = d

    signoff = _signoff(data.get("signoff") or {}, bad)
    return ReviewDocument(decisions, signoff, PatientDetails(**patient), case, dict(options))


def _known(obj: dict, keys: tuple[str, ...], where: str, bad: Any) -> None:
    unknown = sorted(set(obj) - set(keys))
    if unknown:
        place = f" in '{where}'" if where else ""
        raise bad(f"unknown key '{unknown[0]}'{place} (allowed: {', '.join(keys)})")


def _strings(obj: object, keys: tuple[str, ...], where: str, bad: Any) -> dict[str, str]:
    if not isinstance(obj, dict):
        raise bad(f"'{where}' is not an object")
    _known(obj, keys, where, bad)
    out: dict[str, str] = {}
    for key, value in obj.items():
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise bad(f"'{where}.{key}' must be text")
        out[key] = value
    return out


def _decision(raw: object, where: str, bad: Any) -> Decision:
    if not isinstance(raw, dict):
        raise bad(f"{where} is not an object")
    _known(raw, _DECISION_KEYS, where, bad)
    fid = raw.get("finding_id")
    if not isinstance(fid, str) or not fid.strip():
        raise bad(f"{where} has no finding_id")
    decision = raw.get("decision", "undecided")
    if decision not in DECISIONS:
        raise bad(f"{where} ({fid}) has decision '{decision}' (allowed: {', '.join(DECISIONS)})")
    override = raw.get("classification_override")
    reason = raw.get("override_reason")
    comment = raw.get("comment", "") or ""
    for name, value in (("classification_override", override), ("override_reason", reason)):
        if value is not None and not isinstance(value, str):
            raise bad(f"{where} ({fid}): '{name}' must be text or null")
    if not isinstance(comment, str):
        raise bad(f"{where} ({fid}): 'comment' must be text")
    override = override.strip() or None if override else None
    reason = reason.strip() or None if reason else None
    if override and not reason:
        raise bad(f"{where} ({fid}) overrides the classification without a reason")
    if not override:
        reason = None
    names = _name_entry(raw, f"{where} ({fid})", bad)
    return Decision(fid.strip(), decision, override, reason, comment, *names)


def _name_entry(raw: dict, where: str, bad: Any) -> tuple[str, str, str]:
    """The reviewer's transcript-level name (transcript, c., p.), syntax checked."""
    from pmviewer.core.annotation import check_hgvs

    values = []
    for key in ("hgvs_transcript", "hgvs_c", "hgvs_p"):
        value = raw.get(key) or ""
        if not isinstance(value, str):
            raise bad(f"{where}: '{key}' must be text")
        values.append(value.strip())
    if any(values):
        problem = check_hgvs(*values)
        if problem:
            raise bad(f"{where}: {problem}")
    return values[0], values[1], values[2]


def _signoff(raw: object, bad: Any) -> SignOff:
    if not isinstance(raw, dict):
        raise bad("'signoff' is not an object")
    _known(raw, _SIGNOFF_KEYS, "signoff", bad)
    plain = _strings({k: v for k, v in raw.items() if k != "amendments"}, _SIGNOFF_KEYS,
                     "signoff", bad)  # fmt: skip
    status = plain.get("status") or "draft"
    if status not in REPORT_STATUSES:
        raise bad(f"signoff status '{status}' (allowed: {', '.join(REPORT_STATUSES)})")
    if status != "draft" and not (plain.get("reviewer") and plain.get("approver")):
        raise bad(f"the report is marked {status} but has no reviewer or approver")
    amendments = []
    raw_amendments = raw.get("amendments") or []
    if not isinstance(raw_amendments, list):
        raise bad("'signoff.amendments' is not a list")
    for number, item in enumerate(raw_amendments, start=1):
        where = f"amendment {number}"
        if not isinstance(item, dict):
            raise bad(f"{where} is not an object")
        changes = item.get("changes") or []
        if not isinstance(changes, list) or not all(isinstance(c, str) for c in changes):
            raise bad(f"{where}: 'changes' must be a list of text")
        values = _strings({k: v for k, v in item.items() if k != "changes"}, _AMENDMENT_KEYS,
                          where, bad)  # fmt: skip
        if not values.get("reason", "").strip():
            raise bad(f"{where} has no reason")
        amendments.append(Amendment(values.get("date", ""), values["reason"], list(changes)))
    if status == "amended" and not amendments:
        raise bad("the report is marked amended but lists no amendment")
    plain["status"] = status
    return SignOff(**plain, amendments=amendments)


def mismatch_warning(doc: ReviewDocument, sha256: str | None, sample: str | None) -> str | None:
    """A counselor-facing warning when ``doc`` was made for another file or sample."""
    file_sha = str(doc.case.get("sha256") or "").lower()
    if file_sha and sha256 and file_sha != sha256.lower():
        name = doc.case.get("input_name")
        made_for = (
            f"a different version of the input ({name})"
            if name
            else "a different input file (the SHA-256 checksums differ)"
        )
        return (
            f"The review file was made for {made_for}; its decisions may not match these findings."
        )
    doc_sample = doc.case.get("sample") or None
    if doc_sample and sample and doc_sample != sample:
        return f"The review file is for sample {doc_sample}, not {sample}."
    return None


# -- importing into the store ---------------------------------------------------------------
def import_review(
    store: ReviewStore, doc: ReviewDocument, source: str, user: str | None = None
) -> ReviewCase:
    """Restore an exported review into this workstation's store, in one transaction.

    The case is the one of ``doc.case["sha256"]`` and ``sample`` (created when absent). An
    approved case is not overwritten (:class:`CaseLocked`); a draft takes the file's
    decisions, patient details and sign-off, each change written to the audit trail with
    ``source`` named.
    """
    meta = doc.case
    case = store.open_case(
        str(meta.get("sha256") or ""),
        meta.get("sample") or None,
        str(meta.get("input_name") or ""),
        str(meta.get("build") or ""),
        str(meta.get("knowledge_version") or ""),
        user=user,
    )
    changed: list[str] = []
    with case.work("import the review") as work:
        if work.require_draft() is not None or work.has_amendments():
            raise CaseLocked(
                "This case has amendments on this computer; a review file cannot replace them."
            )
        work.record(None, "import", None, source)
        for d in doc.decisions.values():
            current = work.decision(d.finding_id)
            if current == d:
                continue
            for name in ("decision", "classification_override", "override_reason", "comment"):
                before, after = getattr(current, name), getattr(d, name)
                if before != after:
                    work.record(d.finding_id, name, before, after)
            work.save_decision(d)
            changed.append(d.finding_id)
        work.write_patient(asdict(doc.patient))
        work.write_options({key: bool(doc.options.get(key, False)) for key in REPORT_OPTIONS})
        _import_signoff(work, doc.signoff)
        work.touch()
        work.changed("decision", changed)
        work.changed("patient")
        work.changed("signoff")
    return case


def _import_signoff(work: CaseWork, signoff: SignOff) -> None:
    columns = [k for k in _SIGNOFF_KEYS if k not in ("status", "amendments")]
    work.set_signoff_fields({c: str(getattr(signoff, c) or "") for c in columns})
    last = len(signoff.amendments) - 1
    for index, amendment in enumerate(signoff.amendments):
        # an amendment still open when exported stays open (status draft); others closed
        still_open = signoff.status == "draft" and index == last
        closed = None if still_open else (signoff.approved_at or amendment.date or work.now)
        amendment_id = work.add_amendment(amendment.reason, amendment.date or work.now, closed)
        for text in amendment.changes:
            work.add_amendment_change(amendment_id, text)
        work.record(None, "amendment", None, amendment.reason)
    if signoff.status != "draft":
        work.set_status(signoff.status)


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ReviewDocument",
    "dumps_review",
    "export_review",
    "import_review",
    "load_review",
    "mismatch_warning",
    "review_document",
    "review_from_dict",
    "review_to_dict",
]
