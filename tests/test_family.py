"""Families: pedigrees from PED files and ##PEDIGREE lines, de novo calls checked against
bcftools' own labels, and phase from the parents feeding the ACMG SF rule engine."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pmviewer.core.errors import InputFileError
from pmviewer.core.family import (
    Trio,
    de_novo_note,
    family_calls,
    finding_sites,
    from_roles,
    parse_ped,
    parse_pedigree_header,
    with_parents,
)
from pmviewer.core.pipeline import analyse
from pmviewer.core.resources import demo_vcf_path

# ------------------------------------------------------------------------------ pedigrees


def test_platinum_pedigree_header_gives_roles_and_sexes(corpus_dir):
    path = corpus_dir / "a_germline" / "happy__PG_NA12878_chr21.vcf.gz"
    with gzip.open(path, "rt") as handle:
        header = [line for line in handle if line.startswith("##")]
    pedigree = parse_pedigree_header(header)
    # the CEPH 1463 pedigree as Illumina Platinum Genomes states it
    assert pedigree.parents("NA12878") == ("NA12892", "NA12891")
    assert pedigree.sex_of("NA12892") == "F" and pedigree.sex_of("NA12891") == "M"
    roles = pedigree.roles("NA12879")
    assert roles["NA12878"] == "mother" and roles["NA12877"] == "father"
    assert roles["NA12880"] == "sibling" and roles["NA12892"] == "relative"
    assert pedigree.sex_of("NA12877") == "M"  # father of the grandchildren


def test_ped_file_with_header_comments_and_sexes():
    ped = parse_ped(
        "#family\tindividual\tfather\tmother\tsex\tphenotype\n"
        "FAM1\tchild\tdad\tmum\t2\t2\n"
        "FAM1 dad 0 0 1 1\n"
        "FAM1\tmum\t0\t0\t2\t1\n"
        "FAM1\tbrother\tdad\tmum\t1\t1\n"
    )
    assert ped.parents("child") == ("mum", "dad")
    assert ped.members["child"].sex == "F" and ped.members["child"].affected is True
    assert ped.roles("child") == {
        "child": "proband", "dad": "father", "mum": "mother", "brother": "sibling",
    }  # fmt: skip
    # parents absent from the VCF are dropped, not invented
    assert ped.restricted_to(["child", "mum"]).parents("child") == ("mum", None)


def test_bad_ped_line_is_explained():
    with pytest.raises(InputFileError, match="line 2: a PED line needs at least five columns"):
        parse_ped("F1 a 0 0 1 1\nF1 b 0\n", "family.ped")


def test_roles_from_the_sample_chooser():
    ped = from_roles("P", {"P": "proband", "M": "mother", "F": "father", "S": "sibling"}, {})
    assert ped.parents("P") == ("M", "F") and ped.sex_of("M") == "F"
    assert ped.roles("P")["S"] == "sibling"


# ------------------------------------------------------------------------------ de novo


def test_de_novo_agrees_with_bcftools_trio_labels(corpus_dir):
    """bcftools' trio-dnm test labels each record TP (true de novo), UN (uncertain: parents
    barely covered) or FP (a parent carries the allele): our calls must agree."""
    path = corpus_dir / "b_multisample" / "bcftools__trio-dnm.1.vcf"
    sites, labels = [], {}
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        for i, alt in enumerate(cells[4].split(","), start=1):
            child_alleles = cells[9].split(":")[0].replace("|", "/").split("/")
            if str(i) in child_alleles:  # the proband carries this allele
                site = (cells[0], int(cells[1]), cells[3], alt)
                sites.append(site)
                labels[site] = cells[7]
    calls = family_calls(path, ["proband", "mother", "father"], sites)
    assert set(calls) == set(sites)
    seen = set()
    for site, label in labels.items():
        note = de_novo_note(calls[site]["mother"], calls[site]["father"])
        seen.add(label)
        if label == "TP":
            assert note == "de novo", site
        elif label == "UN":
            assert note == "de novo (low parental depth: confirm)", site
        else:
            assert note is None, site
    assert seen == {"TP", "UN", "FP"}


def test_a_sample_not_in_the_file_is_named(corpus_dir):
    path = corpus_dir / "b_multisample" / "bcftools__trio-dnm.1.vcf"
    with pytest.raises(InputFileError, match="no sample named grandma"):
        family_calls(path, ["proband", "grandma"], [("1", 1, "G", "A")])


# ------------------------------------------------------------------------------ phase


def _demo_trio(tmp_path: Path, mother: dict[int, str], father: dict[int, str]) -> Path:
    """The demo patient as the proband of a trio: parents 0/0 except at the given positions."""
    out = tmp_path / "trio.vcf"
    with gzip.open(demo_vcf_path(), "rt") as src, out.open("w") as dst:
        for line in src:
            if line.startswith("##"):
                dst.write(line)
            elif line.startswith("#"):
                dst.write(line.rstrip("\n") + "\tMOTHER\tFATHER\n")
            else:
                pos = int(line.split("\t", 2)[1])
                parents = [
                    f"{who.get(pos, '0/0')}:30,30:60:99:30,0,300" for who in (mother, father)
                ]
                dst.write(line.rstrip("\n") + "\t" + "\t".join(parents) + "\n")
    return out


ATP7B_A, ATP7B_B = 51944145, 51974355  # ATP7B c.3207C>A and c.865C>T in the demo patient


def _atp7b(tmp_path, mother, father):
    path = _demo_trio(tmp_path, mother, father)
    findings = analyse(path, sample="SYNTHETIC_DEMO", sex="F").findings
    frame = findings.frame.reset_index(drop=True)
    calls = family_calls(path, ["MOTHER", "FATHER"], finding_sites(frame))
    before = frame[frame["kb_gene"] == "ATP7B"]
    after = with_parents(frame, calls, Trio("SYNTHETIC_DEMO", "MOTHER", "FATHER"), "F")
    return before, after[after["kb_gene"] == "ATP7B"]


def test_one_variant_from_each_parent_is_in_trans(tmp_path):
    before, after = _atp7b(tmp_path, {ATP7B_A: "0/1"}, {ATP7B_B: "0/1"})
    assert before["reason"].str.contains("phase unknown").all()
    assert set(after["inherited_from"]) == {"mother", "father"}
    assert (after["category"].astype(str) == "reportable").all()
    assert after["reason"].str.contains("in trans: one inherited from each parent").all()
    assert set(after["mother_genotype"]) == {"0/1", "0/0"}


def test_both_variants_from_one_parent_are_in_cis(tmp_path):
    _before, after = _atp7b(tmp_path, {ATP7B_A: "0/1", ATP7B_B: "0/1"}, {})
    assert set(after["inherited_from"]) == {"mother"}
    assert (after["category"].astype(str) == "carrier").all()
    assert after["reason"].str.contains("inherited together from one parent").all()


def test_a_de_novo_variant_leaves_phase_unknown_and_is_flagged(tmp_path):
    _before, after = _atp7b(tmp_path, {ATP7B_A: "0/1"}, {})
    assert after["de_novo"].tolist().count("de novo") == 1
    assert after["reason"].str.contains("phase unknown").all()


def test_the_report_says_what_the_parents_carry(tmp_path):
    from pmviewer.export.report_findings import finding_from_row

    _before, after = _atp7b(tmp_path, {ATP7B_A: "0/1"}, {ATP7B_B: "0/1"})
    rows = after.astype(object).where(after.notna(), None).to_dict("records")
    printed = {r["pos"]: finding_from_row(r, "reportable", None, "GRCh38", "F") for r in rows}
    assert printed[ATP7B_A].family == (
        "Parental genotypes: mother 0/1, father 0/0; inherited from the mother."
    )
    assert printed[ATP7B_B].family.endswith("inherited from the father.")
