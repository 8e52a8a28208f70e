"""Contigs the data lines use but the header does not declare, found before htslib parses them.

htslib adds an undeclared contig to the header while it parses the record that names it; when
that record is also malformed (POS ``-1``, a GT that is not a number) the half-updated header
makes it crash (SIGSEGV) on the next field access. Declaring every contig up front
(:meth:`~pmviewer.core.vcf.reader.CyvcfReader` ``extra_contigs``) keeps htslib on its normal
error path, which raises an exception the loader explains. The names come from the index when
one is used, else from a plain-text scan of the data lines (a few tenths of a second per
hundred thousand records; BCF files cannot have undeclared contigs).
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from pmviewer.core import progress as prog
from pmviewer.core.errors import InputFileError
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.header import truncated_message

# VCF 4.3 section 1.4.7: the characters a contig name may hold (no '<', '>', ',', quotes, space)
_CONTIG_NAME = re.compile(rb"[0-9A-Za-z!#$%&+./:;?@^_|~-][0-9A-Za-z!#$%&*+./:;=?@^_|~-]*")
_CHECK_EVERY = 65536


def _bad_name(name: bytes, line_no: int | None, file_name: str) -> InputFileError:
    shown = name.decode("utf-8", errors="replace")[:40].encode("unicode_escape").decode()
    where = f"Line {line_no} of {file_name}" if line_no else f"A variant line of {file_name}"
    return InputFileError(
        f"{where} names the chromosome '{shown}', which is not a valid "
        "chromosome name (it holds spaces, commas, angle brackets or control characters). The "
        "file is damaged or was edited by hand. Ask the lab to send a corrected file."
    )


def check_contig_names(names: list[str], file_name: str) -> list[str]:
    """``names`` unchanged when each can be declared in a header line; else a clear refusal."""
    for name in names:
        raw = name.encode("utf-8", errors="replace")
        if not _CONTIG_NAME.fullmatch(raw):
            raise _bad_name(raw, None, file_name)
    return names


def scan_undeclared(
    path: Path,
    compression: str,
    declared: set[str],
    cancel: CancelToken | None = None,
    first_only: bool = False,
) -> list[str]:
    """Names of contigs used by data lines of a text VCF but absent from ``declared``.

    ``first_only`` stops after the first data line (enough before reading only that record).
    Raises :class:`InputFileError` for a name that cannot be a contig name.
    """
    if compression == "bcf":
        return []
    known = {n.encode("utf-8", errors="surrogateescape") for n in declared}
    found: dict[bytes, None] = {}
    opener = gzip.open if compression in ("bgzip", "gzip") else open
    line_no = 0
    try:
        with opener(path, "rb") as fh:
            in_header = True
            for line in fh:
                line_no += 1
                if in_header:
                    in_header = not line.startswith(b"#CHROM")
                    continue
                if line[:1] == b"#":  # htslib reads every line after #CHROM as a record
                    raise InputFileError(
                        f"Line {line_no} of {path.name} is a header line (it starts with '#') "
                        "but comes after the column line '#CHROM …', so the header is out of "
                        "order (the file was edited or damaged). Ask the lab to send a "
                        "corrected file."
                    )
                if not line_no % _CHECK_EVERY:
                    prog.check(cancel)
                tab = line.find(b"\t")
                name = line[:tab] if tab >= 0 else line.rstrip(b"\r\n")
                if name not in known and name not in found:
                    if not line.strip():  # htslib makes a bogus record of it, or crashes
                        raise InputFileError(
                            f"Line {line_no} of {path.name} is empty. A VCF has no empty lines "
                            "among its variants (the file was edited or damaged). Ask the lab "
                            "to send a corrected file."
                        )
                    if not _CONTIG_NAME.fullmatch(name):
                        raise _bad_name(name, line_no, path.name)
                    found[name] = None
                if first_only:
                    break
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise InputFileError(truncated_message(path.name)) from e
    except OSError as e:
        raise InputFileError(
            f"The file {path.name} could not be read ({e.strerror or e}). Copy it again and "
            "reopen it."
        ) from e
    return [n.decode("utf-8", errors="replace") for n in found]


def first_data_chrom(path: Path, compression: str) -> str | None:
    """The CHROM of the first data line of a text VCF, read as text (no htslib)."""
    opener = gzip.open if compression in ("bgzip", "gzip") else open
    try:
        with opener(path, "rb") as fh:
            for line in fh:
                if line[:1] != b"#" and line.strip():
                    return line.split(b"\t", 1)[0].decode("utf-8", errors="replace")
    except (OSError, EOFError, zlib.error):
        return None
    return None
