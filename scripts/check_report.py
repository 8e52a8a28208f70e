"""Audit a report PDF offline: the PDF/A-3b check, qpdf's syntax check, the report ID and
attachments, and every signature (optionally against the laboratory's CA certificate).

Usage: python scripts/check_report.py REPORT.pdf [--trust CA.pem ...]
Exit status 0 when the archive passes and every signature is intact, valid and (with
--trust) trusted; 1 otherwise.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pikepdf

from pmviewer.export.archive import check_archive
from pmviewer.export.signing import check_signatures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf")
    parser.add_argument("--trust", action="append", default=[], metavar="CERT")
    args = parser.parse_args()
    data = Path(args.pdf).read_bytes()
    archive = check_archive(data)
    print(archive.describe())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = pdf.check_pdf_syntax()
    print(f"qpdf syntax check: {'no problems' if not problems else '; '.join(map(str, problems))}")
    ok = archive.passed and not problems
    roots = [Path(p).read_bytes() for p in args.trust]
    signatures = check_signatures(data, roots)
    if not signatures:
        print("signatures: none")
    for n, sig in enumerate(signatures, 1):
        print(f"signature {n}:\n  " + sig.describe().replace("\n", "\n  "))
        ok = ok and sig.intact and sig.valid and (sig.trusted or not roots)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
