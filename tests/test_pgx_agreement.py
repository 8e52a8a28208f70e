"""Agreement with PharmCAT's expected calls on PharmCAT's own test VCFs.

Sources (knowledge-sources SOURCES.md 4e and testdata SOURCES.md section f):

* ``examples/pharmcat.example.vcf`` with PharmCAT's golden ``*.match.json`` (diplotypes) and
  ``*.phenotype.json`` (phenotypes, activity scores): compared field by field.
* ``haplotype_test_vcfs/<gene>/*.vcf``: the expected diplotype is encoded in the file name
  (``s1s17`` = *1/*17). The Java assertions were not copied, so :data:`EXPECTED` spells each
  expectation out. Where the file name and PharmCAT's method on the bundled (2025-11) CPIC
  definitions differ, the row carries the reason: retired allele names, ties PharmCAT reports
  as several top-scoring diplotypes, combination calls only made in PharmCAT's research mode.
  Rows citing a PharmCAT ``PipelineTest`` method repeat the diplotypes that test asserts for
  the same genotype.

Agreement means the set of diplotypes reported equals the expected set (ties included).
"""

from __future__ import annotations

import json

from pgx_testdata import table_from_vcf

from pmviewer.core.pgx.caller import call_pgx

NO_CALL: tuple[str, ...] = ()

_RESEARCH = (
    "needs a combination allele, which PharmCAT only calls in research mode; default: no call"
)
_MISSING_S1 = (
    "the file lacks rs3758581 (chr10:94842866), the only position separating *1 from the "
    "reference *38, so both are reported (PharmCAT PipelineTest.testCyp2c19s1s4missingS1)"
)
_TIE = "unphased hets; these diplotypes score the same, and PharmCAT reports all top scores"

