"""Render time of the clinical PDF report.

Prints two figures (targets: demo report under 1 s, 500-finding stress report under 10 s):

1. the demo report: the bundled synthetic demo VCF analysed against the bundled knowledge
   file (or ``--vcf``/``--knowledge``); only model building and rendering are timed;
2. a stress report of 500 reportable findings plus carrier and uncertain sections and
   20 pharmacogenes, built from generated Findings;
3. the demo report for a patient named in seven scripts (Latin, Chinese, Korean, Hindi,
   Thai, Hebrew, Arabic: five more embedded faces, HarfBuzz shaping) against its peer, the
   same report for a Latin-only name, measured in the same run (wall and CPU seconds).

Usage: .venv/bin/python benchmarks/bench_report.py [--vcf FILE] [--knowledge FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from timing import timed  # benchmarks/timing.py

from pmviewer import __version__
from pmviewer.core.model import (
    FINDING_COLUMNS,
    VARIANT_COLUMNS,
    Findings,
    LabDetails,
    PatientDetails,
)
from pmviewer.core.resources import bundled_knowledge_path, demo_vcf_path, resource_path
from pmviewer.export.pdf import build_report
from pmviewer.export.report_model import ReportOptions, build_report_model

WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
LAB = LabDetails(name="Benchmark Laboratory", address="1 Example Street", phone="+1 555 0100")


def demo_findings(vcf: Path, knowledge: Path) -> Findings:
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse

    return analyse(vcf, knowledge=open_knowledge(knowledge)).findings


def stress_findings(n: int = 500) -> Findings:
    rows = []
    categories = ["reportable"] * n + ["carrier"] * 40 + ["uncertain"] * 40
    for i, category in enumerate(categories):
        rows.append(
            {
                "chrom": f"chr{1 + i % 22}",
                "pos": 1_000_000 + 137 * i,
                "ref": "AG" if i % 3 else "C",
                "alt": "A" if i % 3 else "T",
                "genotype": "0/1",
                "allele_count": 1,
                "zygosity": "het",
                "ploidy": 2,
                "finding_id": f"GRCh38:{1 + i % 22}:{1_000_000 + 137 * i}:C:T",
                "category": category,
                "kb_gene": f"GENE{i % 84:02d}",
                "classification": "Pathogenic" if i % 4 else "Likely pathogenic",
                "review_status": "criteria provided, multiple submitters, no conflicts",
                "review_stars": 2,
                "clinvar_id": 100000 + i,
                "condition": "; ".join(
                    f"Condition {i}-{k} with a long descriptive name" for k in range(i % 5 + 1)
                ),
                "inheritance": ["AD", "AR", "XL"][i % 3],
                "reason": "AD gene, P/LP variant reportable in any zygosity",
                "quality_flags": ["low depth (DP 9 < 15)"] if i % 7 == 0 else [],
                "kb_hgvs_c": f"c.{100 + i}del",
                "kb_hgvs_p": f"p.Ser{30 + i}fs",
                "kb_transcript": "NM_000000.1",
                "last_evaluated": "2025-01-01",
            }
        )
    columns = {**VARIANT_COLUMNS, **FINDING_COLUMNS}
    frame = pd.DataFrame({c: [r.get(c) for r in rows] for c in columns})
    frame["quality_flags"] = pd.Series([r["quality_flags"] for r in rows], dtype=object)
    recommendation = {
        "drug": "examplemab",
        "text": "Use the standard starting dose; monitor as usual. " * 3,
        "strength": "Strong",
        "guideline": "CPIC: example guideline (PMID 1)",
        "population": "general",
    }
    pgx = [
        {
            "gene": f"PGX{g}",
            "diplotype": "*1/*2" if g % 5 else None,
            "phenotype": "Intermediate Metabolizer" if g % 5 else None,
            "activity_score": 1.0,
            "callable": bool(g % 5),
            "missing_positions": [],
            "recommendations": [dict(recommendation, drug=f"drug{g}-{k}") for k in range(3)],
            "note": None if g % 5 else "Not callable from this file. Copy number not assessed.",
        }
        for g in range(20)
    ]
    return Findings(
        frame=frame,
        build="GRCh38",
        sample="STRESS",
        sex="F",
        sex_source="stated",
        fate={"records_read": 5_000_000, "reportable": n},
        warnings=[],
        knowledge={"version": "benchmark", "sources": [], "coverage_notes": []},
        pgx=pgx,
        input_sha256="0" * 64,
        input_path="/data/stress.vcf.gz",
    )


def render(findings: Findings, options: ReportOptions, patient: PatientDetails) -> bytes:
    model = build_report_model(
        findings,
        patient=patient,
        lab=LAB,
        options=options,
        software_version=__version__,
        generated_at=WHEN,
    )
    return build_report(model)


SCRIPTS_NAME = (
    "Zoë O'Brien-Łukasiewicz <b>&amp; 王小明</b> 김민준 प्रिया शर्मा สมชาย ใจดี שרה כהן محمد علي"
)


def cpu_timed(fn, repeat: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system) of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return sorted(walls)[repeat // 2], sorted(cpus)[repeat // 2]


def scripts_against_latin(findings: Findings, options: ReportOptions, patient) -> None:
    from dataclasses import replace

    latin = replace(patient, name="Zoe OBrien-Lukasiewicz")
    scripts = replace(patient, name=SCRIPTS_NAME)
    render(findings, options, scripts)  # fonts registered and loaded once, as in the app
    latin_wall, latin_cpu = cpu_timed(lambda: render(findings, options, latin), 5)
    wall, cpu = cpu_timed(lambda: render(findings, options, scripts), 5)
    print(
        f"demo report, name in 7 scripts: render {wall:.3f} s wall / {cpu:.3f} s CPU "
        f"(median of 5); peer, Latin-only name: {latin_wall:.3f} s / {latin_cpu:.3f} s; "
        f"ratio {wall / latin_wall:.2f}x wall, {cpu / latin_cpu:.2f}x CPU; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vcf", type=Path, default=demo_vcf_path())
    parser.add_argument("--knowledge", type=Path, default=bundled_knowledge_path())
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    both = ReportOptions(include_carrier=True, include_uncertain=True)

    if args.vcf.exists() and args.knowledge.exists():
        details = json.loads(resource_path("demo", "demo-patient.json").read_text())
        patient = PatientDetails(**details)
        start = time.perf_counter()
        findings = demo_findings(args.vcf, args.knowledge)
        analysis_s = time.perf_counter() - start
        seconds, pdf = timed(lambda: render(findings, both, patient), repeat=5)
        (args.out / "bench-demo-report.pdf").write_bytes(pdf)
        print(
            f"demo report ({args.vcf.name}, {len(findings.frame)} findings in frame): "
            f"render {seconds:.3f} s median of 5 (target < 1 s); "
            f"{len(pdf) / 1024:.0f} KiB; analysis before it {analysis_s:.2f} s"
        )
        scripts_against_latin(findings, both, patient)
    else:
        print(f"demo report: skipped ({args.vcf} or {args.knowledge} not present)")

    stress = stress_findings(500)
    seconds, pdf = timed(lambda: render(stress, both, PatientDetails(name="Stress Test")), 2)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    (args.out / "bench-stress-report.pdf").write_bytes(pdf)
    print(
        f"stress report (500 reportable + 40 carrier + 40 uncertain findings, 20 pharmacogenes): "
        f"render {seconds:.2f} s median of 2 (target < 10 s); {pages} pages; "
        f"{len(pdf) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
