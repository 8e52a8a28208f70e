"""Generate the bundled synthetic demo patient (GRCh38) from knowledge-base facts.

The demo is SYNTHETIC: no real person's genome. Every clinically meaningful record is taken
from the knowledge file (ClinVar records, CPIC allele definitions), so the demo exercises each
finding category against real knowledge:

- a dominant P/LP variant (BRCA2, ClinVar 3 stars, truncating), heterozygous;
- a recessive compound heterozygote (ATP7B p.His1069Gln + a second ATP7B P/LP), unphased;
- a recessive carrier (MUTYH p.Gly396Asp, heterozygous);
- an HFE p.Cys282Tyr heterozygote (not reportable: homozygotes only);
- a low-quality P/LP call (low depth, skewed allele balance, non-PASS FILTER);
- a truncating variant absent from the knowledge base, annotated by the file's own CSQ;
- pharmacogenomic genotypes at every CPIC-defined position (0/0 where reference), with
  CYP2C19 *1/*2, CYP2C9 *1/*3, SLCO1B1 *1/*5 and VKORC1 rs9923231 heterozygous;
- a background of random synthetic variants (REF bases are random, not the reference).

Usage: python scripts/make_demo_patient.py [--knowledge FILE] [--out DIR]
Needs bgzip and tabix (Debian package tabix).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
from pathlib import Path

import pandas as pd

from pmviewer.core.knowledge import open_knowledge

REPO = Path(__file__).resolve().parents[1]
DEFAULT_KB = REPO / "pmviewer" / "resources" / "knowledge" / "pmviewer-knowledge.sqlite"
DEFAULT_OUT = REPO / "pmviewer" / "resources" / "demo"
SAMPLE = "SYNTHETIC_DEMO"
SEED = 20261130

# GRCh38 primary assembly lengths (GRC assembly report GCF_000001405.26)
GRCH38 = {
    "1": 248956422,
    "2": 242193529,
    "3": 198295559,
    "4": 190214555,
    "5": 181538259,
    "6": 170805979,
    "7": 159345973,
    "8": 145138636,
    "9": 138394717,
    "10": 133797422,
    "11": 135086622,
    "12": 133275309,
    "13": 114364328,
    "14": 107043718,
    "15": 101991189,
    "16": 90338345,
    "17": 83257441,
    "18": 80373285,
    "19": 58617616,
    "20": 64444167,
    "21": 46709983,
    "22": 50818468,
    "X": 156040895,
    "Y": 57227415,
    "MT": 16569,
}
CONTIG_ORDER = list(GRCH38)


def chrom_name(c: str) -> str:
    return "chrM" if c == "MT" else f"chr{c}"


class Record:
    def __init__(
        self, chrom, pos, ref, alt, gt, dp=40, gq=99, ab=0.5, filt="PASS", info=".", rsid="."
    ):
        self.chrom, self.pos, self.ref, self.alt, self.gt = chrom, pos, ref, alt, gt
        self.dp, self.gq, self.ab, self.filt, self.info, self.rsid = dp, gq, ab, filt, info, rsid

    def line(self) -> str:
        n_alt = len(self.alt.split(","))
        if self.gt in ("0/0", "0|0"):
            ad = f"{self.dp}," + ",".join("0" * n_alt)
        else:
            alt_reads = round(self.dp * self.ab) if self.gt not in ("1/1", "1|1") else self.dp
            ad = f"{self.dp - alt_reads},{alt_reads}" + ",0" * (n_alt - 1)
        pl = (
            "0,30,300"
            if self.gt in ("0/0",)
            else ("300,30,0" if self.gt in ("1/1",) else "30,0,300")
        )
        if n_alt > 1:
            pl = ",".join(["30"] * ((n_alt + 1) * (n_alt + 2) // 2))
        qual = 50 if self.filt == "PASS" else 12
        return "\t".join(
            [
                chrom_name(self.chrom),
                str(self.pos),
                self.rsid,
                self.ref,
                self.alt,
                str(qual),
                self.filt,
                self.info,
                "GT:AD:DP:GQ:PL",
                f"{self.gt}:{ad}:{self.dp}:{self.gq}:{pl}",
            ]
        )


def clinvar_pick(variants: pd.DataFrame, query: str) -> pd.Series:
    """The first ClinVar record (lowest variation ID) matching a pandas query."""
    hits = variants.query(query, engine="python").sort_values("variation_id")
    if hits.empty:
        raise SystemExit(f"no knowledge record matches: {query}")
    return hits.iloc[0]


def clinvar_records(variants: pd.DataFrame) -> list[tuple[Record, str]]:
    snv = "ref.str.len() == 1 and alt.str.len() == 1"
    picks = [
        (
            f"gene == 'BRCA2' and category == 'plp' and stars >= 3 and truncating == 1 and {snv}",
            dict(gt="0/1", dp=48, gq=99, ab=0.48),
            "dominant P/LP",
        ),
        (
            "gene == 'ATP7B' and hgvs_p.fillna('').str.contains('His1069Gln')",
            dict(gt="0/1", dp=55, gq=99, ab=0.51),
            "recessive, first allele",
        ),
        (
            "gene == 'ATP7B' and category == 'plp' and stars >= 2 and truncating == 1 and hgvs_p.notna() "
            "and not hgvs_p.fillna('').str.contains('His1069Gln')",
            dict(gt="0/1", dp=47, gq=99, ab=0.47),
            "recessive, second allele",
        ),
        (
            "gene == 'MUTYH' and hgvs_p.fillna('').str.contains('Gly396Asp')",
            dict(gt="0/1", dp=38, gq=99, ab=0.5),
            "carrier",
        ),
        (
            "gene == 'HFE' and hgvs_p.fillna('').str.contains('Cys282Tyr')",
            dict(gt="0/1", dp=44, gq=99, ab=0.52),
            "HFE heterozygote",
        ),
        (
            f"gene == 'MYBPC3' and category == 'plp' and stars >= 2 and {snv}",
            dict(gt="0/1", dp=9, gq=14, ab=0.18, filt="LowQual"),
            "low-quality P/LP",
        ),
    ]
    out = []
    for query, genotype, label in picks:
        row = clinvar_pick(variants, query)
        rsid = row["rsid"] if isinstance(row["rsid"], str) and row["rsid"] else "."
        rec = Record(row["chrom"], int(row["pos"]), row["ref"], row["alt"], rsid=rsid, **genotype)
        out.append(
            (rec, f"{label}: {row['gene']} VCV{row['variation_id']} {row['classification']}")
        )
    return out


def lof_not_in_knowledge(
    genes: pd.DataFrame, variants: pd.DataFrame, taken: set
) -> tuple[Record, str]:
    """A stop-gain the file's own annotation reports in PALB2, at a position with no ClinVar record."""
    gene = genes.set_index("gene").loc["PALB2"]
    known = set(variants.loc[variants["gene"] == "PALB2", "pos"])
    chrom = str(gene["grch38_chrom"])
    pos = (int(gene["grch38_start"]) + int(gene["grch38_end"])) // 2
    while pos in known or (chrom, pos) in taken:
        pos += 1
    csq = (
        "CSQ=T|stop_gained|HIGH|PALB2|ENSG00000083093|Transcript|ENST00000261584|protein_coding|||"
    )
    return Record(
        chrom, pos, "C", "T", "0/1", dp=41, gq=99, ab=0.46, info=csq
    ), "truncating, not in knowledge"