# (path under pgx/pharmcat/haplotype_test_vcfs, gene, expected diplotypes, reason or None)
EXPECTED: list[tuple[str, str, tuple[str, ...], str | None]] = [
    ("CYP2B6/s1s1.vcf", "CYP2B6", ("*1/*1",), None),
    ("CYP2B6/s1s34.vcf", "CYP2B6", ("*1/*34",), None),
    ("DPYD/c1129-5923c2846.vcf", "DPYD", ("c.1129-5923C>G/c.2846A>T",), None),
    ("DPYD/c1156het.vcf", "DPYD", ("Reference/c.1156G>T (*12)",), None),
    ("DPYD/c1679c1156.vcf", "DPYD", ("c.1156G>T (*12)/c.1679T>G (*13)",), None),
    ("DPYD/c2846het.vcf", "DPYD", ("Reference/c.2846A>T",), None),
    ("DPYD/c557c703.vcf", "DPYD", ("c.557A>G/c.703C>T (*8)",), None),
    ("DPYD/novariant.vcf", "DPYD", ("Reference/Reference",), None),
    (
        "DPYD/s1s2b.vcf",
        "DPYD",
        ("c.1627A>G (*5)/c.1905+1G>A (*2A)",),
        "*2B is a retired name (c.1905+1G>A with c.1627A>G); unphased DPYD lists each allele",
    ),
    (
        "IFNL3/rs12979860CC.vcf",
        "IFNL3",
        ("rs12979860 reference (C)/rs12979860 reference (C)",),
        None,
    ),
    ("IFNL3/rs12979860CT.vcf", "IFNL3", ("rs12979860 reference (C)/rs12979860 variant (T)",), None),
    ("IFNL3/rs12979860TT.vcf", "IFNL3", ("rs12979860 variant (T)/rs12979860 variant (T)",), None),
    ("NUDT15/refref.vcf", "NUDT15", ("*1/*1",), None),
    ("NUDT15/s2ref.vcf", "NUDT15", ("*1/*2",), None),
    ("NUDT15/s3ref.vcf", "NUDT15", ("*1/*3",), None),
    ("SLCO1B1/SLCO1B1_s14_s19_t1.vcf", "SLCO1B1", ("*14/*19", "*4/*20"), _TIE),
    (
        "SLCO1B1/SLCO1B1_s15_s45_t1.vcf",
        "SLCO1B1",
        ("*1/*45",),
        "*45 carries all three variants and outscores *15/*45 (PharmCAT PipelineTest."
        "testSlco1b1Test5 asserts *1/*45 for this genotype)",
    ),
    (
        "SLCO1B1/SLCO1B1_s19_s37_t1.vcf",
        "SLCO1B1",
        ("*1/*20",),
        "*20 is now defined by these two variants together and outscores *19/*37",
    ),
    ("SLCO1B1/SLCO1B1_s1_s14_t1.vcf", "SLCO1B1", ("*1/*14",), None),
    ("SLCO1B1/SLCO1B1_s1_s15_t1.vcf", "SLCO1B1", ("*1/*15",), None),
    ("SLCO1B1/SLCO1B1_s1_s25_t1.vcf", "SLCO1B1", ("*1/*25",), None),
    (
        "SLCO1B1/SLCO1B1_s37_s40_t1.vcf",
        "SLCO1B1",
        ("*37/*40", "*15/*19", "*5/*20", "*40/*52", "*40/*56", "*40/*57"),
        _TIE + "; *52/*56/*57 reduce to *37 because their other positions are not in the file",
    ),
    ("SLCO1B1/SLCO1B1_s5_s14_t1.vcf", "SLCO1B1", ("*5/*14", "*4/*15"), _TIE),
    ("SLCO1B1/multi.vcf", "SLCO1B1", NO_CALL, "no pair of defined alleles fits; " + _RESEARCH),
    ("SLCO1B1/s1as15s1bs5missing.vcf", "SLCO1B1", ("*1/*15",), None),
    ("SLCO1B1/s1as15s1bs5twomissing.vcf", "SLCO1B1", ("*1/*15",), None),
    ("SLCO1B1/s1s1.vcf", "SLCO1B1", ("*1/*1",), None),
    ("SLCO1B1/s1s15.vcf", "SLCO1B1", ("*1/*15",), None),
    ("SLCO1B1/s1s44.vcf", "SLCO1B1", ("*1/*44",), None),
    ("SLCO1B1/s2s2.vcf", "SLCO1B1", ("*2/*2",), None),
    ("SLCO1B1/s5s15.vcf", "SLCO1B1", ("*5/*15",), None),
    ("SLCO1B1/s5s45.vcf", "SLCO1B1", ("*5/*45",), None),
    ("TPMT/het3a.vcf", "TPMT", ("*1/*3A",), None),
    ("TPMT/hom1s_het3a.vcf", "TPMT", ("*1/*3A",), "*1S is a retired name (now *1)"),
    (
        "TPMT/s15offdata.vcf",
        "TPMT",
        ("*1/*1",),
        "the *15 position carries an undocumented allele, read as reference for TPMT",
    ),
    ("TPMT/s16s22.vcf", "TPMT", ("*16/*22",), None),
    ("TPMT/s1s1.vcf", "TPMT", ("*1/*1",), None),
    ("TPMT/s1s1s.vcf", "TPMT", ("*1/*1",), "*1S is a retired name (now *1)"),
    (
        "TPMT/s1ss1ss3.vcf",
        "TPMT",
        ("*1/*3A",),
        "*1S retired; unphased *3B + *3C variants: *1/*3A outscores *3B/*3C",
    ),
    ("TPMT/s3as3b.vcf", "TPMT", ("*3A/*3B",), None),
    (
        "TPMT/s3bs3c.vcf",
        "TPMT",
        ("*1/*3A",),
        "unphased *3B + *3C variants: *1/*3A (score 43+2) outscores *3B/*3C (1+1)",
    ),
    (
        "TPMT/unexpected.allele.with.s9.vcf",
        "TPMT",
        ("*9/*9",),
        "the unexpected allele is undocumented and read as reference for TPMT",
    ),
    (
        "UGT1A1/HG00436.vcf",
        "UGT1A1",
        NO_CALL,
        "*80, *28 and *27 phased on one strand; " + _RESEARCH,
    ),
    ("UGT1A1/NA12717_UGT1A1.vcf", "UGT1A1", ("*80/*80+*28",), "real sample; name has no call"),
    ("UGT1A1/NA18868_UGT1A1.vcf", "UGT1A1", ("*80/*80+*28",), "real sample; name has no call"),
    ("UGT1A1/NA19785_UGT1A1.vcf", "UGT1A1", ("*80/*80+*28",), "real sample; name has no call"),
    ("UGT1A1/s1s1.vcf", "UGT1A1", ("*1/*1",), None),
    (
        "UGT1A1/s1s28s60s80unphased.vcf",
        "UGT1A1",
        ("*1/*80+*28",),
        "*60 is no longer defined; *80+*28 outscores *28/*80 when unphased",
    ),
    ("UGT1A1/s1s37s80s60phased.vcf", "UGT1A1", ("*1/*80+*37",), "*60 is no longer defined"),
    ("UGT1A1/s1s60s80phased.vcf", "UGT1A1", ("*1/*80",), "*60 is no longer defined"),
    (
        "UGT1A1/s1s60s80s28s6phased.vcf",
        "UGT1A1",
        NO_CALL,
        "*80, *28 and *6 phased on one strand; " + _RESEARCH,
    ),
    ("UGT1A1/s1s60s80s6phased.vcf", "UGT1A1", NO_CALL, "*80 and *6 on one strand; " + _RESEARCH),
    (
        "UGT1A1/s1s60s80unphased.vcf",
        "UGT1A1",
        ("*1/*80",),
        "*60 no longer defined; PharmCAT PipelineTest.testUgt1a1Unphased asserts *1/*80 for rs887829 C/T",
    ),
    (
        "UGT1A1/s1s80s27s60s28missingphased.vcf",
        "UGT1A1",
        NO_CALL,
        "*80 and *27 on one strand; " + _RESEARCH,
    ),
    (
        "UGT1A1/s27s28unphaseds80s60missing.vcf",
        "UGT1A1",
        ("*27/*28", "*27/*80+*28"),
        "rs887829 (*80) missing: *28 and *80+*28 cannot be told apart",
    ),
    ("UGT1A1/s28het.vcf", "UGT1A1", ("*1/*28",), None),
    (
        "UGT1A1/s28hets60homounphaseds80missing.vcf",
        "UGT1A1",
        ("*1/*28", "*1/*80+*28"),
        "rs887829 (*80) missing: *28 and *80+*28 cannot be told apart",
    ),
    (
        "UGT1A1/s28s28unphaseds60s80miss.vcf",
        "UGT1A1",
        ("*28/*28", "*28/*80+*28", "*80+*28/*80+*28"),
        "rs887829 (*80) missing: *28 and *80+*28 cannot be told apart",
    ),
    ("UGT1A1/s28s37.vcf", "UGT1A1", ("*28/*37",), None),
    (
        "UGT1A1/s28s37unphaseds80s60missing.vcf",
        "UGT1A1",
        ("*28/*37", "*28/*80+*37", "*37/*80+*28", "*80+*28/*80+*37"),
        "rs887829 (*80) missing: *28/*37 and their *80+ forms cannot be told apart",
    ),
    ("UGT1A1/s28s60hom.vcf", "UGT1A1", ("*1/*28",), "*60 is no longer defined"),
    (
        "UGT1A1/s28s80phased.vcf",
        "UGT1A1",
        ("*1/*80+*28",),
        "PharmCAT asserts *1/*80+*28 (testdata SOURCES.md section f)",
    ),
    ("UGT1A1/s28s80s6s60phased.vcf", "UGT1A1", ("*6/*80+*28",), "*60 is no longer defined"),
    ("UGT1A1/s28s80s6s60unphased.vcf", "UGT1A1", ("*6/*80+*28",), "*60 is no longer defined"),
    ("UGT1A1/s6s6.vcf", "UGT1A1", ("*6/*6",), None),
    (
        "UGT1A1/s6s60s80s28missingphased.vcf",
        "UGT1A1",
        ("*6/*80", "*6/*80+*28", "*6/*80+*37"),
        "the TA-repeat position (*28/*37) is missing",
    ),
    (
        "UGT1A1/s6s60s80s28missingunphased.vcf",
        "UGT1A1",
        ("*6/*80", "*6/*80+*28", "*6/*80+*37"),
        "the TA-repeat position (*28/*37) is missing",
    ),
    (
        "UGT1A1/s80s28missing.vcf",
        "UGT1A1",
        ("*1/*80", "*1/*80+*28", "*1/*80+*37"),
        "the TA-repeat position (*28/*37) is missing",
    ),
    ("VKORC1/-1639A-1639A.vcf", "VKORC1", ("rs9923231 variant (T)/rs9923231 variant (T)",), None),
    ("VKORC1/-1639G-1639A.vcf", "VKORC1", ("rs9923231 reference (C)/rs9923231 variant (T)",), None),
    (
        "VKORC1/-1639G-1639G.vcf",
        "VKORC1",
        ("rs9923231 reference (C)/rs9923231 reference (C)",),
        None,
    ),
    ("cyp2c19/noCall.vcf", "CYP2C19", NO_CALL, None),
    (
        "cyp2c19/rs12769205call.vcf",
        "CYP2C19",
        ("*1/*35",),
        "name has no call; *35 is rs12769205 on the *1 background (rs3758581 G/G)",
    ),
    ("cyp2c19/rs12769205missingrs4244285het.vcf", "CYP2C19", ("*1/*2",), None),
    (
        "cyp2c19/rs12769205only.vcf",
        "CYP2C19",
        ("*1/*2", "*1/*35", "*38/*2", "*38/*35"),
        "only one position in the file; " + _MISSING_S1,
    ),
    ("cyp2c19/rs12769205ref.vcf", "CYP2C19", ("*1/*35", "*38/*35"), _MISSING_S1),
    (
        "cyp2c19/s15s28.vcf",
        "CYP2C19",
        ("*15/*28", "*28/*39"),
        "the file lacks chr10:94775423, the position separating *39 from *15",
    ),
    ("cyp2c19/s1s1.vcf", "CYP2C19", ("*1/*1",), None),
    ("cyp2c19/s1s17.vcf", "CYP2C19", ("*1/*17", "*38/*17"), _MISSING_S1),
    ("cyp2c19/s1s17s1s4bmissing.vcf", "CYP2C19", ("*1/*17", "*1/*4"), "*4B renamed *4"),
    ("cyp2c19/s1s17s1s4bmissingmore.vcf", "CYP2C19", ("*1/*17", "*1/*4"), "*4B renamed *4"),
    ("cyp2c19/s1s1rs12248560missing.vcf", "CYP2C19", ("*1/*1",), None),
    ("cyp2c19/s1s2.vcf", "CYP2C19", ("*1/*2",), None),
    ("cyp2c19/s1s28.vcf", "CYP2C19", ("*1/*28",), None),
    ("cyp2c19/s1s2rs3758581missing.vcf", "CYP2C19", ("*1/*2", "*38/*2"), _MISSING_S1),
    ("cyp2c19/s1s2rs3758581missingRs58973490het.vcf", "CYP2C19", ("*1/*2",), None),
    ("cyp2c19/s1s2rs58973490het.vcf", "CYP2C19", ("*1/*2",), None),
    ("cyp2c19/s1s35.vcf", "CYP2C19", ("*1/*35", "*38/*35"), _MISSING_S1),
    ("cyp2c19/s1s4b.vcf", "CYP2C19", ("*1/*4",), "*4A/*4B merged into *4"),
    ("cyp2c19/s1s4s17.vcf", "CYP2C19", ("*1/*4",), "*4 (Y at rs12248560) includes *17's variant"),
    ("cyp2c19/s2s2.vcf", "CYP2C19", ("*2/*2",), None),
    ("cyp2c19/s2s3.vcf", "CYP2C19", ("*2/*3",), None),
    ("cyp2c19/s4as4b.vcf", "CYP2C19", ("*4/*4",), "*4A/*4B merged into *4"),
    ("cyp2c19/s4bs17.vcf", "CYP2C19", ("*4/*17",), "*4B renamed *4"),
    (
        "cyp2c19/s4bs17rs28399504missing.vcf",
        "CYP2C19",
        ("*4/*4", "*4/*17", "*17/*17"),
        "PharmCAT PipelineTest.testCyp2c19s4bs17rs28399504missing asserts these three",
    ),
    (
        "cyp2c19/s4s17het.vcf",
        "CYP2C19",
        ("*4/*17",),
        "PharmCAT PipelineTest.testCyp2c19s1s4het asserts *4/*17",
    ),
    (
        "cyp2c19/sUnks17.vcf",
        "CYP2C19",
        NO_CALL,
        "undocumented allele in CYP2C19: no call (PharmCAT testUndocumentedVariation)",
    ),
    ("cyp2c9/s1s1.vcf", "CYP2C9", ("*1/*1",), None),
    ("cyp2c9/s1s61.vcf", "CYP2C9", ("*1/*61",), None),
    ("cyp2c9/s24s24.vcf", "CYP2C9", ("*24/*24",), None),
    ("cyp2c9/s24s2pluss24.vcf", "CYP2C9", NO_CALL, "[*2 + *24] is a combination; " + _RESEARCH),
    ("cyp2c9/s2s24.vcf", "CYP2C9", ("*2/*24",), None),
    ("cyp2c9/s2s24only.vcf", "CYP2C9", NO_CALL, "[*2 + *24] is a combination; " + _RESEARCH),
    ("cyp2c9/s2s25.vcf", "CYP2C9", ("*2/*25",), None),
    ("cyp2c9/s2s3.vcf", "CYP2C9", ("*2/*3",), None),
    (
        "cyp2c9/s3s18m94981296.vcf",
        "CYP2C9",
        ("*1/*18",),
        "the *3 position 94981296 is missing, so *3 cannot be tested; *18 keeps its other variant",
    ),
    ("cyp3a5/s1s1.vcf", "CYP3A5", ("*1/*1",), None),
    ("cyp3a5/s1s1rs776746missing.vcf", "CYP3A5", ("*1/*1",), None),
    (
        "cyp3a5/s1s3rs776746rs28383479het.vcf",
        "CYP3A5",
        ("*3/*9",),
        "*9 is rs28383479 alone in the current definition; *3 and *9 variants both het",
    ),
    ("cyp3a5/s1s3rs776746rs55965422het.vcf", "CYP3A5", ("*1/*3",), None),
    (
        "cyp3a5/s1s3rs776746rs55965422rs28383479het.vcf",
        "CYP3A5",
        ("*3/*9",),
        "*9 is rs28383479 alone in the current definition; *3 and *9 variants both het",
    ),
    ("cyp3a5/s1s7.vcf", "CYP3A5", ("*1/*7",), None),
    ("cyp3a5/s1s7missing.vcf", "CYP3A5", ("*1/*1",), "the *7 position is missing (partial call)"),
    ("cyp3a5/s3s3rs55965422het.vcf", "CYP3A5", ("*3/*3",), None),
    (
        "cyp3a5/s3s5-homozygous.vcf",
        "CYP3A5",
        ("*1/*3",),
        "*5 is no longer defined; rs55965422 is not a defining position",
    ),
    ("cyp3a5/s3s9-homozygous.vcf", "CYP3A5", ("*3/*9",), "file name predates current *9"),
    ("cyp3a5/s3s9.vcf", "CYP3A5", ("*3/*9",), None),
    ("cyp4f2/s1s1.vcf", "CYP4F2", ("*1/*1",), None),
]

