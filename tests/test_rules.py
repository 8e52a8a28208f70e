"""Each ACMG SF reporting rule, on small frames shaped like matched findings."""

from __future__ import annotations

import pandas as pd
import pytest

from pmviewer.core.annotation.rules import (
    CONFLICTING,
    PLP,
    VUS,
    GeneRule,
    apply_gene_rule,
    clinvar_class,
    is_truncating,
)

PATH = "Pathogenic"


def rows(*specs) -> pd.DataFrame:
    """specs: (zygosity, genotype, classification, hgvs_p, consequence) tuples."""
    data = []
    for i, (zyg, gt, cls, hgvs_p, csq) in enumerate(specs):
        data.append(
            dict(
                zygosity=zyg,
                genotype=gt,
                phased="|" in gt,
                phase_set=pd.NA,
                allele_index=1,
                classification=cls,
                review_stars=2,
                kb_hgvs_p=hgvs_p,
                kb_consequence=csq,
                consequence=None,
                pos=1000 + i,
            )
        )
    return pd.DataFrame(data)


def categories(verdicts: dict) -> list[str]:
    return [verdicts[i].category for i in sorted(verdicts)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pathogenic", PLP),
        ("Likely pathogenic", PLP),
        ("Pathogenic/Likely pathogenic", PLP),
        ("Pathogenic/Pathogenic, low penetrance; risk factor", PLP),
        ("Conflicting classifications of pathogenicity", CONFLICTING),
        ("Uncertain significance", VUS),
    ],
)
def test_clinvar_classification_classes(text, expected):
    assert clinvar_class(text) == expected


def test_dominant_gene_reports_one_heterozygous_plp():
    rule = GeneRule("BRCA2", "PLP_ANY_ZYGOSITY", "AD")
    verdicts = apply_gene_rule(rule, rows(("het", "0/1", PATH, None, "nonsense")), sex=None)
    assert categories(verdicts) == ["reportable"]
    assert "AD gene" in verdicts[0].reason and "2\u2605" in verdicts[0].reason


def test_recessive_gene_single_het_is_carrier_and_two_hets_reportable_phase_unknown():
    rule = GeneRule("ATP7B", "PLP_BIALLELIC", "AR")
    single = apply_gene_rule(rule, rows(("het", "0/1", PATH, None, None)), sex=None)
    assert categories(single) == ["carrier"]
    double = apply_gene_rule(
        rule,
        rows(("het", "0/1", PATH, None, None), ("het", "0/1", "Likely pathogenic", None, None)),
        sex=None,
    )
    assert categories(double) == ["reportable", "reportable"]
    assert "phase unknown" in double[0].reason


def test_recessive_gene_phased_cis_is_carrier_trans_is_reportable():
    rule = GeneRule("MUTYH", "PLP_BIALLELIC", "AR")
    cis = apply_gene_rule(
        rule, rows(("het", "0|1", PATH, None, None), ("het", "0|1", PATH, None, None)), sex=None
    )
    assert categories(cis) == ["carrier", "carrier"] and "cis" in cis[0].reason
    trans = apply_gene_rule(
        rule, rows(("het", "0|1", PATH, None, None), ("het", "1|0", PATH, None, None)), sex=None
    )
    assert categories(trans) == ["reportable", "reportable"] and "trans" in trans[0].reason


def test_recessive_homozygote_is_reportable():
    rule = GeneRule("GAA", "PLP_BIALLELIC", "AR")
    assert categories(apply_gene_rule(rule, rows(("hom", "1/1", PATH, None, None)), sex=None)) == [
        "reportable"
    ]


def test_hfe_reports_only_c282y_homozygotes():
    rule = GeneRule("HFE", "HFE_C282Y_HOMOZYGOUS_ONLY", "AR")
    hom = apply_gene_rule(rule, rows(("hom", "1/1", PATH, "p.Cys282Tyr", None)), sex=None)
    assert categories(hom) == ["reportable"]
    het = apply_gene_rule(rule, rows(("het", "0/1", PATH, "p.Cys282Tyr", None)), sex=None)
    assert categories(het) == ["carrier"]
    h63d = apply_gene_rule(
        rule,
        rows(("hom", "1/1", "Conflicting classifications of pathogenicity", "p.His63Asp", None)),
        sex=None,
    )
    assert categories(h63d) == ["other"] and "never reportable alone" in h63d[0].reason
    compound = apply_gene_rule(
        rule,
        rows(
            ("het", "0/1", PATH, "p.Cys282Tyr", None),
            ("het", "0/1", "Conflicting classifications of pathogenicity", "p.His63Asp", None),
        ),
        sex=None,
    )
    assert categories(compound) == ["carrier", "other"]


def test_ttn_reports_truncating_only():
    rule = GeneRule("TTN", "PLP_TRUNCATING_ONLY", "AD")
    verdicts = apply_gene_rule(
        rule,
        rows(
            ("het", "0/1", PATH, None, "nonsense"), ("het", "0/1", PATH, None, "missense_variant")
        ),
        sex=None,
    )
    assert categories(verdicts) == ["reportable", "other"]


