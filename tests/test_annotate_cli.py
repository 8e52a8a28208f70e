"""``pmviewer annotate``: the JSON contract, TSV, and exit status 2 with a clear message."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pmviewer.cli import main
from pmviewer.core.resources import demo_vcf_path
from pmviewer.core.vcf.loader import sha256_file

FINDING_KEYS = {
    "gene", "chrom", "pos", "ref", "alt", "zygosity", "genotype", "category", "classification",
    "review_stars", "clinvar_id", "condition", "inheritance", "hgvs_c", "hgvs_p", "reason",
    "quality_flags",
}  # fmt: skip
PGX_KEYS = {
    "gene",
    "diplotype",
    "phenotype",
    "activity_score",
    "callable",
    "missing_positions",
    "recommendations",
}


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("annotate") / "demo.json"
    assert main(["annotate", str(demo_vcf_path()), "--sex", "F", "-o", str(out)]) == 0
    return json.loads(out.read_text())


def test_json_follows_the_contract(demo_json):
    assert set(demo_json) >= {"input", "knowledge", "findings", "pgx", "fate", "warnings"}
    assert set(demo_json["input"]) >= {"path", "sha256", "sample", "build", "records"}
    assert demo_json["input"]["sha256"] == sha256_file(demo_vcf_path())
    assert demo_json["input"]["build"] == "GRCh38"
    assert demo_json["knowledge"]["version"]
    for finding in demo_json["findings"]:
        assert FINDING_KEYS <= set(finding)
        assert finding["chrom"].startswith("chr")  # as named in the input file
        assert isinstance(finding["pos"], int) and isinstance(finding["quality_flags"], list)
    for result in demo_json["pgx"]:
        assert PGX_KEYS <= set(result)
        for rec in result["recommendations"]:
            assert {"drug", "text", "strength", "guideline"} <= set(rec)
    assert {f["category"] for f in demo_json["findings"]} >= {
        "reportable",
        "carrier",
        "uncertain",
        "pgx",
    }


def test_positions_are_one_based_as_in_the_vcf(demo_json):
    import gzip

    lines = {}
    with gzip.open(demo_vcf_path(), "rt") as handle:
        for line in handle:
            if not line.startswith("#"):
                chrom, pos, _, ref, alt = line.split("\t")[:5]
                lines[(chrom, int(pos))] = (ref, alt)
    for finding in demo_json["findings"]:
        ref, alt = lines[(finding["chrom"], finding["pos"])]
        assert finding["ref"] == ref and finding["alt"] in alt.split(",")


def test_tsv_has_one_line_per_finding(tmp_path, demo_json):
    out = tmp_path / "demo.tsv"
    assert (
        main(["annotate", str(demo_vcf_path()), "--sex", "F", "--format", "tsv", "-o", str(out)])
        == 0
    )
    lines = out.read_text().splitlines()
    assert lines[0].startswith("# pmviewer") and "knowledge" in lines[0]
    header = lines[1].split("\t")
    assert header[:3] == ["gene", "chrom", "pos"]
    assert len(lines) - 2 == len(demo_json["findings"])


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not a VCF\n", "VCF"),
        ("", "empty"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message_and_no_traceback(tmp_path, content, message):
    bad = tmp_path / "bad.vcf"
    bad.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "pmviewer", "annotate", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("pmviewer: error: ")
    assert message.lower() in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_missing_file_and_missing_sample_exit_2(tmp_path, capsys):
    assert main(["annotate", str(tmp_path / "absent.vcf")]) == 2
    assert "pmviewer: error:" in capsys.readouterr().err
    assert main(["annotate", str(demo_vcf_path()), "--sample", "NOBODY"]) == 2
    err = capsys.readouterr().err
    assert "NOBODY" in err and "SYNTHETIC_DEMO" in err


def test_unwritable_output_is_a_clear_error(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["annotate", str(demo_vcf_path()), "-o", str(blocker / "x.json")]) == 2
    assert "could not be saved" in capsys.readouterr().err