# testdata f_pgx copies with asserted calls (testdata SOURCES.md section f)
CORPUS_EXPECTED: list[tuple[str, str, tuple[str, ...], str | None]] = [
    ("pharmcat__cyp2c19_s1s17.vcf", "CYP2C19", ("*1/*17", "*38/*17"), _MISSING_S1),
    ("pharmcat__cyp2c19_s2s3.vcf", "CYP2C19", ("*2/*3",), None),
    ("pharmcat__cyp2c9_s2s3.vcf", "CYP2C9", ("*2/*3",), None),
    ("pharmcat__dpyd_c1156het.vcf", "DPYD", ("Reference/c.1156G>T (*12)",), None),
    (
        "pharmcat__dpyd_s1s2b.vcf",
        "DPYD",
        ("c.1627A>G (*5)/c.1905+1G>A (*2A)",),
        "*2B is a retired name; unphased DPYD lists each allele",
    ),
    ("pharmcat__tpmt_s3as3b.vcf", "TPMT", ("*3A/*3B",), None),
    ("pharmcat__ugt1a1_s28s80phased.vcf", "UGT1A1", ("*1/*80+*28",), None),
    ("pharmcat__slco1b1_s5s15.vcf", "SLCO1B1", ("*5/*15",), None),
    ("pharmcat__nudt15_s3ref.vcf", "NUDT15", ("*1/*3",), None),
    ("pharmcat__cyp3a5_s3s3rs55965422het.vcf", "CYP3A5", ("*3/*3",), None),
    (
        "pharmcat__vkorc1_-1639G-1639A.vcf",
        "VKORC1",
        ("rs9923231 reference (C)/rs9923231 variant (T)",),
        None,
    ),
]


