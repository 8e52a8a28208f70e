"""VCF header facts read without cyvcf2: compression, header text, contigs, build.

Reading the header ourselves lets us say exactly what is wrong with a file (not a VCF,
truncated, non-UTF-8 names) before htslib prints its own terse errors, and keeps build
detection testable on plain strings.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pmviewer.core.errors import InputFileError
from pmviewer.core.genome import canonical_chrom

# Primary-assembly sequence lengths, from the GRC assembly reports:
# GRCh37.p13 (GCF_000001405.25) and GRCh38.p14 (GCF_000001405.40), "Sequence-Length" column;
# chrM of UCSC hg19 is the older Yoruba mitochondrion (NC_001807, 16571 bp) instead of rCRS.
GRCH37_LENGTHS: dict[str, int] = {
    "1": 249250621, "2": 243199373, "3": 198022430, "4": 191154276, "5": 180915260,
    "6": 171115067, "7": 159138663, "8": 146364022, "9": 141213431, "10": 135534747,
    "11": 135006516, "12": 133851895, "13": 115169878, "14": 107349540, "15": 102531392,
    "16": 90354753, "17": 81195210, "18": 78077248, "19": 59128983, "20": 63025520,
    "21": 48129895, "22": 51304566, "X": 155270560, "Y": 59373566,
}  # fmt: skip
GRCH38_LENGTHS_CANONICAL: dict[str, int] = {
    "1": 248956422, "2": 242193529, "3": 198295559, "4": 190214555, "5": 181538259,
    "6": 170805979, "7": 159345973, "8": 145138636, "9": 138394717, "10": 133797422,
    "11": 135086622, "12": 133275309, "13": 114364328, "14": 107043718, "15": 101991189,
    "16": 90338345, "17": 83257441, "18": 80373285, "19": 58617616, "20": 64444167,
    "21": 46709983, "22": 50818468, "X": 156040895, "Y": 57227415,
}  # fmt: skip
# chr-prefixed view of the GRCh38 table (used by the synthetic-genome benchmark).
GRCH38_LENGTHS: dict[str, int] = {f"chr{k}": v for k, v in GRCH38_LENGTHS_CANONICAL.items()}
HG19_CHRM_LENGTH = 16571

# Words in ##reference / ##assembly / contig "assembly=" values, most specific first.
_BUILD_WORDS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"grch38|hg38|hs38|assembly38|\bb38\b|gca_000001405\.15", re.I), "GRCh38"),
    (
        re.compile(r"grch37|hg19|hs37d5|\bb37\b|human_g1k_v37|hs37|assembly19|\bv37\b", re.I),
        "GRCh37",
    ),
    (re.compile(r"ncbi36|hg18|\bb36\b", re.I), None),
]

BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
_MAX_HEADER_BYTES = 512 * 1024 * 1024  # a header longer than this is not a real VCF header


@dataclass
class HeaderText:
    """Header facts parsed from the meta lines and the ``#CHROM`` line."""

    file_format: str | None
    samples: list[str]
    contigs: dict[str, int | None]
    contig_assemblies: list[str]
    references: list[str]  # values of ##reference / ##assembly lines
    info: dict[str, str]  # ID -> Description
    formats: dict[str, str]
    filters: list[str]
    alts: list[str]  # ##ALT IDs (gVCF files declare NON_REF / *)
    meta_keys: list[str] = field(default_factory=list)
    # (key, value) of the other meta lines (command lines, sources, liftover notes): weak
    # build evidence when contigs and ##reference say nothing
    other_meta: list[tuple[str, str]] = field(default_factory=list)


