"""Codes and profile URLs of the HL7 FHIR Genomics Reporting IG, STU3 (v3.0.0, FHIR R4).

Every value here is taken from the IG's own profiles and examples:

- profiles: http://hl7.org/fhir/uv/genomics-reporting/STU3/artifacts.html
  (genomic-report, variant, diagnostic-implication, therapeutic-implication, genotype)
- variant components (LOINC):
  http://hl7.org/fhir/uv/genomics-reporting/STU3/StructureDefinition-variant.html
- implication components:
  http://hl7.org/fhir/uv/genomics-reporting/STU3/StructureDefinition-diagnostic-implication.html
  http://hl7.org/fhir/uv/genomics-reporting/STU3/StructureDefinition-therapeutic-implication.html
- the report: http://hl7.org/fhir/uv/genomics-reporting/STU3/StructureDefinition-genomic-report.html
  (code LOINC 51969-4 "Genetic analysis report", category v2-0074 GE "Genetics")

LOINC answer codes (LA...) are those of the answer lists the IG binds (LL1971-2 presence,
LL381-5 allelic state, LL378-1 genomic source class, LL1040-6 assembly, LL4034-6 clinical
significance, LL5323-2 coordinate system). Where pmviewer has no verified code for a value
(inheritance words, CPIC phenotypes, drug names), only ``text`` is sent: a receiving system
must never see a guessed code.
"""

from __future__ import annotations

IG = "http://hl7.org/fhir/uv/genomics-reporting"
PROFILE = {
    "report": f"{IG}/StructureDefinition/genomic-report",
    "variant": f"{IG}/StructureDefinition/variant",
    "diagnostic": f"{IG}/StructureDefinition/diagnostic-implication",
    "therapeutic": f"{IG}/StructureDefinition/therapeutic-implication",
    "genotype": f"{IG}/StructureDefinition/genotype",
}
TBD = f"{IG}/CodeSystem/tbd-codes-cs"
LOINC = "http://loinc.org"
HGVS = "http://varnomen.hgvs.org"
REFSEQ = "http://www.ncbi.nlm.nih.gov/refseq"
CLINVAR = "http://www.ncbi.nlm.nih.gov/clinvar"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

REPORT_CODE = ("51969-4", "Genetic analysis report")
VARIANT_CODE = ("69548-6", "Genetic variant assessment")
GENOTYPE_CODE = ("84413-4", "Genotype display name")
PRESENT = ("LA9633-4", "Present")

# component codes (LOINC unless the IG gives a tbd-codes-cs code)
GENE_STUDIED = ("48018-6", "Gene studied [ID]")
ASSEMBLY = ("62374-4", "Human reference sequence assembly version")
CODING_HGVS = ("48004-6", "DNA change (c.HGVS)")
PROTEIN_HGVS = ("48005-3", "Amino acid change (pHGVS)")
GENOMIC_HGVS = ("81290-9", "Genomic DNA change (gHGVS)")
TRANSCRIPT = ("51958-7", "Transcript reference sequence [ID]")
GENOMIC_REF_SEQ = ("48013-7", "Genomic reference sequence [ID]")
SOURCE_CLASS = ("48002-0", "Genomic source class [Type]")
ALLELIC_STATE = ("53034-5", "Allelic state")
VARIATION_CODE = ("81252-9", "Discrete genetic variant")
EXACT_START_END = ("81254-5", "Variant exact start-end")
COORDINATE_SYSTEM = ("92822-6", "Genomic coordinate system [Type]")
REF_ALLELE = ("69547-8", "Genomic ref allele [ID]")
ALT_ALLELE = ("69551-0", "Genomic alt allele [ID]")
ONE_BASED = ("LA30102-0", "1-based character counting")

CLINICAL_SIGNIFICANCE = ("53037-8", "Genetic variation clinical significance [Imp]")
ASSOCIATED_PHENOTYPE = ("81259-4", "Associated phenotype")
MODE_OF_INHERITANCE = ("79742-3", "Inheritance pattern based on family history")
EVIDENCE_LEVEL = ("93044-6", "Level of evidence")
MEDICATION_ASSESSED = ("51963-7", "Medication assessed [ID]")
EFFECT_ON_METABOLISM = ("53040-2", "Genetic variation's effect on drug metabolism")

ASSEMBLIES = {"GRCh37": ("LA14029-5", "GRCh37"), "GRCh38": ("LA26806-2", "GRCh38")}
SOURCE_CLASSES = {"germline": ("LA6683-2", "Germline"), "somatic": ("LA6684-0", "Somatic")}
ALLELIC_STATES = {
    "heterozygous": ("LA6706-1", "Heterozygous"),
    "homozygous": ("LA6705-3", "Homozygous"),
    "hemizygous": ("LA6707-9", "Hemizygous"),
}
SIGNIFICANCE = {
    "pathogenic": ("LA6668-3", "Pathogenic"),
    "likely pathogenic": ("LA26332-9", "Likely pathogenic"),
    "uncertain significance": ("LA26333-7", "Uncertain significance"),
    "likely benign": ("LA26334-5", "Likely benign"),
    "benign": ("LA6675-8", "Benign"),
}

# DiagnosticReport.status for the report's sign-off status (FHIR R4 value set)
REPORT_STATUS = {"draft": "preliminary", "final": "final", "amended": "amended"}
OBSERVATION_STATUS = {"draft": "preliminary", "final": "final", "amended": "amended"}
