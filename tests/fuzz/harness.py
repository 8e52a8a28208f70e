"""Run one fuzz input the way a user would, in a child process, and classify what happened.

Each input is inspected, loaded whole and loaded for gene regions (the paths the window and
the CLI take) in its own child process, with the child's stderr captured: a signal, an
exception that is not a counselor message, a raw htslib line on stderr, a message with Python
or library text in it, or a hang are all failures. Outcomes:

* ``clean`` - every step loaded or refused with a counselor message, stderr silent
* ``refused`` - at least one step refused, with a counselor message
* ``crash`` - the child died from a signal (or without an answer)
* ``internal`` - a step raised something that is not a PmviewerError
* ``bad_message`` - a refusal whose message shows programmer text
* ``noisy`` - htslib's raw ``[E::]``/``[W::]`` lines reached stderr
* ``hang`` - no answer within the time limit
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

# a few analysed genes on both namings (BRCA2 on GRCh38, chr21 windows for the test files)
REGIONS = [("13", 32315000, 32400000), ("chr13", 32315000, 32400000), ("21", 1, 48000000),
           ("chr21", 1, 48000000), ("1", 1, 5000000), ("chr1", 1, 5000000),
           ("20", 1, 65000000), ("22", 1, 51000000)]  # fmt: skip
TIME_LIMIT = 60.0
# programmer text that must never be in a message a counselor reads
_RAW = re.compile(
    r"Traceback|\[[EW]::|codec|error-code|errno|Errno|Exception|NoneType|has no attribute|"
    r"<class |object at 0x|cyvcf2|htslib::|bcf_read|ret: -"
)


@dataclass
class Outcome:
    kind: str
    steps: list[tuple[str, str, str]] = field(default_factory=list)
    stderr: str = ""
    detail: str = ""


def examine(path: str, progress=None, cancel=None) -> dict:
    """Child side: the three steps, stderr captured at the descriptor."""
    from pmviewer.core import vcf
    from pmviewer.core.errors import PmviewerError, SampleError

    sink = tempfile.TemporaryFile()
    saved = os.dup(2)
    os.dup2(sink.fileno(), 2)
    steps: list[tuple[str, str, str]] = []
    sample = None
    try:
        for step in ("inspect", "load", "regions"):
            for attempt in range(2):
                try:
                    if step == "inspect":
                        vcf.inspect(path)
                    elif step == "load":
                        vcf.load(path, sample=sample)
                    else:
                        vcf.load(path, sample=sample, regions=REGIONS)
                    steps.append((step, "ok", ""))
                except SampleError as e:
                    if attempt == 0 and e.samples and sample is None:
                        sample = e.samples[0]  # the counselor picks a sample, then retries
                        continue
                    steps.append((step, "refused", str(e)))
                except PmviewerError as e:
                    steps.append((step, "refused", str(e)))
                except Exception:  # noqa: BLE001 - this is what the fuzz run looks for
                    steps.append((step, "internal", traceback.format_exc()))
                break
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        sink.seek(0)
        err = sink.read().decode("utf-8", errors="replace")
        sink.close()
    return {"steps": steps, "stderr": err}


def run_case(path: Path) -> Outcome:
    """Parent side: one child per input; classify its answer."""
    from pmviewer.core.errors import Cancelled, InputFileError
    from pmviewer.core.progress import CancelToken
    from pmviewer.core.vcf.isolated import call_isolated

    token = CancelToken()
    timer = threading.Timer(TIME_LIMIT, token.cancel)
    timer.start()
    try:
        answer = call_isolated(
            examine, {"path": str(path)}, crash_message=lambda how: f"CRASH {how}", cancel=token
        )
    except Cancelled:
        return Outcome("hang")
    except InputFileError as e:
        return Outcome("crash", detail=str(e))
    finally:
        timer.cancel()
    steps, err = answer["steps"], answer["stderr"]
    if any(kind == "internal" for _, kind, _ in steps):
        detail = next(text for _, kind, text in steps if kind == "internal")
        return Outcome("internal", steps, err, detail)
    bad = [
        text
        for _, kind, text in steps
        if kind == "refused" and (_RAW.search(text) or len(text) < 40)
    ]
    if bad:
        return Outcome("bad_message", steps, err, bad[0])
    if re.search(r"\[[EW]::", err):
        return Outcome("noisy", steps, err, err[:300])
    if any(kind == "refused" for _, kind, _ in steps):
        return Outcome("refused", steps, err)
    return Outcome("clean", steps, err)


FAILURES = ("crash", "internal", "bad_message", "noisy", "hang")
