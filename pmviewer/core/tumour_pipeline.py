"""One call from a tumour VCF to the tumour report's content: the path the window and CLI take.

The tumour findings come from :func:`pmviewer.core.oncology.analyse_tumour`. When the file
has a separate matched normal, the normal (and only the normal) also gets the germline
analysis, for the report's incidental germline section; a tumour-only file, or one whose
single column mixes tumour and normal, gets none, and the report says why.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pmviewer.core.oncology import TumourAnalysis, analyse_tumour
from pmviewer.core.pipeline import analyse
from pmviewer.core.progress import CancelToken, ProgressCallback
from pmviewer.core.tumour import GERMLINE, TUMOUR_NORMAL

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge


def germline_not_analysed_reason(analysis: TumourAnalysis) -> str | None:
    """Why the report has no germline section (None when it has one)."""
    if analysis.germline is not None:
        return None
    tumour = analysis.tumour
    if tumour.layout != TUMOUR_NORMAL or tumour.normal_sample is None:
        return ("No germline analysis: the file has no separate matched normal sample, so "
                "inherited variants cannot be told apart from somatic ones.")  # fmt: skip
    return "No germline analysis was asked for."


def analyse_tumour_case(
    path: str | os.PathLike[str],
    tumour_type: str,
    *,
    sample: str | None = None,
    build: str | None = None,
    knowledge: Knowledge | None = None,
    germline: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> TumourAnalysis:
    """Tumour findings, plus the matched normal's germline analysis when there is one."""
    from pmviewer.core.knowledge import open_knowledge

    kb = knowledge if knowledge is not None else open_knowledge()
    result = analyse_tumour(
        path, tumour_type, sample=sample, build=build, knowledge=kb, progress=progress,
        cancel=cancel,
    )  # fmt: skip
    tumour = result.tumour
    if germline and tumour.layout == TUMOUR_NORMAL and tumour.normal_sample is not None:
        result.germline = analyse(
            os.fspath(path), sample=tumour.normal_sample, build=result.build, knowledge=kb,
            mode=GERMLINE, cancel=cancel,
        )  # fmt: skip
    return result