def test_x_linked_biallelic_rule_depends_on_sex():
    rule = GeneRule("ABCD1", "PLP_HEMI_OR_HOM_OR_BIALLELIC_XL", "XL")
    het = rows(("het", "0/1", PATH, None, None))
    assert categories(apply_gene_rule(rule, het, sex="F")) == ["carrier"]
    assert categories(apply_gene_rule(rule, het, sex="M")) == ["reportable"]
    unknown = apply_gene_rule(rule, het, sex=None)
    assert categories(unknown) == ["uncertain"] and "sex is unknown" in unknown[0].reason
    assert categories(apply_gene_rule(rule, rows(("hemi", "1", PATH, None, None)), sex=None)) == [
        "reportable"
    ]


def test_x_linked_any_zygosity_rule_reports_female_heterozygotes():
    rule = GeneRule("GLA", "PLP_ANY_ZYGOSITY_XL", "XL")
    assert categories(apply_gene_rule(rule, rows(("het", "0/1", PATH, None, None)), sex="F")) == [
        "reportable"
    ]


def test_conflicting_and_vus_are_uncertain_in_actionable_genes():
    rule = GeneRule("BRCA1", "PLP_ANY_ZYGOSITY", "AD")
    verdicts = apply_gene_rule(
        rule,
        rows(
            ("het", "0/1", "Conflicting classifications of pathogenicity", None, None),
            ("het", "0/1", "Uncertain significance", None, None),
        ),
        sex=None,
    )
    assert categories(verdicts) == ["uncertain", "uncertain"]


def test_truncating_terms_cover_vep_and_clinvar_vocabularies():
    assert is_truncating("stop_gained")
    assert is_truncating(None, "frameshift_variant&splice_region_variant")
    assert is_truncating("nonsense")
    assert not is_truncating("missense_variant", None)
    assert is_truncating("intron_variant,splice_donor_variant")  # ClinVar MC, comma-joined
    assert is_truncating("splice_acceptor_variant&intron_variant")  # VEP CSQ, '&'-joined


def test_splice_region_terms_are_not_canonical_splice_sites():
    # VEP terms that contain "splice_donor" but lie outside the canonical +1/+2 site
    for term in ("splice_donor_region_variant", "splice_donor_5th_base_variant",
                 "splice_polypyrimidine_tract_variant&intron_variant"):  # fmt: skip
        assert not is_truncating(term)
    rule = GeneRule("TTN", "PLP_TRUNCATING_ONLY", "AD")
    verdicts = apply_gene_rule(
        rule, rows(("het", "0/1", PATH, None, "splice_donor_5th_base_variant")), sex=None
    )
    assert categories(verdicts) == ["other"]


def test_ttn_variant_with_no_consequence_anywhere_is_uncertain_not_a_crash():
    # the VCF's own consequence column is an Arrow string: a missing value is pd.NA
    frame = rows(("het", "0/1", PATH, None, None), ("het", "0/1", PATH, None, float("nan")))
    frame["consequence"] = pd.array([None, None], dtype="string[pyarrow]")
    verdicts = apply_gene_rule(GeneRule("TTN", "PLP_TRUNCATING_ONLY", "AD"), frame, sex=None)
    assert categories(verdicts) == ["uncertain", "uncertain"]
    assert "consequence is not known" in verdicts[1].reason


def test_hfe_c282y_is_recognised_from_the_files_own_hgvs_when_the_knowledge_lacks_it():
    frame = rows(("hom", "1/1", PATH, None, "missense_variant"))
    frame["hgvs_p"] = ["ENSP00000417404.1:p.Cys282Tyr"]
    verdicts = apply_gene_rule(GeneRule("HFE", "HFE_C282Y_HOMOZYGOUS_ONLY", "AR"), frame, None)
    assert categories(verdicts) == ["reportable"]


def test_a_variant_listed_twice_is_one_allele_not_two():
    rule = GeneRule("ATP7B", "PLP_BIALLELIC", "AR")
    twice = rows(("het", "0/1", PATH, None, None), ("het", "0/1", PATH, None, None))
    twice["finding_id"] = ["GRCh38:13:51934778:CTG:C"] * 2
    verdicts = apply_gene_rule(rule, twice, sex=None)
    assert categories(verdicts) == ["carrier", "carrier"]


def test_two_alt_alleles_of_one_record_are_in_trans_without_phasing():
    # GT 1/2 at one site: each allele is on a different chromosome by definition
    rule = GeneRule("ATP7B", "PLP_BIALLELIC", "AR")
    site = rows(("het", "1/2", PATH, None, None), ("het", "1/2", PATH, None, None))
    site["allele_index"] = [1, 2]
    site["record_index"] = [7, 7]
    verdicts = apply_gene_rule(rule, site, sex=None)
    assert categories(verdicts) == ["reportable", "reportable"]
    assert "trans" in verdicts[0].reason and "phase unknown" not in verdicts[0].reason


def test_a_file_without_any_clinvar_match_gives_every_finding_its_reason(corpus_dir):
    # no finding matched ClinVar, yet HFE rows are in the analysed genes: each one is
    # "no evidence", not a rule applied to empty rows
    from pmviewer.core.annotation.annotate import NO_EVIDENCE
    from pmviewer.core.pipeline import analyse

    path = corpus_dir / "a_germline" / "happy__Complex_1ormoreindels_NIST2.19.vcf.gz"
    frame = analyse(path).findings.frame
    assert frame["classification"].isna().all() and (frame["kb_gene"] == "HFE").any()
    assert frame["reason"].notna().all()
    hfe = frame[frame["kb_gene"] == "HFE"]
    assert set(hfe["category"]) == {"other"} and set(hfe["reason"]) == {NO_EVIDENCE.reason}
