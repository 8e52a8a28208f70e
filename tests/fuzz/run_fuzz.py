"""Bounded, seeded mutational fuzzing of the VCF reader; prints the figures of the run.

    python tests/fuzz/run_fuzz.py --cases 3000            # the long run (see README.md)
    python tests/fuzz/run_fuzz.py --cases 300 --start 0   # what the test suite runs

Case ``n`` always builds the same bytes (seed file ``n % seeds``, mutations seeded by ``n``).
Every failing input is written to ``regressions/`` (kept in git, replayed by the suite).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import FAILURES, Outcome, run_case  # noqa: E402
from mutate import mutate  # noqa: E402
from seeds import seeds  # noqa: E402

REGRESSIONS = HERE / "regressions"


def run(
    cases: range, keep: bool = True, report=print
) -> tuple[Counter, list[tuple[int, str, Outcome]]]:
    available = seeds()
    if not available:
        raise SystemExit("no seed VCFs found")
    counts: Counter = Counter()
    failures: list[tuple[int, str, Outcome]] = []
    with tempfile.TemporaryDirectory(prefix="pmviewer-fuzz-") as tmp:
        for n in cases:
            seed_name, text, bcf = available[n % len(available)]
            what, suffix, data = mutate(text, bcf, n)
            path = Path(tmp) / f"case-{n}{suffix}"
            path.write_bytes(data)
            outcome = run_case(path)
            counts[outcome.kind] += 1
            if outcome.kind in FAILURES:
                failures.append((n, f"{seed_name}: {what}", outcome))
                if keep:
                    REGRESSIONS.mkdir(exist_ok=True)
                    (REGRESSIONS / f"case-{n}-{outcome.kind}{suffix}").write_bytes(data)
                report(f"case {n} ({seed_name}: {what}): {outcome.kind}: {outcome.detail[:300]}")
            path.unlink()
    return counts, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--no-keep", action="store_true", help="do not save failing inputs")
    args = parser.parse_args()
    started = time.monotonic()
    counts, failures = run(range(args.start, args.start + args.cases), keep=not args.no_keep)
    seconds = time.monotonic() - started
    total = sum(counts.values())
    print(f"cases {total} in {seconds:.0f} s ({seconds / max(total, 1):.2f} s per case)")
    for kind in ("clean", "refused", *FAILURES):
        print(f"  {kind:<12} {counts.get(kind, 0)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