def sniff_compression(path: Path) -> str:
    """Return "bgzip", "gzip", "bcf" or "none" from the first bytes; raise when unreadable."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(18)
            if head[:2] != b"\x1f\x8b":
                return "none"
            # BGZF: gzip with FEXTRA and a "BC" subfield (SAM/BAM spec, section 4.1).
            is_bgzf = len(head) >= 14 and head[3] & 4 and head[12:14] == b"BC"
            fh.seek(0)
            try:
                first = zlib.decompressobj(31).decompress(fh.read(65536), 8)
            except zlib.error:
                first = b""
    except FileNotFoundError as e:
        raise InputFileError(
            f"The file {path.name} could not be found. Check that it was not moved or "
            "renamed, then open it again."
        ) from e
    except IsADirectoryError as e:
        raise InputFileError(
            f"{path.name} is a folder, not a VCF file. Choose the file inside it."
        ) from e
    except PermissionError as e:
        raise InputFileError(
            f"pmviewer is not allowed to read {path.name}. Ask your IT team for read access, "
            "or copy the file to your own folder and open the copy."
        ) from e
    except OSError as e:
        raise InputFileError(
            f"The file {path.name} could not be read ({e.strerror or e}). Copy it again and reopen it."
        ) from e
    if first.startswith(b"BCF\x02"):
        return "bcf"
    return "bgzip" if is_bgzf else "gzip"


def has_bgzf_eof(path: Path) -> bool:
    """True when the file ends with the 28-byte BGZF end-of-file block."""
    size = path.stat().st_size
    if size < len(BGZF_EOF):
        return False
    with open(path, "rb") as fh:
        fh.seek(size - len(BGZF_EOF))
        return fh.read() == BGZF_EOF


def truncated_message(name: str) -> str:
    return (
        f"The file {name} ends early (it was probably copied or downloaded incompletely), so "
        "some variants would be missing. Copy it again from the lab's server and reopen it."
    )


def not_vcf_message(name: str, detail: str) -> str:
    return (
        f"{name} does not look like a VCF file ({detail}). Check that you chose the patient's "
        "VCF (usually ending in .vcf, .vcf.gz or .bcf) and not another report file."
    )


def read_header_lines(path: Path, compression: str) -> list[str]:
    """The header lines (``##`` meta lines and ``#CHROM``) of a text VCF, decoded as UTF-8.

    Raises :class:`InputFileError` for files that are not VCF text, are cut inside the
    header, or have non-UTF-8 bytes in the header.
    """
    name = path.name
    opener = gzip.open if compression in ("bgzip", "gzip") else open
    raw: list[bytes] = []
    total = 0
    try:
        with opener(path, "rb") as fh:
            for line in fh:
                if not line.startswith(b"#"):
                    break
                raw.append(line)
                total += len(line)
                if line.startswith(b"#CHROM") or total > _MAX_HEADER_BYTES:
                    break
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        if not raw:
            raise InputFileError(not_vcf_message(name, "its compression is damaged")) from e
        raise InputFileError(truncated_message(name)) from e
    except OSError as e:
        raise InputFileError(
            f"The file {name} could not be read ({e.strerror or e}). Copy it again and reopen it."
        ) from e
    if not raw:
        raise InputFileError(not_vcf_message(name, "it is empty or has no header lines"))
    if not raw[-1].startswith(b"#CHROM"):
        if total > _MAX_HEADER_BYTES:
            raise InputFileError(not_vcf_message(name, "its header never ends"))
        raise InputFileError(
            f"The file {name} has no '#CHROM' column line, so its header is incomplete "
            "(the file may have been cut short). Copy it again from the lab's server and reopen it."
        )
    lines: list[str] = []
    for i, b in enumerate(raw, start=1):
        try:
            lines.append(b.decode("utf-8").rstrip("\r\n"))
        except UnicodeDecodeError as e:
            if b.startswith(b"#CHROM"):
                raise InputFileError(
                    f"The file {name} has characters that are not valid text (not UTF-8) in "
                    "the sample names. Ask the lab to re-export the VCF with UTF-8 names, or "
                    "rename the sample with bcftools reheader."
                ) from e
            raise InputFileError(
                f"The file {name} has characters that are not valid text (not UTF-8) in header "
                f"line {i}. The file is damaged or was edited with a program that changed its "
                "characters. Ask the lab to send the original file again."
            ) from e
    columns = lines[-1]
    if "\t" not in columns and len(columns.split()) >= 8:
        raise InputFileError(
            f"The column line of {name} ('#CHROM POS ID …') is separated by spaces instead of "
            "tabs, so the columns cannot be told apart (a text editor or a copy from a web page "
            "may have changed it). Ask the lab for the original file; a VCF separates its "
            "columns with tabs."
        )
    if columns.startswith("#CHROM\t") and any(not s.strip() for s in columns.split("\t")[9:]):
        raise InputFileError(
            f"The column line of {name} ('#CHROM POS …') has an empty sample name (an extra "
            "tab, often at the end of the line), which the VCF standard does not allow, so the "
            "file cannot be read safely. Ask the lab to send a corrected file."
        )
    if not lines[0].startswith("##fileformat=VCF"):
        if lines[-1].startswith("#CHROM\tPOS\tID\tREF\tALT"):
            raise InputFileError(
                f"The file {name} has VCF columns but no '##fileformat=VCF…' first line (some "
                "annotation tools drop it), so it cannot be read safely. Ask the lab for the "
                "original VCF, or for a copy that starts with that line."
            )
        raise InputFileError(not_vcf_message(name, "the first line is not '##fileformat=VCF…'"))
    return lines


_FIELD_KEYS = frozenset({"contig", "INFO", "FORMAT", "FILTER", "ALT"})
_META = re.compile(r"^##(\w[\w.-]*)=<(.*)>\s*$")


def _attrs(body: str) -> dict[str, str]:
    """Parse ``ID=x,Number=1,Description="a, b"`` into a dict (quoted values may hold commas)."""
    out: dict[str, str] = {}
    for m in re.finditer(r'([\w.-]+)=("((?:[^"\\]|\\.)*)"|[^,]*)', body):
        out[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(2)
    return out


def parse_header_lines(lines: list[str]) -> HeaderText:
    """Header facts from decoded header lines (the output of :func:`read_header_lines`)."""
    ht = HeaderText(
        file_format=None, samples=[], contigs={}, contig_assemblies=[], references=[],
        info={}, formats={}, filters=[], alts=[],
    )  # fmt: skip
    for line in lines:
        if line.startswith("#CHROM"):
            cols = line.split("\t")
            samples = cols[9:]
            while samples and not samples[-1].strip():
                samples.pop()  # a trailing tab is not a sample with an empty name
            ht.samples = samples
            continue
        key, _, value = line[2:].partition("=")
        ht.meta_keys.append(key)
        if key == "fileformat":
            ht.file_format = value.strip()
        elif key in ("reference", "assembly"):
            ht.references.append(value.strip())
        elif key not in _FIELD_KEYS:
            ht.other_meta.append((key, value))
        m = _META.match(line)
        if not m:
            continue
        attrs = _attrs(m.group(2))
        ident = attrs.get("ID")
        if ident is None:
            continue
        if key == "contig":
            length = attrs.get("length", "")
            ht.contigs[ident] = int(length) if length.isdigit() else None
            if "assembly" in attrs:
                ht.contig_assemblies.append(attrs["assembly"])
        elif key == "INFO":
            ht.info[ident] = attrs.get("Description", "")
        elif key == "FORMAT":
            ht.formats[ident] = attrs.get("Description", "")
        elif key == "FILTER":
            ht.filters.append(ident)
        elif key == "ALT":
            ht.alts.append(ident)
    return ht


def detect_build(
    contigs: dict[str, int | None],
    references: list[str],
    other_meta: Sequence[tuple[str, str]] = (),
) -> tuple[str | None, str]:
    """Genome build from the header, strongest evidence first; None when unknown.

    1. ``##contig`` lengths; 2. names in ``##reference``/``##assembly`` lines and contig
    ``assembly=`` attributes; 3. an assembly name or reference file name in any other meta
    line ``other_meta`` (see :func:`_build_from_meta_lines`). Returns ``(build, evidence)``;
    evidence is a sentence a counselor can read.
    """
    hits37: list[str] = []
    hits38: list[str] = []
    for name, length in contigs.items():
        if length is None:
            continue
        canon = canonical_chrom(name)
        if canon == "MT" and length == HG19_CHRM_LENGTH:
            hits37.append(name)
        if GRCH37_LENGTHS.get(canon) == length:
            hits37.append(name)
        if GRCH38_LENGTHS_CANONICAL.get(canon) == length:
            hits38.append(name)
    if hits37 and not hits38:
        return "GRCh37", f"##contig lengths match GRCh37 ({_few(hits37)})"
    if hits38 and not hits37:
        return "GRCh38", f"##contig lengths match GRCh38 ({_few(hits38)})"
    if hits37 and hits38:
        return None, (
            f"##contig lengths are contradictory: {_few(hits37)} match GRCh37 but "
            f"{_few(hits38)} match GRCh38"
        )
    for text in references:
        for pattern, build in _BUILD_WORDS:
            if pattern.search(text):
                if build is None:
                    return None, f"the header names an old, unsupported build ({text[:80]})"
                return build, f"the header names the reference as {text[:80]}"
    found = _build_from_meta_lines(other_meta)
    if found is not None:
        return found
    return None, "the header has no ##contig lengths or reference name that identify the build"


# Assembly names and reference file names seen in pipelines' header lines. Stricter than
# _BUILD_WORDS (no bare "v37": GENCODE v37 is a GRCh38 annotation release).
_TOKEN_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"grch38|hg38|hs38|assembly38|\bb38\b|gca_000001405\.15", re.I), "GRCh38"),
    (re.compile(r"grch37|hg19|hs37|human_g1k_v37|assembly19|\bb37\b", re.I), "GRCh37"),
    (re.compile(r"ncbi36|hg18|\bb36\b", re.I), "an old build (NCBI36/hg18)"),
]
# A liftover chain file ("hg38ToHg19.over.chain.gz") names both builds; the data are on the
# second (the target), which is the one a lifted-over VCF is written against.
_CHAIN = re.compile(r"(?:hg\d\d|grch3\d)to((?:hg|grch)\d\d)", re.I)
_SPLIT = re.compile(r"[\s/\\=,;:\"'<>()\[\]{}]+")
# Keys of lines that state the reference itself (CrossMap's ##new_reference_genome, and the
# like); these outrank paths inside command lines, which liftover tools copy unchanged from
# the original caller, whose reference is the *old* build.
_REFERENCE_KEY = re.compile(r"reference|genome|assembly|build", re.I)


def _tokens(value: str) -> list[tuple[str, str]]:
    """(build, path component) for each assembly-naming component of one header value."""
    hits: list[tuple[str, str]] = []
    for part in _SPLIT.split(value):
        if not part:
            continue
        m = _CHAIN.search(part)
        text = m.group(1) if m else part
        for pattern, build in _TOKEN_WORDS:
            if pattern.search(text):
                hits.append((build, part))
                break
    return hits


def _build_from_meta_lines(lines: Sequence[tuple[str, str]]) -> tuple[str | None, str] | None:
    """Build named by assembly/reference tokens in meta lines; None when no line names one.

    Weaker than contig lengths and ``##reference``: a path in a command line is what a tool
    was given, not a statement about the file. Lines whose key names the reference are read
    first; the other lines only when those name nothing. Tokens naming different builds in
    the lines read give ``(None, evidence naming both)``.
    """
    stated = [(k, v) for k, v in lines if _REFERENCE_KEY.search(k)]
    others = [(k, v) for k, v in lines if not _REFERENCE_KEY.search(k)]
    for group, what in ((stated, "reference path in"), (others, "a path in")):
        hits = [(build, key, part) for key, value in group for build, part in _tokens(value)]
        if not hits:
            continue
        builds = {h[0] for h in hits}
        build, key, part = hits[0]
        if len(builds) > 1:
            other = next(h for h in hits if h[0] != build)
            return None, (
                f"header lines name different builds: ##{key} names {part[:60]} ({build}) but "
                f"##{other[1]} names {other[2][:60]} ({other[0]})"
            )
        if not build.startswith("GRCh"):
            return None, f"the ##{key} line names {build}, which is not supported ({part[:60]})"
        return build, f"{what} ##{key} names {part[:60]}"
    return None


def _few(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def is_gvcf_header(ht: HeaderText) -> bool:
    """gVCF files declare the ``<NON_REF>``/``<*>`` allele or GATK ``##GVCFBlock`` lines."""
    return "NON_REF" in ht.alts or "*" in ht.alts or "GVCFBlock" in ht.meta_keys