def _pairs(diplotypes) -> set[frozenset]:
    out = set()
    for d in diplotypes:
        a, _, b = d.partition("/")
        out.add(frozenset((a, b)) if a != b else frozenset((a,)))
    return out


def _run(rows, folder, conn) -> list[tuple[str, str, str, str, bool, str | None]]:
    table = []
    for rel, gene, expected, reason in rows:
        results = call_pgx(table_from_vcf(folder / rel), conn, "GRCh38")
        res = next(r for r in results if r.gene == gene)
        got = tuple(res.candidates)
        agree = _pairs(got) == _pairs(expected)
        table.append(
            (
                gene,
                rel,
                " | ".join(expected) or "no call",
                " | ".join(got) or f"no call ({res.call_status})",
                agree,
                reason,
            )
        )
    return table


def _print(title: str, table) -> None:
    print(f"\n{title}")
    print(f"{'gene':8} {'file':48} {'expected':40} {'got':40} agree")
    for gene, rel, exp, got, agree, reason in table:
        print(
            f"{gene:8} {rel:48} {exp:40} {got:40} {'yes' if agree else 'NO'}"
            + (f"  [{reason}]" if reason else "")
        )
    n_ok = sum(1 for row in table if row[4])
    n_doc = sum(1 for row in table if row[4] and row[5])
    print(f"agreement {n_ok}/{len(table)} ({n_doc} of them with a documented reason)")


