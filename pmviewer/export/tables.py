"""Findings as JSON and TSV. The JSON keys are a contract other tools read: change them only
by adding keys."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import pandas as pd

from pmviewer import __version__
from pmviewer.core.model import Findings

# JSON finding key -> Findings.frame column it comes from
FINDING_KEYS: dict[str, str] = {
    "gene": "kb_gene",
    "chrom": "chrom",
    "pos": "pos",
    "ref": "ref",
    "alt": "alt",
    "zygosity": "zygosity",
    "genotype": "genotype",
    "category": "category",
    "classification": "classification",
    "review_stars": "review_stars",
    "clinvar_id": "clinvar_id",
    "condition": "condition",
    "inheritance": "inheritance",
    "hgvs_c": "hgvs_c",
    "hgvs_p": "hgvs_p",
    "reason": "reason",
    "quality_flags": "quality_flags",
}
EXTRA_KEYS: dict[str, str] = {
    "finding_id": "finding_id",
    "transcript": "transcript",
    "hgvs_g": "kb_hgvs_g",
    "report_rule": "report_rule",
    "review_status": "review_status",
    "last_evaluated": "last_evaluated",
    "filter": "filter",
    "qual": "qual",
    "dp": "dp",
    "gq": "gq",
    "vaf": "vaf",
    "phased": "phased",
    "consequence": "consequence",
}
REPORTED_CATEGORIES = ("reportable", "carrier", "uncertain", "pgx")


def _plain(value: Any) -> Any:
    """JSON-safe Python value: no numpy scalars, no NaN/NA."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _hgvs(kb: Any, transcript: Any, own: Any, kind: str) -> str | None:
    """Knowledge-base HGVS first (reviewed, on the MANE transcript), else the file's own."""
    kb = _plain(kb)
    if kb:
        transcript = _plain(transcript)
        return f"{transcript}:{kb}" if transcript and kind == "c" and ":" not in kb else kb
    own = _plain(own)
    return own or None


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _column(frame: pd.DataFrame, col: str) -> list[Any]:
    """A column as plain Python values (None for missing), read once for all rows."""
    if col not in frame.columns:
        return [None] * len(frame)
    return [_plain(v) for v in frame[col].astype(object).tolist()]


def finding_records(findings: Findings, include_other: bool = False) -> list[dict]:
    """One JSON-ready dict per finding (reported categories only, unless ``include_other``)."""
    columns = finding_columns(findings, include_other)
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def finding_columns(findings: Findings, include_other: bool = False) -> dict[str, list[Any]]:
    """The finding records as JSON key -> one plain value per finding, in key order.

    Built column by column: reading a genome's thousands of findings row by row
    (``iterrows``) made a Series per row and cost seconds.
    """
    frame = findings.frame
    if not include_other:
        frame = frame[frame["category"].isin(REPORTED_CATEGORIES)]
    keys = {**FINDING_KEYS, **EXTRA_KEYS}
    values = {key: _column(frame, col) for key, col in keys.items() if key != "quality_flags"}
    for kind in ("c", "p"):
        values[f"hgvs_{kind}"] = [
            _hgvs(kb, tx, own, kind)
            for kb, tx, own in zip(
                _column(frame, f"kb_hgvs_{kind}"),
                _column(frame, "kb_transcript"),
                _column(frame, f"hgvs_{kind}"),
                strict=True,
            )
        ]
    flags = frame["quality_flags"].tolist() if "quality_flags" in frame.columns else []
    values["quality_flags"] = [list(f or []) for f in flags] or [[] for _ in range(len(frame))]
    values["clinvar_qualifier"] = [_text_or_none(v) for v in _column(frame, "clinvar_qualifier")]
    name_parts = {
        part: [_text_or_none(v) for v in _column(frame, col)]
        for part, col in (("transcript", "name_transcript"), ("hgvs_c", "name_c"),
                          ("hgvs_p", "name_p"), ("source", "name_source"), ("note", "name_note"))
    }  # fmt: skip
    values["name"] = [
        dict(zip(name_parts, row, strict=True)) for row in zip(*name_parts.values(), strict=True)
    ]
    therapies = frame["therapies"].tolist() if "therapies" in frame.columns else [None] * len(frame)
    values["therapeutic_implications"] = [
        [_plain_dict(t) for t in items] if isinstance(items, (list, tuple)) else []
        for items in therapies
    ]
    # the CIViC evidence items the window's detail panel shows for this finding
    values["civic"] = [
        [{k: _plain(v) for k, v in item.items()} for item in findings.civic.get(str(fid), [])]
        for fid in _column(frame, "finding_id")
    ]
    added = ["clinvar_qualifier", "name", "therapeutic_implications"]
    order = list(FINDING_KEYS) + added + [k for k in EXTRA_KEYS if k not in FINDING_KEYS]
    order.append("civic")
    return {k: values[k] for k in order}


