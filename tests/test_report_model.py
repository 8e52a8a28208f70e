"""Report model: what is printed, decided before any drawing."""

from __future__ import annotations

import gzip
from dataclasses import replace

import pytest
from test_report_fixtures import (
    ATP7B,
    ATP7B_VUS,
    BRCA2,
    FIXED_TIME,
    HFE_H63D,
    LAB,
    OTHER,
    PATIENT,
    PGX,
    make_findings,
    signed,
)

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import Amendment, Decision, SignOff
from pmviewer.core.resources import resource_path
from pmviewer.export.report_model import (
    ReportOptions,
    build_report_model,
    is_synthetic_input,
)

BRCA2_ID = BRCA2["finding_id"]
ATP7B_ID = ATP7B["finding_id"]


def model(findings=None, **kwargs):
    kwargs.setdefault("patient", PATIENT)
    kwargs.setdefault("lab", LAB)
    kwargs.setdefault("generated_at", FIXED_TIME)
    kwargs.setdefault("software_version", "0.1.0")
    return build_report_model(findings or make_findings(), **kwargs)


def test_default_draft_shows_reportable_only_and_marks_it_unreviewed():
    m = model()
    assert m.status == "draft"
    assert [f.gene for f in m.findings] == ["BRCA2"]
    brca2 = m.findings[0]
    assert not brca2.reviewed
    assert m.unreviewed_count == 1
    assert "1 finding(s) in this draft are not yet reviewed." in m.draft_notes
    assert m.summary == "POSITIVE: 1 reportable finding identified in 1 gene (BRCA2)."
    assert m.summary_positive


def test_finding_values_are_in_words_with_position_and_build():
    f = model().findings[0]
    assert (f.transcript, f.hgvs_c, f.hgvs_p) == ("NM_000059.4", "c.5946del", "p.Ser1982fs")
    assert f.position == "chr13:32340300 GT>G"
    assert f.build == "GRCh38"
    assert f.zygosity == "Heterozygous"
    assert f.inheritance == "autosomal dominant" and f.inheritance_code == "AD"
    assert (f.stars, f.clinvar_id, f.last_evaluated) == (3, 9325, "2024-01-02")
    assert "ClinVar classifies this variant as Pathogenic by an expert panel." in f.interpretation
    assert (
        "The gene is associated with Hereditary breast ovarian cancer syndrome, inherited in an autosomal dominant manner."
        in f.interpretation
    )
    assert any("cascade testing" in r for r in f.recommendations)
    assert any("Confirmation" in r for r in f.recommendations)
    assert any("Referral" in r for r in f.recommendations)


def test_optional_sections_follow_options():
    m = model(options=ReportOptions(include_carrier=True, include_uncertain=True))
    assert [(f.section, f.gene) for f in m.findings] == [
        ("reportable", "BRCA2"),
        ("carrier", "ATP7B"),
        ("uncertain", "HFE"),
    ]
    carrier = m.section("carrier")[0]
    assert any("carrier status" in r for r in carrier.recommendations)
    assert carrier.quality_flags == ["low genotype quality (GQ 80)"]
    vus = m.section("uncertain")[0]
    assert vus.recommendations[0].startswith("A variant of uncertain significance")


def test_exclude_removes_a_finding_and_the_draft_says_so():
    m = model(decisions={BRCA2_ID: Decision(BRCA2_ID, "exclude")})
    assert m.findings == []
    assert m.excluded_count == 1
    assert "1 finding(s) were excluded by the reviewer and are not shown." in m.draft_notes
    assert m.summary.startswith(
        "No reportable variant found in the 7 genes analysed. Whether these genes were covered was not measured"
    )
    assert not m.summary_positive


def test_explicit_include_brings_in_a_single_carrier_or_other_finding():
    decisions = {
        ATP7B_ID: Decision(ATP7B_ID, "include"),
        OTHER["finding_id"]: Decision(OTHER["finding_id"], "include"),
    }
    m = model(decisions=decisions)
    assert [(f.section, f.gene) for f in m.findings] == [
        ("reportable", "BRCA2"),
        ("carrier", "ATP7B"),
        ("additional", "TTN"),
    ]


