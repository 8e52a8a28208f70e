"""Small parsers of the knowledge build: dates in file names, classifications, stars, HGVS."""

from __future__ import annotations

import pytest

from pmviewer.core.knowledge.build.clinvar_read import category_for, stars_for, truncating_from_hgvs
from pmviewer.core.knowledge.build.common import date_in_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clinvar_20250928_GRCh38_acmg_sf_v3.3_PLP_subset.vcf.gz", "2025-09-28"),
        ("clinvar_2026-09_ATP7B_GAA_PLP_2star_GRCh38_GRCh37.tsv", "2026-09"),
        ("01-Jul-2025-ClinicalEvidenceSummaries.tsv", "2025-07-01"),
        ("Clingen-Gene-Disease-Summary-2025-07-01.csv", "2025-07-01"),
        ("2025-11-05-00-25", "2025-11-05"),
        ("clinvar.vcf.gz", ""),
        ("MANE v1.5", ""),
    ],
)
def test_date_in_text(text, expected):
    assert date_in_text(text) == expected


@pytest.mark.parametrize(
    ("classification", "expected"),
    [
        ("Pathogenic", "plp"),
        ("Likely_pathogenic", "plp"),
        ("Pathogenic/Likely_pathogenic", "plp"),
        ("Pathogenic|drug_response", "plp"),
        ("Pathogenic/Likely_pathogenic/Pathogenic,_low_penetrance", "plp"),
        ("Pathogenic/Pathogenic, low penetrance; risk factor", "plp"),
        ("Pathogenic/Likely_risk_allele", "plp"),
        ("Uncertain_significance", "uncertain"),
        ("Conflicting_classifications_of_pathogenicity", "uncertain"),
        ("Conflicting classifications of pathogenicity; other", "uncertain"),
        ("Benign/Likely_benign", None),
        ("Likely_benign", None),
        ("drug_response", None),
        ("Likely_risk_allele", None),
        ("no_classification_for_the_single_variant", None),
        ("not_provided", None),
    ],
)
def test_category_for(classification, expected):
    assert category_for(classification) == expected


@pytest.mark.parametrize(
    ("status", "stars"),
    [
        ("practice guideline", 4),
        ("reviewed by expert panel", 3),
        ("criteria provided, multiple submitters, no conflicts", 2),
        ("criteria provided, conflicting classifications", 1),
        ("criteria provided, single submitter", 1),
        ("no assertion criteria provided", 0),
        ("no classification for the single variant", 0),
        (None, 0),
    ],
)
def test_stars_for(status, stars):
    assert stars_for(status) == stars


@pytest.mark.parametrize(
    ("hgvs_c", "hgvs_p", "expected"),
    [
        ("c.4374_4375del", "p.Arg1459fs", True),
        ("c.2560C>T", "p.Arg854Ter", True),
        ("c.1285-1G>A", None, True),
        ("c.2189+2T>C", None, True),
        ("c.-32-13T>G", None, False),
        ("c.1187G>A", "p.Gly396Asp", False),
        ("c.4396T>C", "p.Ter1466GlnextTer?", False),
        ("c.2189+5G>A", None, False),
    ],
)
def test_truncating_from_hgvs(hgvs_c, hgvs_p, expected):
    assert truncating_from_hgvs(hgvs_c, hgvs_p) is expected
