"""A bounded, seeded fuzz run in the suite, and a replay of every input that ever crashed.

Target: 0 signals, 0 internal errors, 0 raw htslib lines on stderr, 0 hangs, and every refusal
a counselor-readable message (see harness.py for the classes; run_fuzz.py for longer runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import FAILURES, run_case  # noqa: E402
from run_fuzz import run  # noqa: E402

SUITE_CASES = 300  # about a minute on one core
REGRESSIONS = sorted((HERE / "regressions").glob("*"))


def test_seeded_fuzz_run_has_no_crash_internal_error_or_raw_message():
    lines: list[str] = []
    counts, failures = run(range(SUITE_CASES), keep=False, report=lines.append)
    print(dict(counts))  # the figures of this run (pytest -s shows them)
    assert sum(counts.values()) == SUITE_CASES
    assert counts["clean"] > 0 and counts["refused"] > 0  # both paths were exercised
    assert failures == [], "\n".join(lines)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_every_input_that_ever_crashed_is_now_handled(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    outcome = run_case(copy)
    assert outcome.kind not in FAILURES, outcome.detail