def test_override_replaces_classification_and_keeps_reason_and_original():
    d = Decision(
        BRCA2_ID,
        "include",
        classification_override="Likely pathogenic",
        override_reason="Laboratory reassessment of segregation data",
        comment="Discussed with the patient on 2026-11-20.",
    )
    f = model(decisions={BRCA2_ID: d}).findings[0]
    assert f.classification == "Likely pathogenic"
    assert f.kb_classification == "Pathogenic"
    assert f.override_reason == "Laboratory reassessment of segregation data"
    assert "On review the laboratory classifies it as Likely pathogenic." in f.interpretation
    assert f.comment == "Discussed with the patient on 2026-11-20."
    assert f.reviewed


def test_an_override_applies_the_gene_rule_again():
    # a second ATP7B allele upgraded from VUS: two P/LP alleles in an AR gene are reportable
    vus_id = ATP7B_VUS["finding_id"]
    upgraded = Decision(vus_id, "include", "Likely pathogenic", "Segregation in the family")
    m = model(make_findings([BRCA2, ATP7B, ATP7B_VUS]), decisions={vus_id: upgraded})
    atp7b = [f for f in m.findings if f.gene == "ATP7B"]
    assert [f.section for f in atp7b] == ["reportable", "reportable"]
    assert "laboratory classification Likely pathogenic" in atp7b[1].basis
    assert "uncertain significance" not in " ".join(atp7b[1].recommendations)
    assert "3 reportable findings identified in 2 genes (ATP7B, BRCA2)" in m.summary
    # a reportable finding downgraded to VUS leaves the reportable section and the summary
    downgraded = Decision(BRCA2_ID, "include", "Uncertain significance", "New functional data")
    m = model(make_findings([BRCA2]), decisions={BRCA2_ID: downgraded})
    assert [f.section for f in m.findings] == ["uncertain"]
    assert m.summary.startswith("No reportable variant found") and not m.summary_positive
    assert any("uncertain significance" in r for r in m.findings[0].recommendations)
    assert not any("cascade testing" in r for r in m.findings[0].recommendations)


def test_final_report_refuses_undecided_findings():
    with pytest.raises(PmviewerError, match="not yet reviewed \\(BRCA2\\)"):
        model(signoff=signed())


def test_final_report_needs_reviewer_and_approver():
    with pytest.raises(PmviewerError, match="approver name, approval date"):
        model(
            decisions={BRCA2_ID: Decision(BRCA2_ID, "include")},
            signoff=SignOff(status="final", reviewer="Sam Reviewer"),
        )


def test_final_with_amendments_becomes_amended_and_amended_needs_one():
    amendment = Amendment("2026-12-01T09:00:00Z", "Patient name corrected", ["name"])
    m = model(
        decisions={BRCA2_ID: Decision(BRCA2_ID, "include")},
        signoff=signed(amendments=[amendment]),
    )
    assert m.status == "amended"
    assert m.draft_notes == []
    with pytest.raises(PmviewerError, match="amended report must say what changed"):
        model(decisions={BRCA2_ID: Decision(BRCA2_ID, "include")}, signoff=signed("amended"))


def test_pgx_called_and_not_callable_genes():
    m = model()
    by_gene = {p.gene: p for p in m.pgx}
    assert by_gene["CYP2C19"].callable
    assert by_gene["CYP2C19"].recommendations[0].drug == "clopidogrel"
    assert by_gene["CYP2C19"].recommendations[0].source == "CPIC clopidogrel and CYP2C19"
    assert not by_gene["CYP2D6"].callable
    assert by_gene["CYP2D6"].phenotype == ""
    assert "copy number cannot be assessed" in by_gene["CYP2D6"].status_note
    assert m.pgx_summary == (
        "Pharmacogenomics: 1 of 2 genes called; phenotypes other than normal: "
        "CYP2C19 Poor Metabolizer. Not callable from this file: CYP2D6."
    )


def test_pgx_summary_leaves_normal_phenotypes_to_the_table():
    normal = {
        "gene": "CYP2C9",
        "diplotype": "*1/*1",
        "phenotype": "Normal Metabolizer",
        "callable": True,
        "recommendations": [],
    }
    m = model(make_findings(pgx=[normal]))
    assert (
        m.pgx_summary == "Pharmacogenomics: 1 of 1 genes called; all called phenotypes are normal."
    )
    m = model(make_findings(pgx=[normal, PGX[0]]))
    assert "other than normal: CYP2C19 Poor Metabolizer." in m.pgx_summary
    assert "CYP2C9" not in m.pgx_summary


