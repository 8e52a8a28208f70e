"""Annotation end to end: tiny VCFs written here, matched against the bundled knowledge file.

Every expected value is read from the knowledge file in the test (never typed from memory), so
the tests check the engine, not a copy of its output.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from safety_vcf import pick

from pmviewer.core.annotation.annotate import annotate
from pmviewer.core.errors import BuildError
from pmviewer.core.genome.reference import ReferenceFasta
from pmviewer.core.pipeline import analyse
from pmviewer.core.vcf.loader import load

GRCH38_HEADER = """##fileformat=VCFv4.2
##reference=GRCh38
{contigs}
##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|HGVSc|HGVSp">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT
"""
GRCH38_LENGTHS = {"1": 248956422, "6": 170805979, "13": 114364328, "17": 83257441, "X": 156040895}
GRCH37_LENGTHS = {"1": 249250621, "6": 171115067, "13": 115169878, "17": 81195210, "X": 155270560}


def write(
    tmp_path: Path, lines: list[str], *, chr_prefix=True, build="GRCh38", name="p.vcf"
) -> Path:
    lengths = GRCH38_LENGTHS if build == "GRCh38" else GRCH37_LENGTHS
    prefix = "chr" if chr_prefix else ""
    contigs = "\n".join(f"##contig=<ID={prefix}{c},length={n}>" for c, n in lengths.items())
    header = GRCH38_HEADER.format(contigs=contigs)
    if build != "GRCh38":
        header = header.replace("##reference=GRCh38", f"##reference={build}")
    if build is None:
        header = header.replace("##reference=None\n", "")
        header = (
            "\n".join(line for line in header.splitlines() if not line.startswith("##contig"))
            + "\n"
        )
    body = "".join(line.format(p=prefix).replace(" ", "\t") + "\n" for line in lines)
    path = tmp_path / name
    path.write_text(header + body)
    return path


def vcf_line(
    row: pd.Series,
    gt="0/1",
    dp=40,
    gq=99,
    ad="20,20",
    filt="PASS",
    chrom=None,
    pos=None,
    ref=None,
    alt=None,
    info=".",
) -> str:
    chrom = chrom or row["chrom"]
    return (
        f"{{p}}{chrom} {pos or row['pos']} . {ref or row['ref']} {alt or row['alt']} 50 {filt} {info} "
        f"GT:AD:DP:GQ {gt}:{ad}:{dp}:{gq}"
    )


def findings_of(path: Path, kb, **kwargs) -> pd.DataFrame:
    return annotate(load(path), kb, **kwargs).frame


def test_dominant_plp_heterozygote_is_reportable_with_its_evidence(tmp_path, kb, clinvar38):
    brca2 = pick(clinvar38, "gene == 'BRCA2' and category == 'plp' and stars >= 3")
    frame = findings_of(write(tmp_path, [vcf_line(brca2)]), kb)
    (row,) = frame[frame["category"] == "reportable"].itertuples()
    assert row.kb_gene == "BRCA2"
    assert row.clinvar_id == brca2["variation_id"]
    assert row.review_stars == brca2["stars"]
    assert row.classification == brca2["classification"]
    assert row.inheritance == "AD" and "AD gene" in row.reason
    assert row.quality_flags == []


def test_chr_prefix_padding_and_multiallelic_spellings_all_match(tmp_path, kb, clinvar38):
    snv = pick(
        clinvar38,
        "gene == 'BRCA1' and category == 'plp' and ref.str.len() == 1 and alt.str.len() == 1",
    )
    other = (
        "A"
        if snv["alt"] != "A" and snv["ref"] != "A"
        else ("C" if "C" not in (snv["ref"], snv["alt"]) else "G")
    )
    spellings = {
        "no chr prefix": (write(tmp_path, [vcf_line(snv)], chr_prefix=False, name="a.vcf"), {}),
        # the same SNV written MNP-style with one padding base after it
        "padded": (
            write(
                tmp_path, [vcf_line(snv, ref=snv["ref"] + "T", alt=snv["alt"] + "T")], name="b.vcf"
            ),
            {},
        ),
        # the P/LP allele as the second ALT of a multi-allelic record, genotype 0/2
        "second ALT": (
            write(
                tmp_path,
                [vcf_line(snv, alt=f"{other},{snv['alt']}", gt="0/2", ad="20,0,20")],
                name="c.vcf",
            ),
            {},
        ),
    }
    for label, (path, kwargs) in spellings.items():
        frame = findings_of(path, kb, **kwargs)
        hits = frame[frame["clinvar_id"] == snv["variation_id"]]
        assert len(hits) == 1, label
        assert hits.iloc[0]["category"] == "reportable", label
    # 0/1 on a two-ALT record: the sample does not carry the second (P/LP) allele
    not_carried = write(
        tmp_path, [vcf_line(snv, alt=f"{other},{snv['alt']}", gt="0/1", ad="20,20,0")], name="d.vcf"
    )
    frame = findings_of(not_carried, kb)
    assert not (frame["clinvar_id"] == snv["variation_id"]).any()


def test_recessive_gene_carrier_and_compound_heterozygote(tmp_path, kb, clinvar38):
    atp7b = clinvar38.query("gene == 'ATP7B' and category == 'plp' and stars >= 2").sort_values(
        "pos"
    )
    first, second = atp7b.iloc[0], atp7b.iloc[-1]
    one = findings_of(write(tmp_path, [vcf_line(first)], name="one.vcf"), kb)
    assert one.loc[one["clinvar_id"] == first["variation_id"], "category"].tolist() == ["carrier"]
    two = findings_of(write(tmp_path, [vcf_line(first), vcf_line(second)], name="two.vcf"), kb)
    reported = two[two["category"] == "reportable"]
    assert set(reported["clinvar_id"]) == {first["variation_id"], second["variation_id"]}
    assert all("phase unknown" in r for r in reported["reason"])
    cis = findings_of(
        write(tmp_path, [vcf_line(first, gt="0|1"), vcf_line(second, gt="0|1")], name="cis.vcf"), kb
    )
    assert set(cis.loc[cis["clinvar_id"].notna(), "category"]) == {"carrier"}
    hom = findings_of(write(tmp_path, [vcf_line(first, gt="1/1", ad="0,40")], name="hom.vcf"), kb)
    assert hom.loc[hom["clinvar_id"] == first["variation_id"], "category"].tolist() == [
        "reportable"
    ]


def test_hfe_c282y_only_reportable_when_homozygous(tmp_path, kb, clinvar38):
    c282y = pick(clinvar38, "gene == 'HFE' and hgvs_p.fillna('').str.contains('Cys282Tyr')")
    h63d = pick(clinvar38, "gene == 'HFE' and hgvs_p.fillna('').str.contains('His63Asp')")
    het = findings_of(write(tmp_path, [vcf_line(c282y), vcf_line(h63d)], name="het.vcf"), kb)
    assert het.set_index("clinvar_id").loc[c282y["variation_id"], "category"] == "carrier"
    assert het.set_index("clinvar_id").loc[h63d["variation_id"], "category"] == "other"
    hom = findings_of(write(tmp_path, [vcf_line(c282y, gt="1/1", ad="0,40")], name="hom.vcf"), kb)
    assert hom.set_index("clinvar_id").loc[c282y["variation_id"], "category"] == "reportable"
    h63d_hom = findings_of(
        write(tmp_path, [vcf_line(h63d, gt="1/1", ad="0,40")], name="h63d.vcf"), kb
    )
    assert h63d_hom.set_index("clinvar_id").loc[h63d["variation_id"], "category"] != "reportable"


def test_quality_flags_never_hide_a_finding(tmp_path, kb, clinvar38):
    brca2 = pick(clinvar38, "gene == 'BRCA2' and category == 'plp'")
    frame = findings_of(
        write(tmp_path, [vcf_line(brca2, dp=6, gq=9, ad="5,1", filt="LowQual")]), kb
    )
    row = frame[frame["clinvar_id"] == brca2["variation_id"]].iloc[0]
    assert row["category"] == "reportable"
    flags = " ".join(row["quality_flags"])
    assert (
        "FILTER LowQual" in flags
        and "low depth" in flags
        and "genotype quality" in flags
        and "allele balance" in flags
    )


def test_truncating_variant_missing_from_knowledge_is_uncertain_review(tmp_path, kb, clinvar38):
    genes = kb.genes().set_index("gene")
    gene = "PALB2"
    assert genes.loc[gene, "lof_mechanism"] == "lof"
    known = set(clinvar38.loc[clinvar38["gene"] == gene, "pos"])
    pos = (int(genes.loc[gene, "grch38_start"]) + int(genes.loc[gene, "grch38_end"])) // 2
    while pos in known:
        pos += 1
    csq = "CSQ=T|stop_gained|HIGH|PALB2|ENSG00000083093|Transcript|ENST00000261584|protein_coding||"
    line = f"{{p}}{genes.loc[gene, 'grch38_chrom']} {pos} . C T 50 PASS {csq} GT:AD:DP:GQ 0/1:20,20:40:99"
    frame = findings_of(write(tmp_path, [line]), kb)
    row = frame[frame["pos"] == pos].iloc[0]
    assert row["category"] == "uncertain" and "stop_gained" in row["reason"]


def test_grch37_file_matches_on_grch37_keys(tmp_path, kb):
    clinvar37 = kb.variants("GRCh37")
    record = pick(clinvar37, "gene == 'BRCA2' and category == 'plp' and stars >= 2")
    frame = findings_of(write(tmp_path, [vcf_line(record)], build="GRCh37"), kb)
    assert frame.loc[frame["clinvar_id"] == record["variation_id"], "category"].tolist() == [
        "reportable"
    ]


def test_unknown_build_is_refused_unless_stated(tmp_path, kb, clinvar38):
    brca2 = pick(clinvar38, "gene == 'BRCA2' and category == 'plp'")
    path = write(tmp_path, [vcf_line(brca2)], build=None)
    table = load(path)
    assert table.info.build is None
    with pytest.raises(BuildError, match="GRCh37 or GRCh38"):
        annotate(table, kb)
    stated = annotate(table, kb, build="GRCh38").frame
    assert (stated["clinvar_id"] == brca2["variation_id"]).any()


def test_stated_build_contradicting_the_header_is_refused(tmp_path, kb, clinvar38):
    brca2 = pick(clinvar38, "gene == 'BRCA2' and category == 'plp'")
    with pytest.raises(BuildError, match="This file is GRCh38"):
        annotate(load(write(tmp_path, [vcf_line(brca2)])), kb, build="GRCh37")


def test_x_linked_rule_uses_the_stated_sex(tmp_path, kb, clinvar38):
    abcd1 = pick(clinvar38, "gene == 'ABCD1' and category == 'plp'")
    path = write(tmp_path, [vcf_line(abcd1)])

    def category(sex):
        frame = findings_of(path, kb, sex=sex).set_index("clinvar_id")
        return frame.loc[abcd1["variation_id"], "category"]

    assert category("F") == "carrier"
    assert category("M") == "reportable"
    assert category(None) == "uncertain"


@pytest.fixture()
def shifted_deletion(tmp_path, clinvar38):
    """A FASTA where a ClinVar deletion could also be written one repeat unit to the right."""
    candidates = clinvar38.query(
        "chrom == '1' and category == 'plp' and ref.str.len() == 2 and alt.str.len() == 1",
        engine="python",
    ).sort_values("pos")
    record = next(r for _, r in candidates.iterrows() if r["ref"][0] != r["ref"][1])
    pos, anchor, deleted = int(record["pos"]), record["ref"][0], record["ref"][1]
    rng = random.Random(3)
    seq = [rng.choice("ACGT") for _ in range(pos + 200)]
    seq[pos - 1] = anchor
    seq[pos], seq[pos + 1] = deleted, deleted  # the deleted base, repeated once
    seq[pos + 2] = "T" if deleted != "T" else "G"  # end of the run
    fasta = tmp_path / "chr1.fa"
    with open(fasta, "w") as handle:
        handle.write(">chr1\n")
        text = "".join(seq)
        handle.writelines(text[i : i + 80] + "\n" for i in range(0, len(text), 80))
    right_shifted = vcf_line(record, pos=pos + 1, ref=deleted * 2, alt=deleted)
    return record, fasta, right_shifted


def test_right_shifted_indel_matches_only_with_a_reference(tmp_path, kb, shifted_deletion):
    record, fasta, line = shifted_deletion
    path = write(tmp_path, [line], name="shifted.vcf")
    without = annotate(load(path), kb)
    assert not (without.frame["clinvar_id"] == record["variation_id"]).any()
    assert without.fate["indels_not_fully_normalised"] == 1
    assert any("could not be fully normalised" in w for w in without.warnings)
    with_ref = annotate(load(path), kb, reference=ReferenceFasta(fasta))
    assert with_ref.frame.loc[
        with_ref.frame["clinvar_id"] == record["variation_id"], "category"
    ].tolist() == ["reportable"]
    assert with_ref.fate["indels_not_fully_normalised"] == 0


def test_indels_the_reference_cannot_normalise_are_counted_and_said(tmp_path, kb, shifted_deletion):
    # a reference without the indel's chromosome, and one of another assembly (REF differs)
    record, fasta, line = shifted_deletion
    path = write(tmp_path, [line], name="shifted.vcf")
    other_contig = tmp_path / "chr2.fa"
    other_contig.write_text(">chr2\n" + "ACGT" * 50 + "\n")
    text = fasta.read_text().split("\n", 1)[1].replace("\n", "")
    pos = int(record["pos"])
    wrong = text[:pos] + ("C" if text[pos] != "C" else "G") * 2 + text[pos + 2 :]
    other_assembly = tmp_path / "other.fa"
    other_assembly.write_text(">chr1\n" + wrong + "\n")
    for reference in (other_contig, other_assembly):
        findings = annotate(load(path), kb, reference=ReferenceFasta(reference))
        assert findings.fate["indels_not_fully_normalised"] == 1
        assert any(
            "could not be fully normalised" in w and reference.name in w for w in findings.warnings
        )


def test_fate_accounts_for_every_record(tmp_path, kb, clinvar38):
    brca2 = pick(clinvar38, "gene == 'BRCA2' and category == 'plp'")
    lines = [
        vcf_line(brca2),
        "{p}1 1000000 . A G 50 PASS . GT:AD:DP:GQ 0/1:20,20:40:99",  # outside every analysed gene
        "{p}1 1000100 . A G 50 PASS . GT:AD:DP:GQ 0/0:40,0:40:99",  # reference-only
        "{p}1 1000200 . A G 50 PASS . GT:AD:DP:GQ ./.:0,0:0:0",  # no call
    ]
    findings = annotate(load(write(tmp_path, lines)), kb)
    fate = findings.fate
    assert fate["records_read"] == 4
    assert fate["dropped_reference_only"] == 1 and fate["dropped_no_call"] == 1
    assert fate["outside_analysed_genes"] == 1 and fate["in_analysed_genes"] == 1
    assert fate["reportable"] == 1 and fate["matched_knowledge"] == 1


def test_demo_patient_exercises_every_category():
    from pmviewer.core.resources import demo_vcf_path

    analysis = analyse(demo_vcf_path(), sex="F")
    frame = analysis.findings.frame
    counts = frame["category"].value_counts()
    for category in ("reportable", "carrier", "uncertain", "pgx"):
        assert counts.get(category, 0) > 0, category
    reportable = frame[frame["category"] == "reportable"]
    assert {"BRCA2", "ATP7B"} <= set(reportable["kb_gene"])
    assert any(flags for flags in reportable["quality_flags"])  # the planted low-quality call
    assert "HFE" in set(frame.loc[frame["category"] == "carrier", "kb_gene"])
    called = {p["gene"]: p for p in analysis.findings.pgx}
    assert called["CYP2D6"]["call_status"] == "not_callable"
    assert called["SLCO1B1"]["diplotype"] == "*1/*5"


def test_sex_is_inferred_from_sampled_chrx_windows_for_x_linked_genes(tmp_path, kb, clinvar38):
    import subprocess

    from pmviewer.core.annotation.sex import sampling_regions

    abcd1 = pick(clinvar38, "gene == 'ABCD1' and category == 'plp'")
    x_calls = []
    for chrom, start, _ in sampling_regions("GRCh38"):
        if chrom == "X":
            x_calls += [
                f"{{p}}X {start + 1000 * i} . A G 50 PASS . GT:AD:DP:GQ 0/1:20,20:40:99"
                for i in range(1, 5)
            ]
    lines = sorted([vcf_line(abcd1), *x_calls], key=lambda line: int(line.split()[1]))
    path = write(tmp_path, lines)
    subprocess.run(["bgzip", "-f", str(path)], check=True)
    subprocess.run(["tabix", "-p", "vcf", f"{path}.gz"], check=True)
    analysis = analyse(f"{path}.gz", knowledge=kb)
    assert (analysis.findings.sex, analysis.findings.sex_source) == ("F", "inferred")
    frame = analysis.findings.frame.set_index("clinvar_id")
    assert frame.loc[abcd1["variation_id"], "category"] == "carrier"
    assert any("inferred" in w for w in analysis.findings.warnings)