def pgx_records(kb: sqlite3.Connection, taken: set) -> list[tuple[Record, str]]:
    """0/0 at every CPIC position, with the named alleles below heterozygous."""
    carried = {
        ("CYP2C19", "*2"),
        ("CYP2C9", "*3"),
        ("SLCO1B1", "*5"),
        ("VKORC1", "rs9923231 variant (T)"),
    }
    alt_at: dict[tuple[str, int], str] = {}
    for gene, name in sorted(carried):
        allele = kb.execute(
            "SELECT alleles FROM pgx_named_allele WHERE gene = ? AND name = ?", (gene, name)
        ).fetchone()
        reference = kb.execute(
            "SELECT alleles FROM pgx_named_allele WHERE gene = ? AND is_reference = 1", (gene,)
        ).fetchone()
        if allele is None or reference is None:
            names = [
                r[0]
                for r in kb.execute("SELECT name FROM pgx_named_allele WHERE gene = ?", (gene,))
            ]
            raise SystemExit(f"{gene} {name} not in the knowledge file; it has {names[:12]}")
        positions = kb.execute(
            "SELECT idx, chrom, pos FROM pgx_position WHERE gene = ? ORDER BY idx", (gene,)
        ).fetchall()
        for (_idx, chrom, pos), base, ref_base in zip(
            positions, json.loads(allele[0]), json.loads(reference[0]), strict=True
        ):
            if (
                base is not None and base != ref_base and set(base) <= set("ACGT")
            ):  # skip IUPAC codes
                alt_at[(chrom.replace("chr", ""), pos)] = base
    out = []
    rows = kb.execute(
        "SELECT p.gene, p.chrom, p.pos, p.ref, p.alts, p.rsid FROM pgx_position p JOIN pgx_gene g USING (gene) "
        "WHERE g.callable = 1 ORDER BY p.chrom, p.pos"
    ).fetchall()
    seen = set()
    for gene, chrom, pos, ref, alts, rsid in rows:
        chrom = chrom.replace("chr", "")
        if (chrom, pos) in seen or (chrom, pos) in taken or not set(ref) <= set("ACGT"):
            continue
        seen.add((chrom, pos))
        alt = alt_at.get((chrom, pos))
        alt_list = [a for a in json.loads(alts) if a and set(a) <= set("ACGT")]
        if alt and alt in alt_list:
            out.append(
                (
                    Record(chrom, pos, ref, alt, "0/1", dp=52, gq=99, rsid=rsid or "."),
                    f"PGx {gene} {rsid}",
                )
            )
        elif alt_list:
            out.append(
                (Record(chrom, pos, ref, alt_list[0], "0/0", dp=45, gq=99, rsid=rsid or "."), "")
            )
    return out