def test_haplotype_test_vcfs_agree(knowledge_sources, pgx_conn):
    folder = knowledge_sources / "pgx/pharmcat/haplotype_test_vcfs"
    listed = {rel for rel, *_ in EXPECTED}
    on_disk = {str(p.relative_to(folder)) for p in folder.glob("*/*.vcf")}
    assert listed == on_disk, "every per-gene test VCF needs an expectation"
    table = _run(EXPECTED, folder, pgx_conn)
    _print("PharmCAT haplotype test VCFs", table)
    assert [row for row in table if not row[4]] == []


def test_corpus_pgx_vcfs_agree(corpus_dir, pgx_conn):
    table = _run(CORPUS_EXPECTED, corpus_dir / "f_pgx", pgx_conn)
    _print("testdata f_pgx", table)
    assert [row for row in table if not row[4]] == []
    cyp2d6 = call_pgx(
        table_from_vcf(corpus_dir / "f_pgx/pharmcat__NamedAlleleMatcher-cyp2d6.vcf"),
        pgx_conn,
        "GRCh38",
    )
    res = next(r for r in cyp2d6 if r.gene == "CYP2D6")
    assert (res.callable, res.call_status, res.diplotype, res.phenotype) == (
        False,
        "not_callable",
        None,
        None,
    )


