import pandas as pd

from pmviewer.core.annotation.sex import infer_sex


def frame(calls):
    return pd.DataFrame(
        {
            "chrom": [c for c, _, _ in calls],
            "pos": [p for _, p, _ in calls],
            "zygosity": [z for _, _, z in calls],
        }
    )


def test_stated_sex_wins():
    assert infer_sex(frame([("chrX", 5_000_000, "het")]), "GRCh38", "M").source == "stated"


def test_haploid_x_calls_mean_male():
    call = infer_sex(frame([("X", 5_000_000 + i, "hemi") for i in range(5)]), "GRCh38")
    assert (call.sex, call.source) == ("M", "inferred")


def test_heterozygous_x_without_y_means_female():
    calls = [("chrX", 3_000_000 + i * 1000, "het" if i % 2 else "hom") for i in range(40)]
    call = infer_sex(frame(calls), "GRCh38")
    assert call.sex == "F" and "heterozygous fraction" in call.evidence


def test_homozygous_x_with_y_calls_means_male_and_par_is_ignored():
    calls = [("chrX", 3_000_000 + i * 1000, "hom") for i in range(30)]
    calls += [("chrX", 20_000 + i, "het") for i in range(50)]  # PAR1: diploid in everyone
    calls += [("chrY", 10_000_000, "hom")]
    assert infer_sex(frame(calls), "GRCh38").sex == "M"


def test_too_few_calls_is_unknown():
    call = infer_sex(frame([("chrX", 3_000_000, "het")]), "GRCh38")
    assert call.sex is None and call.source == "unknown"
