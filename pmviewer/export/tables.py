"""Findings as JSON and TSV. The JSON keys are a contract other tools read: change them only
by adding keys."""

from __future__ import annotations

import csv
import io
import json
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


def _hgvs(row: pd.Series, kind: str) -> str | None:
    """Knowledge-base HGVS first (reviewed, on the MANE transcript), else the file's own."""
    kb = _plain(row.get(f"kb_hgvs_{kind}"))
    if kb:
        transcript = _plain(row.get("kb_transcript"))
        return f"{transcript}:{kb}" if transcript and kind == "c" and ":" not in kb else kb
    own = _plain(row.get(f"hgvs_{kind}"))
    return own or None


def finding_records(findings: Findings, include_other: bool = False) -> list[dict]:
    """One JSON-ready dict per finding (reported categories only, unless ``include_other``)."""
    frame = findings.frame
    if not include_other:
        frame = frame[frame["category"].isin(REPORTED_CATEGORIES)]
    records = []
    for _, row in frame.iterrows():
        record = {key: _plain(row.get(col)) for key, col in FINDING_KEYS.items()}
        record["hgvs_c"] = _hgvs(row, "c")
        record["hgvs_p"] = _hgvs(row, "p")
        record["quality_flags"] = list(row.get("quality_flags") or [])
        record.update({key: _plain(row.get(col)) for key, col in EXTRA_KEYS.items()})
        # the CIViC evidence items the window's detail panel shows for this finding
        items = findings.civic.get(str(row.get("finding_id")), [])
        record["civic"] = [{k: _plain(v) for k, v in item.items()} for item in items]
        records.append(record)
    return records


def findings_to_json(
    findings: Findings, records: int | None = None, include_other: bool = False
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
        "findings": finding_records(findings, include_other),
        "pgx": [_plain_dict(p) for p in findings.pgx],
        "fate": _plain_dict(findings.fate),
        "warnings": list(findings.warnings),
    }


def _plain_dict(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_dict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_dict(v) for v in value]
    return _plain(value)


def dumps_json(findings: Findings, include_other: bool = False) -> str:
    """The annotate JSON as text."""
    return (
        json.dumps(
            findings_to_json(findings, include_other=include_other), indent=2, ensure_ascii=False
        )
        + "\n"
    )


def findings_to_tsv(findings: Findings, include_other: bool = False) -> str:
    """One line per finding; list values joined by '; '. Header lines start with '#'."""
    out = io.StringIO()
    knowledge_version = findings.knowledge.get("version", "")
    out.write(
        f"# pmviewer {__version__}; knowledge {knowledge_version}; input sha256 "
        f"{findings.input_sha256}; sample {findings.sample}; build {findings.build}\n"
    )
    columns = list(FINDING_KEYS) + list(EXTRA_KEYS)
    writer = csv.DictWriter(
        out, fieldnames=columns, delimiter="\t", lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for record in finding_records(findings, include_other):
        writer.writerow(
            {
                k: "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                for k, v in record.items()
            }
        )
    return out.getvalue()
