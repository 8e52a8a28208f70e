"""GRCh37 calling: PharmCAT's haplotype test VCFs lifted to GRCh37 give the same diplotypes.

The test VCFs (GRCh38) are lifted here with pyliftover, an independent implementation of UCSC
liftOver, over the Ensembl GRCh38->GRCh37 chain of the knowledge sources; pmviewer's
knowledge build converts the allele-definition positions with its own chain reader. The
expected diplotypes are those of :mod:`test_pgx_agreement` (PharmCAT's, file by file).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pgx_testdata import table_from_vcf
from test_pgx_agreement import EXPECTED, _pairs

from pmviewer.core.pgx.caller import call_pgx

pyliftover = pytest.importorskip("pyliftover")


@pytest.fixture(scope="module")
def lifter(knowledge_sources):
    return pyliftover.LiftOver(str(knowledge_sources / "liftover/GRCh38_to_GRCh37.chain.gz"))


def lift_one(lifter, chrom: str, pos: int) -> int | None:
    """GRCh37 position on the same chromosome, forward strand (alt-haplotype patches skipped)."""
    bare = chrom.removeprefix("chr")
    hits = [
        h
        for h in lifter.convert_coordinate(chrom, pos - 1) or []
        if h[0].removeprefix("chr") == bare
    ]
    if len(hits) != 1 or hits[0][2] != "+":
        return None
    return int(hits[0][1]) + 1


def lift_vcf(src: Path, out: Path, lifter) -> tuple[Path, int]:
    """``src`` with every record moved to GRCh37 (records that do not lift are dropped)."""
    opener = gzip.open if src.suffix == ".gz" else open
    lines, dropped = [], 0
    with opener(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("##contig") or line.startswith("##reference"):
                continue
            if line.startswith("#CHROM"):
                lines.append("##reference=GRCh37\n")
                lines.append(line)
                continue
            if line.startswith("#"):
                lines.append(line)
                continue
            cols = line.rstrip("\n").split("\t")
            pos37 = lift_one(lifter, cols[0], int(cols[1]))
            if pos37 is None:
                dropped += 1
                continue
            cols[1] = str(pos37)
            lines.append("\t".join(cols) + "\n")
    out.write_text("".join(lines), encoding="utf-8")
    return out, dropped


def test_every_defining_position_has_a_grch37_coordinate_or_a_reason(pgx_conn):
    rows = pgx_conn.execute(
        "SELECT COUNT(*), SUM(status = 'ok'), SUM(pos IS NULL) FROM pgx_position_grch37"
    ).fetchone()
    total_positions = pgx_conn.execute("SELECT COUNT(*) FROM pgx_position").fetchone()[0]
    assert rows[0] == total_positions
    assert rows[1] + rows[2] == rows[0]  # converted, or refused with no coordinate


def test_grch37_position_agrees_with_independent_liftover(pgx_conn, lifter):
    """Each converted position equals pyliftover's conversion of the same GRCh38 position."""
    disagree = []
    for chrom, pos38, pos37 in pgx_conn.execute(
        "SELECT p.chrom, p.pos, l.pos FROM pgx_position p JOIN pgx_position_grch37 l "
        "ON l.gene = p.gene AND l.idx = p.idx WHERE l.pos IS NOT NULL"
    ):
        if lift_one(lifter, chrom, pos38) != pos37:
            disagree.append((chrom, pos38, pos37))
    assert disagree == []


def test_lifted_haplotype_vcfs_give_pharmcats_diplotypes(
    knowledge_sources, pgx_conn, lifter, tmp_path
):
    folder = knowledge_sources / "pgx/pharmcat/haplotype_test_vcfs"
    table = []
    for rel, gene, expected, _reason in EXPECTED:
        lifted, dropped = lift_vcf(folder / rel, tmp_path / rel.replace("/", "_"), lifter)
        res37 = next(
            r for r in call_pgx(table_from_vcf(lifted), pgx_conn, "GRCh37") if r.gene == gene
        )
        res38 = next(
            r for r in call_pgx(table_from_vcf(folder / rel), pgx_conn, "GRCh38") if r.gene == gene
        )
        table.append(
            (
                rel,
                expected,
                tuple(res37.candidates),
                dropped,
                _pairs(res37.candidates) == _pairs(expected),
            )
        )
        # same call, phenotype and recommendations as on GRCh38
        assert (res37.phenotype, res37.activity_score, res37.call_status) == (
            res38.phenotype,
            res38.activity_score,
            res38.call_status,
        ), rel
        assert [r["text"] for r in res37.recommendations] == [
            r["text"] for r in res38.recommendations
        ], rel
    print("\nPharmCAT haplotype test VCFs lifted to GRCh37")
    for rel, exp, got, dropped, ok in table:
        print(
            f"{rel:48} {' | '.join(exp):40} {' | '.join(got):40} {'yes' if ok else 'NO'} dropped={dropped}"
        )
    print(f"agreement {sum(r[4] for r in table)}/{len(table)}")
    assert [row for row in table if not row[4]] == []


def test_position_that_does_not_convert_is_named_and_not_guessed(
    knowledge_sources, pgx_conn, lifter, tmp_path
):
    """A refused position (here: forced) leaves its alleles untested, and the note says where."""
    rel = (
        "cyp2c19/s1s2.vcf"
        if (knowledge_sources / "pgx/pharmcat/haplotype_test_vcfs/cyp2c19/s1s2.vcf").exists()
        else None
    )
    rel = rel or next(r for r, g, *_ in EXPECTED if g == "CYP2B6")
    gene = "CYP2C19" if rel.startswith("cyp2c19") else "CYP2B6"
    folder = knowledge_sources / "pgx/pharmcat/haplotype_test_vcfs"
    lifted, _ = lift_vcf(folder / rel, tmp_path / "lifted.vcf", lifter)
    pgx_conn.execute("SAVEPOINT refuse")
    try:
        idx, chrom, pos = pgx_conn.execute(
            "SELECT idx, chrom, pos FROM pgx_position WHERE gene = ? AND ignored = 0 ORDER BY idx LIMIT 1",
            (gene,),
        ).fetchone()
        pgx_conn.execute(
            "UPDATE pgx_position_grch37 SET pos = NULL, status = 'ambiguous' WHERE gene = ? AND idx = ?",
            (gene, idx),
        )
        res = next(
            r for r in call_pgx(table_from_vcf(lifted), pgx_conn, "GRCh37") if r.gene == gene
        )
    finally:
        pgx_conn.execute("ROLLBACK TO refuse")
        pgx_conn.execute("RELEASE refuse")
    assert f"{chrom}:{pos}" in (res.note or "")
    assert "maps to more than one GRCh37 place" in res.note
    assert f"{chrom}:{pos}" in " ".join(res.missing_positions)
    assert res.call_status != "called"
