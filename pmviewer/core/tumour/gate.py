"""Never analyse a tumour as germline: the one question every analysis asks of its input.

* A germline file passes unchanged.
* A tumour–normal file, asked for germline analysis, is analysed on the **normal** sample only,
  and the findings say so.
* A tumour sample, a column holding tumour and normal together, or a tumour-only file is
  refused for germline analysis, with the file's evidence named and the tumour report offered.
* Without a stated mode a tumour file is a question (the CLI exits 2, the window asks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from pmviewer.core import vcf
from pmviewer.core.errors import PmviewerError
from pmviewer.core.tumour.low_fraction import low_fraction_warning
from pmviewer.core.tumour.recognise import MERGED_COLUMN, TUMOUR_ONLY, TumourFile, recognise

GERMLINE = "germline"
TUMOUR = "tumour"
MODES = (GERMLINE, TUMOUR)


class TumourFileError(PmviewerError):
    """A tumour file met a germline analysis: a question to answer or a refusal.

    ``tumour`` holds what the header showed; ``can_analyse_normal`` is True when a germline
    analysis of the matched normal sample is possible (so the question has three answers).
    """

    def __init__(self, message: str, tumour: TumourFile, can_analyse_normal: bool) -> None:
        super().__init__(message)
        self.tumour = tumour
        self.can_analyse_normal = can_analyse_normal


@dataclass(frozen=True)
class GermlineChoice:
    """The sample a germline analysis may read, and the sentence the findings must carry."""

    sample: str | None
    note: str | None  # None for a germline file
    tumour: TumourFile

    def warnings_for(self, frame: pd.DataFrame) -> list[str]:
        """What the germline findings must say: the normal-only note, the low-fraction warning."""
        low = low_fraction_warning(frame)
        return [w for w in (self.note, low) if w]


def _evidence(tumour: TumourFile) -> str:
    return "; ".join(tumour.evidence) or "its header"


def germline_choice(
    path: str | os.PathLike[str], sample: str | None, mode: str | None
) -> GermlineChoice:
    """The sample a germline analysis of ``path`` may read (see the module docstring).

    Raises
    ------
    TumourFileError
        ``mode`` is None and the file is a tumour file (the question), or a germline analysis
        was asked of a tumour sample or of a file without a separate normal (a refusal).
    """
    tumour = recognise(vcf.read_header(path))
    if not tumour.is_tumour:
        return GermlineChoice(sample, None, tumour)
    name = os.path.basename(os.fspath(path))
    normal = tumour.normal_sample
    can_normal = tumour.layout not in (TUMOUR_ONLY, MERGED_COLUMN) and normal is not None
    what = f"{name} is a tumour file ({tumour.caller}): {_evidence(tumour)}."
    if mode == TUMOUR:
        raise TumourFileError(
            f"{what} Open it for the tumour report (pmviewer annotate --mode tumour).",
            tumour,
            can_normal,
        )
    if mode is None:
        options = (
            f"the germline analysis of the matched normal sample {normal} only (--mode germline)"
            if can_normal
            else "no germline analysis: the file has no separate normal sample"
        )
        raise TumourFileError(
            f"{what} Choose what to do: the tumour report (--mode tumour --tumour-type …), or "
            f"{options}. Somatic calls are never reported as inherited findings.",
            tumour, can_normal,
        )  # fmt: skip
    if not can_normal:
        reason = {
            TUMOUR_ONLY: "it holds a tumour sample only, without a matched normal",
            MERGED_COLUMN: "its single column mixes the tumour with the normal",
        }.get(tumour.layout or "", "its normal sample could not be identified")
        raise TumourFileError(
            f"{what} It cannot be analysed for inherited (germline) findings because {reason}. "
            "Germline findings need the patient's normal (blood or saliva) sample. Open it for "
            "the tumour report instead (--mode tumour), or ask the lab for the germline VCF.",
            tumour, False,
        )  # fmt: skip
    if sample is not None and sample != normal:
        raise TumourFileError(
            f"{what} The sample {sample} is the tumour, not the patient's normal sample, so it "
            f"is never analysed for inherited findings. Choose the normal sample {normal}, or "
            "open the file for the tumour report (--mode tumour).",
            tumour, True,
        )  # fmt: skip
    note = (
        f"Germline analysis of the matched normal sample {normal} only: {name} is a tumour–normal "
        f"file ({tumour.caller}); the tumour sample {tumour.tumour_sample} was not analysed for "
        "inherited findings, and calls the caller made only in the tumour are not in this report."
    )
    return GermlineChoice(normal, note, tumour)