def background(rng: random.Random, taken: set, n: int = 20000) -> list[Record]:
    weights = {c: L for c, L in GRCH38.items() if c not in ("Y", "MT")}
    chroms = list(weights)
    total = sum(weights.values())
    out = []
    while len(out) < n:
        chrom = rng.choices(chroms, [weights[c] / total for c in chroms])[0]
        pos = rng.randint(10_000, GRCH38[chrom] - 10_000)
        if (chrom, pos) in taken:
            continue
        taken.add((chrom, pos))
        ref = rng.choice("ACGT")
        kind = rng.random()
        if kind < 0.85:
            alt = rng.choice([b for b in "ACGT" if b != ref])
        elif kind < 0.92:
            alt = ref + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 4)))
        elif kind < 0.97:
            ref, alt = ref + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 4))), ref
        else:
            alt = ",".join(rng.sample([b for b in "ACGT" if b != ref], 2))
        gt = "1/2" if "," in alt else rng.choice(["0/1", "0/1", "1/1"])
        dp = max(8, int(rng.gauss(38, 9)))
        out.append(
            Record(
                chrom,
                pos,
                ref,
                alt,
                gt,
                dp=dp,
                gq=min(99, dp * 2 + rng.randint(0, 20)),
                ab=rng.uniform(0.38, 0.62),
            )
        )
    return out


HEADER = """##fileformat=VCFv4.2
##fileDate=20261130
##source=pmviewer scripts/make_demo_patient.py (SYNTHETIC demo patient, not a real person)
##pmviewer_synthetic=true
##reference=GRCh38
{contigs}
##FILTER=<ID=PASS,Description="All filters passed">
##FILTER=<ID=LowQual,Description="Low quality">
##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|HGVSc|HGVSp|MANE_SELECT">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">
##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Phred-scaled genotype likelihoods">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{sample}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KB)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    knowledge = open_knowledge(args.knowledge)
    kb = knowledge.connection
    variants = knowledge.variants("GRCh38")
    rng = random.Random(SEED)

    findings = clinvar_records(variants)
    taken = {(r.chrom, r.pos) for r, _ in findings}
    findings.append(lof_not_in_knowledge(knowledge.genes(), variants, taken))
    taken |= {(r.chrom, r.pos) for r, _ in findings}
    pgx = pgx_records(kb, taken)
    taken |= {(r.chrom, r.pos) for r, _ in pgx}
    records = [r for r, _ in findings] + [r for r, _ in pgx] + background(rng, taken)
    records.sort(key=lambda r: (CONTIG_ORDER.index(r.chrom), r.pos))

    args.out.mkdir(parents=True, exist_ok=True)
    contigs = "\n".join(
        f"##contig=<ID={chrom_name(c)},length={n},assembly=GRCh38>" for c, n in GRCH38.items()
    )
    plain = args.out / "demo-patient.GRCh38.vcf"
    with open(plain, "w") as handle:
        handle.write(HEADER.format(contigs=contigs, sample=SAMPLE))
        for record in records:
            handle.write(record.line() + "\n")
    subprocess.run(["bgzip", "-f", str(plain)], check=True)
    subprocess.run(["tabix", "-f", "-p", "vcf", f"{plain}.gz"], check=True)
    manifest = [text for _, text in findings] + [t for _, t in pgx if t]
    (args.out / "README.md").write_text(
        "# Demo patient (SYNTHETIC)\n\nA synthetic GRCh38 patient generated by "
        "`scripts/make_demo_patient.py` from the bundled knowledge file. It is not a real "
        "person. Planted records:\n\n" + "\n".join(f"- {t}" for t in manifest) + "\n"
    )
    print(f"wrote {plain}.gz with {len(records)} records")


if __name__ == "__main__":
    main()