def findings_to_json(
    findings: Findings,
    records: int | None = None,
    include_other: bool = False,
    finding_list: list | None = None,
) -> dict:
    """The ``pmviewer annotate`` JSON document (keys are a contract)."""
    knowledge = dict(findings.knowledge)
    return {
        "input": {
            "path": findings.input_path,
            "sha256": findings.input_sha256,
            "sample": findings.sample,
            "build": findings.build,
            "records": records
            if records is not None
            else findings.fate.get("records_in_file", findings.fate.get("records_read")),
            "sex": findings.sex,
            "sex_source": findings.sex_source,
        },
        "knowledge": knowledge,
        "software": {"name": "pmviewer", "version": __version__},
        "findings": finding_records(findings, include_other)
        if finding_list is None
        else finding_list,
        "pgx": [_plain_dict(p) for p in findings.pgx],
        "fate": _plain_dict(findings.fate),
        "warnings": list(findings.warnings),
        "assessment": _plain_dict(findings.assessment),
        "evidence_policy": _plain_dict(findings.policy),
    }


def _plain_dict(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_dict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_dict(v) for v in value]
    return _plain(value)


def dumps_json(findings: Findings, include_other: bool = False) -> str:
    """The annotate JSON as text (as ``json.dumps(indent=2)`` lays it out; the findings are
    encoded column by column)."""
    from pmviewer.export.json_text import dumps_document

    document = findings_to_json(findings, include_other=include_other, finding_list=[])
    columns = finding_columns(findings, include_other)
    return dumps_document(document, {"findings": columns}) + "\n"


def findings_to_tsv(findings: Findings, include_other: bool = False) -> str:
    """One line per finding; list values joined by '; '. Header lines start with '#'."""
    out = io.StringIO()
    knowledge_version = findings.knowledge.get("version", "")
    knowledge_sha = findings.knowledge.get("file_sha256", "")
    out.write(
        f"# pmviewer {__version__}; knowledge {knowledge_version} (sha256 {knowledge_sha}); "
        f"input sha256 {findings.input_sha256}; sample {findings.sample}; "
        f"build {findings.build}\n"
    )
    columns = list(FINDING_KEYS) + list(EXTRA_KEYS) + list(TSV_NAME_KEYS)
    writer = csv.DictWriter(
        out, fieldnames=columns, delimiter="\t", lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for record in finding_records(findings, include_other):
        writer.writerow(
            {
                k: "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                for k, v in {**record, **_tsv_name(record)}.items()
            }
        )
    return out.getvalue()


# TSV column -> part of the JSON "name" (the c./p. name a report may sign, and its source);
# ClinVar's qualifier rides along: a "drug response" line must not read as a disease finding
TSV_NAME_KEYS: dict[str, str] = {
    "clinvar_qualifier": "",
    "name_transcript": "transcript",
    "name_c": "hgvs_c",
    "name_p": "hgvs_p",
    "name_source": "source",
    "name_note": "note",
}


def _tsv_name(record: dict) -> dict[str, Any]:
    """The TSV's name columns of one finding record, the source in words."""
    from pmviewer.core.annotation import NAME_SOURCE_WORDS

    name = record.get("name") or {}
    values = {col: name.get(part) for col, part in TSV_NAME_KEYS.items() if part}
    source = values.get("name_source")
    values["name_source"] = NAME_SOURCE_WORDS.get(source, source) if source else None
    values["clinvar_qualifier"] = record.get("clinvar_qualifier")
    return values
