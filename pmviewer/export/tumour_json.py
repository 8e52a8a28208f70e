"""The ``pmviewer annotate --mode tumour`` JSON document (keys are a contract)."""

from __future__ import annotations

import json

from pmviewer import __version__
from pmviewer.core.oncology import TumourAnalysis
from pmviewer.core.tumour_pipeline import germline_not_analysed_reason
from pmviewer.export.tables import findings_to_json


def tumour_to_json(analysis: TumourAnalysis, include_other: bool = False) -> dict[str, object]:
    """Input facts, knowledge, the ``tumour`` object and the normal's germline analysis."""
    tumour = analysis.to_json()
    germline: dict[str, object]
    if analysis.germline is not None:
        germline = {"analysed": True, "sample": analysis.tumour.normal_sample,
                    **findings_to_json(analysis.germline.findings, include_other=include_other)}  # type: ignore[attr-defined]  # fmt: skip
    else:
        germline = {"analysed": False, "reason": germline_not_analysed_reason(analysis)}
    return {
        "mode": "tumour",
        "input": {
            "path": analysis.path, "sha256": analysis.input_sha256, "build": analysis.build,
            "sample": analysis.tumour.tumour_sample, "normal_sample": analysis.tumour.normal_sample,
            "records": analysis.fate.get("calls_records"),
        },
        "knowledge": dict(analysis.knowledge),
        "software": {"name": "pmviewer", "version": __version__},
        "tumour": tumour,
        "germline": germline,
    }  # fmt: skip


def dumps_tumour_json(analysis: TumourAnalysis, include_other: bool = False) -> str:
    return json.dumps(tumour_to_json(analysis, include_other), indent=2, ensure_ascii=False,
                      default=str) + "\n"  # fmt: skip


TSV_COLUMNS = ("tier", "gene", "chrom", "pos", "ref", "alt", "hgvs_p", "hgvs_c", "vaf", "depth",
               "filter", "tier_reason", "therapies", "evidence_ids")  # fmt: skip


def tumour_to_tsv(analysis: TumourAnalysis) -> str:
    """One line per tumour finding, with its therapies and CIViC evidence ids."""
    lines = [
        f"# pmviewer {__version__}; tumour report; input sha256 {analysis.input_sha256}; tumour "
        f"{analysis.tumour.tumour_sample}; normal {analysis.tumour.normal_sample}; build "
        f"{analysis.build}; tumour type {analysis.tumour_type.doid} {analysis.tumour_type.name}",
        "\t".join(TSV_COLUMNS),
    ]
    for f in analysis.findings:
        therapies = sorted({str(e["therapies"]) for e in f.evidence if e.get("therapies")})
        ids = [str(e["civic_evidence_id"]) for e in f.evidence]
        values = [f.tier, f.gene, f.chrom, f.pos, f.ref, f.alt, f.hgvs_p, f.hgvs_c,
                  None if f.vaf is None else round(f.vaf, 4), f.depth, f.filter, f.tier_reason,
                  "; ".join(therapies), ",".join(ids)]  # fmt: skip
        lines.append("\t".join("" if v is None else str(v).replace("\t", " ") for v in values))
    return "\n".join(lines) + "\n"