def test_pgx_summary_never_calls_an_undetermined_phenotype_normal():
    normal = {"gene": "CYP2C9", "diplotype": "*1/*1", "phenotype": "Normal Metabolizer"}
    # two diplotypes fit and their phenotypes differ: no phenotype is given
    ambiguous = {"gene": "CYP2C19", "diplotype": "*1/*2 or *2/*17", "phenotype": None}
    summary = model(make_findings(pgx=[normal, ambiguous])).pgx_summary
    assert "all called phenotypes are normal" not in summary
    assert "phenotype not determined: CYP2C19" in summary


def test_pgx_gene_without_diplotype_is_never_called_even_if_flagged_callable():
    entry = {
        "gene": "DPYD",
        "diplotype": None,
        "phenotype": "Normal Metabolizer",
        "callable": True,
        "call_status": "no_data",
        "recommendations": [],
    }
    m = model(make_findings(pgx=[entry]))
    assert not m.pgx[0].callable and m.pgx[0].phenotype == ""
    assert m.pgx[0].status_note == "No defining position was assessed in the file."


def test_methods_carry_input_knowledge_and_thresholds():
    m = model(quality_thresholds="depth >= 15; genotype quality >= 20")
    meth = m.methods
    assert meth.input_name == "NA12878.hard-filtered.vcf.gz"
    assert meth.input_sha256 == "a" * 64
    assert meth.knowledge_version == "2026.11.1"
    assert [(s.name, s.release) for s in meth.sources] == [
        ("ClinVar", "2025-09-28"),
        ("CPIC guidelines", "2024-03"),
    ]
    assert meth.acmg_sf_version == "v3.3" and meth.gene_count == 7
    assert meth.quality_thresholds == ["depth >= 15; genotype quality >= 20"]
    assert ("Records read", "4120") in meth.variant_accounting
    assert meth.coverage_notes == [
        "ClinVar subset holds only pathogenic and likely pathogenic records."
    ]
    assert meth.warnings == ["12 records had no genotype and were skipped."]


def test_male_hom_call_on_x_is_printed_hemizygous():
    row = {**BRCA2, "chrom": "chrX", "zygosity": "hom", "finding_id": "GRCh38:X:1:A:T"}
    m = model(make_findings([row], sex="M"), patient=None)
    assert m.findings[0].zygosity == "Hemizygous"
    assert m.patient_sex == "Male (as stated)"


def test_findings_classified_with_another_sex_than_the_patients_are_not_signed_out():
    # the X-linked rules ran as female (inferred) but the patient details say male
    findings = make_findings(sex="F", sex_source="inferred")
    male = replace(PATIENT, sex="M")
    draft = model(findings, patient=male)
    assert any("classified for a female patient" in n for n in draft.draft_notes)
    with pytest.raises(PmviewerError, match="Run the analysis again"):
        model(
            findings,
            patient=male,
            signoff=signed(),
            decisions={BRCA2_ID: Decision(BRCA2_ID, "include")},
        )
    assert not any("classified for" in n for n in model(findings).draft_notes)


def test_methods_print_the_sex_the_rules_used():
    findings = make_findings(sex="F", sex_source="inferred")
    m = model(findings, patient=replace(PATIENT, sex="M"))
    assert m.patient_sex == "Male"
    assert m.methods.sex_used == "Female (inferred from the data)"
    unknown = model(make_findings(sex=None, sex_source="unknown"), patient=None)
    assert unknown.methods.sex_used.startswith("Not determined")


def test_same_inputs_give_equal_models():
    assert model() == model()


def test_synthetic_detection(tmp_path):
    plain = tmp_path / "a.vcf"
    plain.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\n")
    marked = tmp_path / "b.vcf.gz"
    with gzip.open(marked, "wt") as handle:
        handle.write("##fileformat=VCFv4.2\n##pmviewer_synthetic=true\n#CHROM\tPOS\n")
    assert not is_synthetic_input(plain)
    assert is_synthetic_input(marked)
    assert is_synthetic_input(resource_path("demo", "anything.vcf.gz"))
    assert not is_synthetic_input(tmp_path / "missing.vcf")
    assert model(make_findings(input_path=str(marked))).synthetic
    assert not model().synthetic


def test_no_findings_at_all_is_negative_with_gene_count():
    m = model(make_findings([HFE_H63D]))
    assert m.findings == []
    assert m.summary.startswith("No reportable variant found")
