"""Every real VCF of the shared corpus loads with the right row count, or fails clearly.

The expected row count comes from bcftools, independently of our reader: split multi-allelic
records (``bcftools norm -m-any``), then count split rows whose ALT is a real allele (not
``*``, ``<NON_REF>``, ``<*>`` or ``.``) and whose genotype for the loaded sample carries
allele 1 (after splitting, the row's own ALT). Files without GT keep every real-ALT row.
The outcome of each file is printed as a table (visible without ``-s``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pmviewer.core import vcf
from pmviewer.core.errors import PmviewerError
from pmviewer.core.vcf.reader import cyvcf2_available

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

_SUFFIXES = (".vcf", ".vcf.gz", ".bcf", ".gvcf", ".gvcf.gz", ".bgz")
_NOT_VARIANT = {"*", "<NON_REF>", "<*>", "<X>", "."}


def corpus_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith(_SUFFIXES))


def _bcftools(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["bcftools", *args], capture_output=True, timeout=300)


def _query(path: Path | str, sample: str | None, has_gt: bool, stdin=None) -> str | None:
    fmt = "%ALT[\\t%GT]\\n" if has_gt else "%ALT\\n"  # has_gt: a sample was chosen
    cmd = ["bcftools", "query", "-f", fmt]
    if has_gt:
        cmd += ["-s", sample]  # type: ignore[list-item]
    out = subprocess.run([*cmd, str(path)], stdin=stdin, capture_output=True, timeout=300)
    return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else None


def _count_split(text: str, has_gt: bool) -> int:
    """Split rows to keep: ALT k is kept when it is a real allele and GT contains k.

    A record whose GT is missing in a file that does not declare GT is kept whole
    (zygosity unknown), as the loader does for files without genotypes.
    """
    count = 0
    for line in text.splitlines():
        alts, _, gt = line.partition("\t")
        alleles = set(re.split(r"[/|]", gt))
        no_gt = not gt or alleles == {"."}
        for k, alt in enumerate(alts.split(","), start=1):
            if alt in _NOT_VARIANT:
                continue
            if (no_gt and not has_gt) or str(k) in alleles:
                count += 1
    return count


def expected_rows(path: Path, sample: str | None) -> tuple[set[int], str]:
    """Rows the loader should keep, computed with bcftools, and how they were computed.

    Method 1: ``bcftools norm -m-any`` then count split rows carrying allele 1. Method 2:
    the split done here on ``bcftools query`` output of the original file (bcftools cannot
    write files whose contigs are undeclared, and mis-writes duplicated FORMAT keys).
    Returns the set of counts the methods that worked agree on or disagree about.
    """
    header = _bcftools("view", "-h", str(path))
    if header.returncode != 0:
        return set(), "bcftools cannot read it"
    has_gt = b"##FORMAT=<ID=GT," in header.stdout and sample is not None
    with_gt = sample is not None  # GT may be present without being declared
    counts: dict[str, int] = {}
    norm = subprocess.Popen(
        ["bcftools", "norm", "-m-any", "--no-version", "-Ov", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    text = _query("-", sample, with_gt, stdin=norm.stdout)
    norm.stdout.close()  # a query that stopped early must not leave norm blocked on a full pipe
    norm.wait(timeout=300)
    if norm.returncode == 0 and text is not None:
        counts["norm -m-any"] = _count_split(text, has_gt)
    text = _query(path, sample, with_gt)
    if text is None and with_gt and not has_gt:  # FORMAT without any GT: query cannot ask for it
        text = _query(path, sample, False)
    if text is not None:
        counts["query + split"] = _count_split(text, has_gt)
    values = set(counts.values())
    if len(values) > 1:
        return values, "bcftools methods disagree: " + ", ".join(
            f"{k}={v}" for k, v in counts.items()
        )
    return values, " & ".join(counts) or "bcftools failed"


def sources_builds(root: Path) -> dict[str, str]:
    """File name -> build as written in SOURCES.md (only plain GRCh37/GRCh38 entries)."""
    out: dict[str, str] = {}
    text = (root / "SOURCES.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 5 and cells[1].startswith("`"):
            m = re.match(r"(GRCh3[78])\b", cells[4])
            if m and "lifted" not in cells[4] and "butnotreally" not in cells[4]:
                out[cells[1].split("`")[1]] = m.group(1)
    return out


@pytest.mark.skipif(
    shutil.which("bcftools") is None, reason="bcftools is needed for the reference counts"
)
def test_every_corpus_file_loads_or_fails_clearly(corpus_dir, capsys):
    builds = sources_builds(corpus_dir)
    files = corpus_files(corpus_dir)
    assert len(files) > 100
    rows: list[tuple[str, str, str]] = []
    failures: list[str] = []
    counts = {"loaded, count agrees": 0, "clear error": 0, "loaded, no bcftools reference": 0}
    for path in files:
        rel = str(path.relative_to(corpus_dir))
        sample = None
        try:
            info = vcf.inspect(path)
            sample = info.samples[0] if info.samples else None
            table = vcf.load(path, sample=sample)
        except PmviewerError as e:
            counts["clear error"] += 1
            rows.append((rel, f"ERROR {type(e).__name__}", str(e)[:110]))
            continue
        except Exception as e:  # noqa: BLE001 - the point of the test
            failures.append(f"{rel}: unexpected {type(e).__name__}: {e}")
            rows.append((rel, "CRASH", f"{type(e).__name__}: {e}"[:110]))
            continue
        want, how = expected_rows(path, sample)
        got = len(table.frame)
        st = table.stats
        detail = (
            f"rows={got} bcftools={want} read={st.records_read} ref={st.reference_only} "
            f"nocall={st.no_call} notcarried={st.not_carried} blocks={st.gvcf_blocks} "
            f"build={info.build}"
        )
        if not want:
            counts["loaded, no bcftools reference"] += 1
            rows.append((rel, f"LOADED ({how})", detail))
        elif got not in want:
            failures.append(f"{rel}: {got} rows, bcftools says {want}")
            rows.append((rel, "COUNT MISMATCH", detail))
        else:
            counts["loaded, count agrees"] += 1
            rows.append((rel, f"OK ({how})", detail))
        stated = builds.get(path.name)
        if stated and info.build and stated != info.build:
            failures.append(f"{rel}: build {info.build}, SOURCES.md says {stated}")
    with capsys.disabled():
        width = max(len(r[0]) for r in rows)
        print("\n\nVCF corpus outcome")
        for rel, outcome, detail in rows:
            print(f"  {rel:<{width}}  {outcome:<26} {detail}")
        print(
            "  " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + f", of {len(files)} files\n"
        )
    assert not failures, "\n".join(failures)


def _keys(frame) -> set[tuple]:
    return set(
        zip(frame["chrom"].astype(str), frame["pos"], frame["ref"], frame["alt"], strict=True)
    )


def test_region_loads_match_the_full_load_on_real_files(corpus_dir):
    """For every bgzipped corpus file: the rows of a region load (through the file's index,
    or one built in the cache) are exactly the full-load rows overlapping those regions."""
    checked = 0
    for path in corpus_files(corpus_dir):
        if not path.name.endswith((".vcf.gz", ".bcf", ".bgz")):
            continue
        try:
            info = vcf.inspect(path)
            sample = info.samples[0] if info.samples else None
            full = vcf.load(path, sample=sample)
        except PmviewerError:
            continue
        f = full.frame
        if f.empty:
            continue
        ends = (f["pos"] + f["ref"].str.len() - 1).astype("int64")
        ends = ends.where(f["sv_end"].isna(), f["sv_end"].astype("float").fillna(0).astype("int64"))
        regions = []
        for chrom, grp in f.groupby(f["chrom"].astype(str), observed=True):
            lo, hi = int(grp["pos"].min()), int(grp["pos"].max())
            regions.append((chrom, lo, (lo + hi) // 2))
        want = set()
        for chrom, start, end in regions:
            hit = (f["chrom"].astype(str) == chrom) & (f["pos"] <= end) & (ends >= start)
            want |= _keys(f[hit])
        part = vcf.load(path, sample=sample, regions=regions)
        assert _keys(part.frame) == want, path.name
        if info.compression in ("bgzip", "bcf") and cyvcf2_available():  # else a scan
            assert part.info.indexed, path.name
        checked += 1
    assert checked >= 20


def _intervals(frame) -> list[tuple[str, int, int]]:
    return list(
        zip(frame["chrom"].astype(str), frame["start"].tolist(), frame["end"].tolist(), strict=True)
    )


def clipped_intervals(intervals, regions) -> list[tuple[str, int, int]]:
    """Intervals intersected with the regions, pieces that touch merged (the documented rule)."""
    pieces = sorted(
        (c, max(s, rs), min(e, re_))
        for c, s, e in intervals
        for rc, rs, re_ in regions
        if rc == c and s <= re_ and e >= rs
    )
    merged: list[list] = []
    for c, s, e in pieces:
        if merged and merged[-1][0] == c and s <= merged[-1][2] + 1:
            merged[-1][2] = max(merged[-1][2], e)
        else:
            merged.append([c, s, e])
    return [tuple(m) for m in merged]


def _regions_inside_blocks(intervals) -> list[tuple[str, int, int]]:
    """Regions that start and end inside covered intervals, on up to 4 contigs."""
    by_chrom: dict[str, list[tuple[int, int]]] = {}
    for c, s, e in intervals:
        by_chrom.setdefault(c, []).append((s, e))
    regions = []
    for chrom, spans in list(by_chrom.items())[:4]:
        spans.sort()
        k = len(spans) // 2
        a, b = spans[k], spans[min(k + 3, len(spans) - 1)]
        regions.append((chrom, (a[0] + a[1]) // 2, (b[0] + b[1]) // 2 + 1))
        s, e = spans[0]
        regions.append((chrom, s + (e - s) // 3, max(s + (e - s) // 3, e - (e - s) // 3)))
    return regions


def test_region_loads_cover_what_the_full_load_covers_on_real_gvcfs(corpus_dir):
    """Reference blocks starting before a region count for the part inside it, whether the
    records come from an index query (bgzipped files) or a scan (plain text files)."""
    checked = 0
    for path in corpus_files(corpus_dir):
        try:
            info = vcf.inspect(path)
            if not info.is_gvcf:
                continue
            sample = info.samples[0] if info.samples else None
            full = vcf.load(path, sample=sample)
        except PmviewerError:
            continue
        covered = _intervals(full.covered)
        if not covered:
            continue
        regions = _regions_inside_blocks(covered)
        part = vcf.load(path, sample=sample, regions=regions)
        assert _intervals(part.covered) == clipped_intervals(covered, regions), path.name
        checked += 1
    assert checked >= 5


def test_zero_depth_blocks_of_a_real_gvcf_are_not_covered(corpus_dir):
    """GLnexus/GATK NA12878 gVCF: blocks with DP 0 or GQ 0 (counted independently with
    bcftools) are left out of ``covered`` and counted; every other block stays covered."""
    path = corpus_dir / "c_gvcf" / "glnexus__NA12878.g.vcf.gz"
    if shutil.which("bcftools") is None:
        pytest.skip("bcftools is needed for the reference counts")
    out = _bcftools("query", "-f", "%CHROM\t%POS\t%END[\t%GT\t%DP\t%GQ]\n", str(path))
    empty: list[tuple[str, int, int]] = []
    called: list[tuple[str, int, int]] = []
    for line in out.stdout.decode().splitlines():
        chrom, pos, end, gt, dp, gq = line.split("\t")
        if gt != "0/0":
            continue
        span = (chrom, int(pos), int(end) if end != "." else int(pos))
        (empty if dp == "0" or gq == "0" else called).append(span)
    t = vcf.load(path)
    assert t.stats.uncovered_blocks == len(empty) > 1000
    starts: dict[str, list[tuple[int, int]]] = {}
    for c, s, e in _intervals(t.covered):
        starts.setdefault(c, []).append((s, e))

    def covered_at(chrom: str, pos: int) -> bool:
        return any(s <= pos <= e for s, e in starts.get(chrom, []))

    assert not any(covered_at(c, s) or covered_at(c, e) for c, s, e in empty[::50])
    assert all(covered_at(c, s) and covered_at(c, e) for c, s, e in called[::50])