def test_pharmcat_example_matches_golden_outputs(knowledge_sources, pgx_conn):
    """pharmcat.example.vcf: diplotypes (match.json) and phenotypes (phenotype.json)."""
    ex = knowledge_sources / "pgx/pharmcat/examples"
    match = json.loads((ex / "pharmcat.example.match.json").read_text())
    pheno = json.loads((ex / "pharmcat.example.phenotype.json").read_text())["geneReports"]
    results = {
        r.gene: r for r in call_pgx(table_from_vcf(ex / "pharmcat.example.vcf"), pgx_conn, "GRCh38")
    }
    table = []
    for gene_result in match["results"]:
        gene = gene_result["gene"]
        expected = tuple(d["name"] for d in gene_result["diplotypes"])
        res = results[gene]
        golden = pheno[gene]["recommendationDiplotypes"][0]
        exp_pheno = [p for p in golden["phenotypes"] if p != "n/a"]
        exp_score = float(golden["activityScore"]) if golden["activityScore"] else None
        got_pheno = [res.phenotype] if res.phenotype else []
        agree = (
            _pairs(res.candidates) == _pairs(expected)
            and got_pheno == exp_pheno
            and res.activity_score == exp_score
            and res.call_status == "called"
        )
        table.append(
            (
                gene,
                "pharmcat.example.vcf",
                f"{' | '.join(expected)} {exp_pheno}",
                f"{' | '.join(res.candidates)} {got_pheno}",
                agree,
                None,
            )
        )
    _print("pharmcat.example.vcf vs match.json / phenotype.json", table)
    assert len(table) == 19
    assert [row for row in table if not row[4]] == []
    # genes PharmCAT takes as outside calls are never called from the file here
    for gene in ("CYP2D6", "HLA-A", "HLA-B"):
        assert results[gene].call_status == "not_callable"
        assert results[gene].phenotype is None
