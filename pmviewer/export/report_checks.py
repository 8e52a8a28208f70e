"""What a final report must satisfy beyond decisions and signatures (issue "sign-off that
means something", "nomenclature a lab can sign"), and the reviewer's reasons it prints.

- every reportable finding has a transcript-level name (reviewer's, file's on MANE, ClinVar's);
- reviewer and approver are different people;
- excluding a reportable finding, or including a quality-flagged one, carries a reason (the
  decision's comment), and the report prints both.
"""

from __future__ import annotations

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import Decision, Findings, SignOff
from pmviewer.export.report_findings import ReportFinding, as_text

_SHOWN = 8


def _a(status: str) -> str:
    return f"An {status}" if status[:1] in "aeiou" else f"A {status}"


def _label(gene: str, name: str, position: str) -> str:
    return f"{gene} {name or position}".strip()


def missing_names(status: str, shown: list[ReportFinding]) -> str:
    """'' or the sentence saying which reportable findings lack a transcript-level name."""
    missing = [f for f in shown if f.section == "reportable" and not f.hgvs_c]
    if not missing:
        return ""
    names = "; ".join(_label(f.gene, "", f.position) for f in missing[:_SHOWN])
    more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
    return (
        f"{_a(status)} report needs a transcript-level (c./p.) name for every reportable finding; "
        f"{len(missing)} have none: {names}{more}. Enter the name with its transcript in the "
        "review panel (Variant name), or produce a draft report instead."
    )


def check_names(status: str, shown: list[ReportFinding]) -> None:
    """Refuse a final report while a reportable finding lacks a transcript-level name."""
    problem = missing_names(status, shown)
    if problem:
        raise PmviewerError(problem)


def missing_reasons(status: str, lacking: list[str]) -> str:
    if not lacking:
        return ""
    return (
        f"{_a(status)} report needs the reviewer's reason for: {'; '.join(lacking[:_SHOWN])}"
        f"{' …' if len(lacking) > _SHOWN else ''}. Write the reason in the finding's comment; "
        "it is printed in the report."
    )


def approval_problems(
    findings: Findings, decisions: dict[str, Decision], shown: list[ReportFinding]
) -> list[str]:
    """What must be fixed before the approver signs (names and reasons), as sentences."""
    _, lacking = reviewer_reasons(findings, decisions, shown)
    return [p for p in (missing_names("final", shown), missing_reasons("final", lacking)) if p]


def check_people(status: str, signoff: SignOff) -> None:
    """Reviewer and approver must be two different people."""
    reviewer, approver = signoff.reviewer.strip(), signoff.approver.strip()
    if reviewer and approver and reviewer.casefold() == approver.casefold():
        raise PmviewerError(
            f"{_a(status)} report needs a reviewer and an approver who are different people; "
            f"both are '{reviewer}'. Ask a second qualified person to approve the report."
        )


def reviewer_reasons(
    findings: Findings, decisions: dict[str, Decision], shown: list[ReportFinding]
) -> tuple[list[str], list[str]]:
    """(printed reasons, findings that lack a required reason), in words."""
    frame = findings.frame
    printed: list[str] = []
    lacking: list[str] = []
    if not len(frame):
        return printed, lacking
    for row in frame.to_dict("records"):
        fid = as_text(row.get("finding_id"))
        decision = decisions.get(fid)
        if decision is None or decision.decision != "exclude":
            continue
        if as_text(row.get("category")) != "reportable":
            continue
        label = _label(as_text(row.get("kb_gene")), as_text(row.get("name_c")), fid)
        if decision.comment.strip():
            printed.append(
                f"Reportable finding {label} excluded by the reviewer: {decision.comment.strip()}"
            )
        else:
            lacking.append(f"{label} (excluded reportable finding)")
    for f in shown:
        decision = decisions.get(f.finding_id)
        if not f.quality_flags or decision is None or decision.decision != "include":
            continue
        label = _label(f.gene, f.hgvs_c, f.position)
        if decision.comment.strip():
            printed.append(
                f"Finding {label} included despite quality flags "
                f"({'; '.join(f.quality_flags)}): {decision.comment.strip()}"
            )
        else:
            lacking.append(f"{label} (included with quality flags)")
    return printed, lacking


def check_reasons(status: str, lacking: list[str]) -> None:
    problem = missing_reasons(status, lacking)
    if problem:
        raise PmviewerError(problem)
