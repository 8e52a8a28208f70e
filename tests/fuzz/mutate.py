"""Seeded mutations of real VCFs: the damage files suffer in copies, exports and hand edits.

Every mutation is a pure function of (seed text, random.Random), so a case number always
rebuilds the same bytes. Text mutations work on lines; container mutations wrap the result
as BGZF, plain gzip or BCF and damage the compressed bytes.
"""

from __future__ import annotations

import gzip
import random
import struct
import zlib
from collections.abc import Callable

# -- text mutations ----------------------------------------------------------------------


def _split(text: bytes) -> tuple[list[bytes], list[bytes]]:
    lines = text.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    header = [ln for ln in lines if ln.startswith(b"#")]
    data = [ln for ln in lines if not ln.startswith(b"#")]
    return header, data


def _join(header: list[bytes], data: list[bytes]) -> bytes:
    return b"\n".join(header + data) + b"\n"


def _pick(rng: random.Random, items: list[bytes]) -> int:
    return rng.randrange(len(items)) if items else -1


def byte_flips(text: bytes, rng: random.Random) -> bytes:
    data = bytearray(text)
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def truncate(text: bytes, rng: random.Random) -> bytes:
    return text[: rng.randrange(1, max(2, len(text)))]


def delete_lines(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_lines(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.randint(1, 3)
    return b"\n".join(lines)


def swap_lines(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    if len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def header_damage(text: bytes, rng: random.Random) -> bytes:
    header, data = _split(text)
    choice = rng.randrange(6)
    if choice == 0:  # no ##contig lines at all (the shape that crashed htslib)
        header = [h for h in header if not h.startswith(b"##contig")]
    elif choice == 1 and header:
        del header[_pick(rng, header)]
    elif choice == 2:  # a broken structured line
        i = _pick(rng, header)
        if i >= 0:
            header[i] = header[i].replace(b">", b"", 1).replace(b"=", b"", 1)
    elif choice == 3:  # the #CHROM line lost or space-separated
        cols = [h for h in header if h.startswith(b"#CHROM")]
        header = [h for h in header if not h.startswith(b"#CHROM")]
        if cols and rng.random() < 0.5:
            header.append(cols[0].replace(b"\t", b" "))
    elif choice == 4:  # the fileformat line gone
        header = [h for h in header if not h.startswith(b"##fileformat")]
    else:  # a FORMAT/INFO declaration with a wrong type
        header = [
            h.replace(b"Type=Integer", b"Type=Flag").replace(b"Number=1", b"Number=Z")
            for h in header
        ]
    return _join(header, data)


_ABSURD_POS = [b"-1", b"0", b"2147483647", b"2147483648", b"99999999999999", b"abc", b"", b"1e5"]
_BAD_GENOTYPES = [b"X/Y", b"0/A", b"./-1", b"1|", b"0//1", b"9999/1", b""]


def _edit_records(
    data: list[bytes], rng: random.Random, edit: Callable[[list[bytes]], None]
) -> None:
    """``edit`` changes the columns of one to three random records in place."""
    for _ in range(rng.randint(1, 3)):
        i = _pick(rng, data)
        if i < 0:
            break
        cols = data[i].split(b"\t")
        edit(cols)
        data[i] = b"\t".join(cols)


def _often_without_contigs(header: list[bytes], rng: random.Random) -> list[bytes]:
    """Half the time the ##contig lines go too: the shape that crashed htslib."""
    if rng.random() < 0.5:
        return [h for h in header if not h.startswith(b"##contig")]
    return header


def absurd_pos(text: bytes, rng: random.Random) -> bytes:
    header, data = _split(text)

    def edit(cols: list[bytes]) -> None:
        if len(cols) > 1:
            cols[1] = rng.choice(_ABSURD_POS)

    _edit_records(data, rng, edit)
    return _join(_often_without_contigs(header, rng), data)


def bad_genotypes(text: bytes, rng: random.Random) -> bytes:
    header, data = _split(text)

    def edit(cols: list[bytes]) -> None:
        if len(cols) > 9:
            j = rng.randrange(9, len(cols))  # drawn before the value: case numbers stay stable
            cols[j] = rng.choice(_BAD_GENOTYPES)

    _edit_records(data, rng, edit)
    return _join(_often_without_contigs(header, rng), data)


def odd_bytes(text: bytes, rng: random.Random) -> bytes:
    data = bytearray(text)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.choice(
            [b"\x00", b"\xff\xfe", "é".encode(), "\u202e".encode(), b"\x1b[2J"]
        )
    return bytes(data)


def crlf(text: bytes, rng: random.Random) -> bytes:
    return text.replace(b"\n", b"\r\n")


def wrong_columns(text: bytes, rng: random.Random) -> bytes:
    header, data = _split(text)

    def edit(cols: list[bytes]) -> None:
        if rng.random() < 0.5 and len(cols) > 2:
            del cols[rng.randrange(len(cols))]
        else:
            cols.insert(rng.randrange(len(cols) + 1), b"extra")

    _edit_records(data, rng, edit)
    return _join(header, data)


TEXT_MUTATIONS = {
    "byte_flips": byte_flips,
    "truncate": truncate,
    "delete_lines": delete_lines,
    "duplicate_lines": duplicate_lines,
    "swap_lines": swap_lines,
    "header_damage": header_damage,
    "absurd_pos": absurd_pos,
    "bad_genotypes": bad_genotypes,
    "odd_bytes": odd_bytes,
    "crlf": crlf,
    "wrong_columns": wrong_columns,
}

# -- containers -------------------------------------------------------------------------
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def bgzf(data: bytes) -> bytes:
    """BGZF (SAM/BAM specification, section 4.1): gzip members of at most 64 kB with a BC
    extra field holding the member size, then the empty end-of-file member."""
    out = bytearray()
    for start in range(0, len(data), 0xFF00):
        chunk = data[start : start + 0xFF00]
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = comp.compress(chunk) + comp.flush()
        size = 18 + len(body) + 8
        out += b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00"
        out += struct.pack("<H", size - 1) + body
        out += struct.pack("<II", zlib.crc32(chunk) & 0xFFFFFFFF, len(chunk))
    return bytes(out) + BGZF_EOF


def damage_compressed(blob: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    data = bytearray(blob)
    if choice == 0 and len(data) > 40:  # flipped bytes inside the compressed stream
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(18, len(data) - 28)] ^= 0xFF
    elif choice == 1:  # cut short
        data = data[: rng.randrange(1, len(data))]
    elif choice == 2 and blob.endswith(BGZF_EOF):  # no end-of-file block
        data = data[: -len(BGZF_EOF)]
    else:  # a gzip header byte changed
        data[rng.randrange(min(18, len(data)))] ^= 0x55
    return bytes(data)


def mutate(seed_text: bytes, seed_bcf: bytes | None, case: int) -> tuple[str, str, bytes]:
    """(description, file suffix, bytes) of fuzz case number ``case``."""
    rng = random.Random(case)
    names = list(TEXT_MUTATIONS)
    steps = [rng.choice(names) for _ in range(rng.choice([1, 1, 1, 2]))]
    text = seed_text
    for name in steps:
        text = TEXT_MUTATIONS[name](text, rng)
    container = rng.choices(["vcf", "bgzf", "gzip", "bgzf-damaged", "bcf-damaged"],
                            weights=[5, 3, 1, 2, 1])[0]  # fmt: skip
    if container == "bcf-damaged" and seed_bcf is not None:
        return "bcf damaged", ".bcf", damage_compressed(seed_bcf, rng)
    if container == "bgzf":
        return "+".join(steps) + " (bgzip)", ".vcf.gz", bgzf(text)
    if container == "gzip":
        return "+".join(steps) + " (gzip)", ".vcf.gz", gzip.compress(text, mtime=0)
    if container == "bgzf-damaged":
        return "+".join(steps) + " (bgzip damaged)", ".vcf.gz", damage_compressed(bgzf(text), rng)
    return "+".join(steps), ".vcf", text
