"""FHIR export: the report as a Genomics Reporting IG (STU3) bundle, validated by the R4B
models of fhir.resources, with the IG's LOINC codes and the fixture's real ClinVar/CPIC values."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_fixtures import (
    BRCA2,
    CLOPIDOGREL,
    FIXED_TIME,
    LAB,
    PATIENT,
    SIGNED,
    make_findings,
)

from pmviewer.core.model import Decision, PatientDetails
from pmviewer.core.resources import demo_vcf_path, resource_path
from pmviewer.export.fhir import build_bundle, bundle_bytes, validate_bundle
from pmviewer.export.report_id import report_id
from pmviewer.export.report_model import build_report_model

IG = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/"


def model(**kwargs):
    kwargs.setdefault("patient", PATIENT)
    kwargs.setdefault("lab", LAB)
    kwargs.setdefault("generated_at", FIXED_TIME)
    kwargs.setdefault("software_version", "0.1.0")
    return build_report_model(make_findings(), **kwargs)


def by_profile(bundle: dict, name: str) -> list[dict]:
    return [
        e["resource"]
        for e in bundle["entry"]
        if IG + name in e["resource"].get("meta", {}).get("profile", [])
    ]


def component(resource: dict, loinc: str) -> dict:
    found = [c for c in resource["component"] if c["code"]["coding"][0]["code"] == loinc]
    assert len(found) == 1, (loinc, resource["component"])
    return found[0]


def coded(comp: dict) -> tuple[str, str]:
    coding = comp["valueCodeableConcept"]["coding"][0]
    return coding["system"], coding["code"]


def test_every_resource_validates_with_its_own_r4b_model():
    from fhir.resources.R4B import get_fhir_model_class

    bundle = build_bundle(model())
    parsed = validate_bundle(bundle)
    assert parsed.type == "collection"
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    # the JSON written to disk parses back to the same bundle
    assert json.loads(bundle_bytes(bundle)) == bundle


def test_references_resolve_inside_the_bundle_and_urls_are_unique():
    bundle = build_bundle(model())
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls))
    text = json.dumps(bundle)
    for ref in set(__import__("re").findall(r'"reference": "(urn:uuid:[^"]+)"', text)):
        assert ref in urls


def test_report_has_the_genomic_report_profile_loinc_code_and_results():
    bundle = build_bundle(model())
    (report,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    ]
    assert report["meta"]["profile"] == [IG + "genomic-report"]
    assert report["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "51969-4",
        "display": "Genetic analysis report",
    }
    assert report["category"][0]["coding"][0]["code"] == "GE"
    assert report["status"] == "preliminary"  # a draft is never sent as final
    assert report["identifier"][0]["value"] == report_id(model())
    assert report["issued"] == FIXED_TIME.isoformat()
    assert len(report["result"]) == len(bundle["entry"]) - 4  # report, patient, specimen, lab
    # the legal trace: input and knowledge checksums, sample and software
    trace = report["extension"][0]["valueReference"]["display"]
    assert "a" * 64 in trace and "NA12878" in trace and "pmviewer 0.1.0" in trace


def test_brca2_variant_carries_the_ig_components_with_clinvar_values():
    bundle = build_bundle(model())
    variants = by_profile(bundle, "variant")
    (brca2,) = [
        v for v in variants if component(v, "48018-6")["valueCodeableConcept"]["text"] == "BRCA2"
    ]
    assert brca2["code"]["coding"][0]["code"] == "69548-6"
    assert brca2["valueCodeableConcept"]["coding"][0]["code"] == "LA9633-4"  # Present
    assert coded(component(brca2, "48004-6")) == (
        "http://varnomen.hgvs.org",
        "NM_000059.4:c.5946del",
    )
    assert coded(component(brca2, "51958-7"))[1] == BRCA2["transcript"]
    assert coded(component(brca2, "48002-0")) == ("http://loinc.org", "LA6683-2")  # germline
    assert coded(component(brca2, "53034-5")) == ("http://loinc.org", "LA6706-1")  # het
    assert coded(component(brca2, "62374-4")) == ("http://loinc.org", "LA26806-2")  # GRCh38
    assert coded(component(brca2, "81252-9")) == ("http://www.ncbi.nlm.nih.gov/clinvar", "9325")


def test_diagnostic_implication_is_derived_from_its_variant_with_the_printed_class():
    bundle = build_bundle(model())
    urls = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}
    variants = {urls[id(v)]: v for v in by_profile(bundle, "variant")}
    implications = by_profile(bundle, "diagnostic-implication")
    assert len(implications) == len(variants)
    for imp in implications:
        assert imp["code"]["coding"][0]["code"] == "diagnostic-implication"
        assert imp["derivedFrom"][0]["reference"] in variants
    brca2 = [i for i in implications if "Hereditary breast" in json.dumps(i)][0]
    assert coded(component(brca2, "53037-8")) == ("http://loinc.org", "LA6668-3")  # Pathogenic
    assert component(brca2, "79742-3")["valueCodeableConcept"]["text"] == "autosomal dominant"


def test_a_reviewer_override_is_what_is_sent_and_the_knowledge_class_is_noted():
    decisions = {
        BRCA2["finding_id"]: Decision(
            BRCA2["finding_id"],
            "include",
            classification_override="Likely pathogenic",
            override_reason="Segregation data from the family",
        )
    }
    bundle = build_bundle(model(decisions=decisions))
    imp = [
        i for i in by_profile(bundle, "diagnostic-implication") if "Segregation" in json.dumps(i)
    ][0]
    assert coded(component(imp, "53037-8"))[1] == "LA26332-9"
    assert "replaces the knowledge classification Pathogenic" in json.dumps(imp)


def test_pgx_called_gene_has_genotype_and_one_therapeutic_implication_per_recommendation():
    bundle = build_bundle(model())
    urls = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}
    genotypes = {
        g["component"][0]["valueCodeableConcept"]["text"]: g for g in by_profile(bundle, "genotype")
    }
    cyp2c19 = genotypes["CYP2C19"]
    assert cyp2c19["code"]["coding"][0]["code"] == "84413-4"
    assert cyp2c19["valueCodeableConcept"]["text"] == "CYP2C19 *2/*2"
    (implication,) = by_profile(bundle, "therapeutic-implication")
    assert implication["derivedFrom"] == [{"reference": urls[id(cyp2c19)]}]
    assert component(implication, "51963-7")["valueCodeableConcept"]["text"] == "clopidogrel"
    assert (
        component(implication, "53040-2")["valueCodeableConcept"]["text"]
        == "CYP2C19 Poor Metabolizer"
    )
    assert CLOPIDOGREL in json.dumps(implication)


def test_a_gene_not_callable_is_never_sent_as_a_result():
    bundle = build_bundle(model())
    (cyp2d6,) = [
        g
        for g in by_profile(bundle, "genotype")
        if g["component"][0]["valueCodeableConcept"]["text"] == "CYP2D6"
    ]
    assert "valueCodeableConcept" not in cyp2d6
    assert cyp2d6["dataAbsentReason"]["text"] == "Not callable from this file"


def test_patient_and_specimen_come_from_the_patient_form():
    bundle = build_bundle(model())
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    patient = resources["Patient"]
    assert patient["name"][0]["text"] == "Jane Example"
    assert patient["birthDate"] == "1980-04-12" and patient["gender"] == "female"
    assert patient["identifier"][0]["value"] == "MRN-0042"
    specimen = resources["Specimen"]
    assert specimen["type"]["text"] == "Blood (EDTA)"
    assert specimen["collection"]["collectedDateTime"] == "2026-11-02"
    assert resources["Organization"]["name"] == LAB.name
    # the report itself names the patient only by reference
    assert "Jane Example" not in json.dumps(resources["DiagnosticReport"])


def test_same_model_same_bytes_and_status_changes_the_report_id():
    assert bundle_bytes(build_bundle(model())) == bundle_bytes(build_bundle(model()))
    decisions = {  # a flagged call included in a final report carries the reviewer's reason
        fid: Decision(fid, "include", comment="Confirmed by Sanger sequencing.")
        for fid in make_findings().frame["finding_id"]
    }
    final_model = model(signoff=SIGNED, decisions=decisions)
    bundle = build_bundle(final_model)
    report = bundle["entry"][0]["resource"]
    assert report["status"] == "final"
    assert report["identifier"][0]["value"] != report_id(model())
    assert report["resultsInterpreter"] == [
        {"display": "Sam Reviewer"},
        {"display": "Dr. Lee Approver"},
    ]


def test_amendment_names_the_report_it_replaces():
    bundle = build_bundle(model(), replaces="PMV-0123456789ABCDEF")
    assert "replaces report PMV-0123456789ABCDEF" in bundle["entry"][0]["resource"]["conclusion"]


def test_tumour_findings_plug_in_as_somatic_variants_and_extra_results():
    from pmviewer.export.fhir.pgx import therapeutic_implication

    def civic_evidence(report_model, common, new_url):
        return [
            therapeutic_implication(
                derived_from=[new_url("variant/x")],
                drug="olaparib",
                effect="Sensitivity/Response",
                evidence="CIViC evidence level B",
                conclusion="Predictive evidence item",
                common=common,
                effect_code=("51961-1", "Genetic variation's effect on drug efficacy"),
            )
        ]

    bundle = build_bundle(model(), origin="somatic", extra_results=[civic_evidence])
    for variant in by_profile(bundle, "variant"):
        assert coded(component(variant, "48002-0"))[1] == "LA6684-0"  # somatic, never germline
    therapeutic = by_profile(bundle, "therapeutic-implication")
    assert any("olaparib" in json.dumps(t) for t in therapeutic)
    report = bundle["entry"][0]["resource"]
    assert len(report["result"]) == len(bundle["entry"]) - 4


def test_invalid_content_is_refused_in_words():
    from pmviewer.core.errors import PmviewerError

    bundle = build_bundle(model())
    bundle["entry"][1]["resource"]["birthDate"] = "12/04/1980"
    with pytest.raises(PmviewerError, match="FHIR bundle could not be made valid"):
        validate_bundle(bundle)


def test_cli_writes_a_valid_bundle_for_the_demo(tmp_path):
    out, pdf = tmp_path / "bundle.json", tmp_path / "r.pdf"
    demo_json = resource_path("demo") / "demo-patient.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmviewer",
            "report",
            str(demo_vcf_path()),
            "--patient",
            str(demo_json),
            "-o",
            str(pdf),
            "--fhir",
            str(out),
            "--timestamp",
            "2026-11-30T10:15:00+00:00",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    bundle = json.loads(out.read_text())
    validate_bundle(bundle)
    report = bundle["entry"][0]["resource"]
    assert report["conclusion"].startswith("SYNTHETIC DEMONSTRATION DATA")
    assert by_profile(bundle, "variant") and by_profile(bundle, "genotype")


def test_exact_position_is_sent_only_with_its_genomic_reference_sequence(tmp_path):
    from pmviewer.core.pipeline import analyse

    findings = analyse(demo_vcf_path()).findings
    bundle = build_bundle(
        build_report_model(findings, software_version="0.1.0", generated_at=FIXED_TIME)
    )
    placed = 0
    for variant in by_profile(bundle, "variant"):
        codes = {c["code"]["coding"][0]["code"]: c for c in variant["component"]}
        if "81290-9" not in codes:  # no genomic HGVS: no NC_ accession, so no position
            assert "81254-5" not in codes and "69547-8" not in codes
            continue
        placed += 1
        g_hgvs = coded(codes["81290-9"])[1]  # e.g. NC_000013.11:g.32363421T>A
        accession, change = g_hgvs.split(":g.")
        assert coded(codes["48013-7"])[1] == accession
        position = codes["81254-5"]["valueRange"]["low"]["value"]
        ref, alt = codes["69547-8"]["valueString"], codes["69551-0"]["valueString"]
        if len(ref) == len(alt) == 1:  # an SNV: the g. name states the same position and bases
            assert change == f"{position}{ref}>{alt}"
        assert coded(codes["92822-6"])[1] == "LA30102-0"
    assert placed >= 1


typed_text = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=40)
@given(name=typed_text, mrn=typed_text, specimen=typed_text)
def test_any_typed_patient_text_gives_a_valid_bundle_and_round_trips(name, mrn, specimen):
    patient = PatientDetails(name=name, mrn=mrn, specimen_type=specimen, sex="M")
    bundle = build_bundle(model(patient=patient))
    validate_bundle(json.loads(bundle_bytes(bundle)))
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert resources["Patient"]["name"][0]["text"] == name
    assert resources["Patient"]["identifier"][0]["value"] == mrn
    assert resources["Specimen"]["type"]["text"] == specimen
