"""Say exactly what is wrong when a VCF cannot be read.

htslib reports problems on stderr and cyvcf2 raises bare ``Exception``/``OSError``, sometimes
after returning part of the file. When reading fails we look at the file ourselves (the
compressed stream, then the offending line) and raise an :class:`InputFileError` that tells
a counselor what happened and what to do.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from pmviewer.core.errors import InputFileError
from pmviewer.core.vcf.header import HeaderText, not_vcf_message, truncated_message
from pmviewer.core.vcf.index import quiet_htslib
from pmviewer.core.vcf.reader import CyvcfReader, ReadFailure

_EMPTY = HeaderText(
    file_format=None, samples=[], contigs={}, contig_assemblies=[], references=[], info={},
    formats={}, filters=[], alts=[],
)  # fmt: skip


def open_reader(
    path: Path,
    header: HeaderText | None,
    sample: str | None,
    index: str | None = None,
    annotation_key: str | None = None,
) -> CyvcfReader:
    """A :class:`CyvcfReader`, with cyvcf2's opening errors turned into counselor messages."""
    quiet_htslib()
    try:
        return CyvcfReader(str(path), header or _EMPTY, sample, index, annotation_key)
    except UnicodeDecodeError as e:
        raise InputFileError(
            f"The file {path.name} has characters that are not valid text (not UTF-8) in its "
            "sample names. Ask the lab to re-export the VCF with UTF-8 names."
        ) from e
    except (OSError, Exception) as e:  # cyvcf2: OSError "not valid bcf or vcf", bare Exception
        text = str(e)
        if "index" in text.lower() and index is not None:
            raise InputFileError(
                f"The index file for {path.name} could not be used ({text}). Remove the "
                ".tbi/.csi file next to it and open the VCF again."
            ) from e
        raise InputFileError(not_vcf_message(path.name, "its header could not be read")) from e


def _stream_error(path: Path, compression: str) -> InputFileError | None:
    """Read the whole compressed stream; return an error if it is cut short or damaged."""
    if compression not in ("gzip", "bgzip", "bcf"):
        return None
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(8 * 1024 * 1024):
                pass
    except EOFError:
        return InputFileError(truncated_message(path.name))
    except (gzip.BadGzipFile, zlib.error, OSError):
        return InputFileError(
            f"The file {path.name} is damaged (its compressed data cannot be unpacked), so "
            "variants would be missing. Copy it again from the lab's server and reopen it."
        )
    return None


def _data_line(path: Path, compression: str, record_no: int) -> tuple[int, bytes | None]:
    """(1-based line number, raw bytes) of data line ``record_no`` (0-based); None past the end."""
    opener = gzip.open if compression in ("gzip", "bgzip") else open
    line_no = 0
    seen = -1
    with opener(path, "rb") as fh:
        for line in fh:
            line_no += 1
            if line.startswith(b"#"):
                continue
            seen += 1
            if seen == record_no:
                return line_no, line
    return line_no + 1, None


def explain_read_failure(
    path: Path, compression: str, header: HeaderText, failure: ReadFailure
) -> InputFileError:
    """The most specific counselor-facing error for a failure while reading records."""
    name = path.name
    stream = _stream_error(path, compression)
    if stream is not None:
        return stream
    detail = str(failure.cause) or type(failure.cause).__name__
    if compression == "bcf":
        return InputFileError(
            f"pmviewer could not read variant number {failure.record_no + 1} of {name} "
            f"({detail}). The file may be damaged. Ask the lab to check it with "
            "'bcftools view' and send a corrected file."
        )
    try:
        line_no, raw = _data_line(path, compression, failure.record_no)
    except (OSError, EOFError, zlib.error):
        return InputFileError(truncated_message(name))
    if raw is None:
        return InputFileError(truncated_message(name))
    if isinstance(failure.cause, UnicodeDecodeError):
        return InputFileError(
            f"Line {line_no} of {name} has characters that are not valid text (not UTF-8). "
            "Ask the lab to re-export the VCF as UTF-8 and send it again."
        )
    text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
    cols = text.split("\t")
    expected = 8 if not header.samples else 9 + len(header.samples)
    if len(cols) != expected and not (len(cols) == 8 and not header.samples):
        people = f"{len(header.samples)} sample(s)" if header.samples else "no samples"
        return InputFileError(
            f"Line {line_no} of {name} has {len(cols)} columns, but the header line lists "
            f"{people} and so needs {expected}. The file is damaged or was edited by hand. "
            "Ask the lab to send a corrected file."
        )
    if not raw.endswith(b"\n"):
        return InputFileError(truncated_message(name))
    if len(cols) > 1 and not cols[1].isdigit():
        return InputFileError(
            f"Line {line_no} of {name} has the position '{cols[1][:20]}', which is not a "
            "number. Ask the lab to send a corrected file."
        )
    return InputFileError(
        f"pmviewer could not read the variant on line {line_no} of {name} ({detail}). The "
        "line does not follow the VCF standard. Ask the lab to check the file (for example "
        "with 'bcftools view') and send a corrected file."
    )


def explain_region_failure(
    path: Path, compression: str, index: Path, failure: ReadFailure
) -> InputFileError:
    """A failure while reading regions through an index (record numbers are not lines here)."""
    stream = _stream_error(path, compression)
    if stream is not None:
        return stream
    detail = str(failure.cause) or type(failure.cause).__name__
    if "index" in detail.lower():
        return InputFileError(
            f"The index file {index.name} for {path.name} could not be used ({detail}). "
            "Remove the .tbi/.csi file next to the VCF and open it again."
        )
    return InputFileError(
        f"pmviewer could not read the variants of {path.name} in the requested regions "
        f"({detail}). The file may be damaged. Ask the lab to check it (for example with "
        "'bcftools view') and send a corrected file."
    )
