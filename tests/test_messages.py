"""Messages a counselor reads: precise causes, the CLI's own words, nothing raw or executable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pmviewer.core import vcf
from pmviewer.core.errors import InputFileError, SampleError

HEAD = (
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=13,length=114364328>\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
)
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT"
RECORD = "13\t32338000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n"


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "pmviewer", *args], capture_output=True, timeout=300
    )


def test_bad_bytes_in_a_meta_line_do_not_suggest_renaming_the_sample(tmp_path):
    data = (HEAD + '##source="caller \xff"\n' + COLUMNS + "\tS1\n" + RECORD).encode("latin-1")
    with pytest.raises(InputFileError) as caught:
        vcf.load(_write(tmp_path, "p.vcf", data))
    assert "header line 4" in str(caught.value) and "reheader" not in str(caught.value)
    data = (HEAD + COLUMNS + "\tJos\xe9\n" + RECORD).encode("latin-1")
    with pytest.raises(InputFileError, match="sample names.*reheader"):
        vcf.load(_write(tmp_path, "q.vcf", data))


def test_a_sample_asked_of_a_sites_only_file_is_explained(tmp_path):
    sites = (HEAD + COLUMNS.rsplit("\t", 1)[0] + "\n" + RECORD.rsplit("\t", 2)[0] + "\n").encode()
    with pytest.raises(SampleError) as caught:
        vcf.load(_write(tmp_path, "sites.vcf", sites), sample="NA12878")
    text = str(caught.value)
    assert "has no samples" in text and "none" not in text and "Choose one of these" not in text


def test_a_column_line_with_spaces_is_said_to_be_one(tmp_path):
    data = (HEAD + COLUMNS.replace("\t", " ") + " S1\n" + RECORD).encode()
    with pytest.raises(InputFileError, match="separated by spaces instead of tabs"):
        vcf.load(_write(tmp_path, "spaces.vcf", data))


def test_an_empty_sample_name_is_refused_once_with_its_cause(tmp_path):
    data = (HEAD + COLUMNS + "\tFOO\t\n" + RECORD).encode()
    path = _write(tmp_path, "trailing.vcf", data)
    for call in (lambda: vcf.inspect(path), lambda: vcf.load(path, sample="FOO")):
        with pytest.raises(InputFileError) as caught:  # not "(FOO, )", then a refusal of FOO
            call()
        assert "empty sample name" in str(caught.value)
        assert "does not look like a VCF" not in str(caught.value)


def test_the_cli_names_sample_option_for_a_multi_sample_file(tmp_path):
    data = (HEAD + COLUMNS + "\tMOTHER\tCHILD\n" + RECORD.rstrip("\n") + "\t0/0\n").encode()
    done = _cli("annotate", str(_write(tmp_path, "trio.vcf", data)), "--build", "GRCh38")
    assert done.returncode == 2
    assert b"--sample" in done.stderr and b"MOTHER" in done.stderr


def test_tsv_on_stdout_and_errors_pass_no_control_bytes_to_the_terminal(tmp_path):
    name = "S1\x1b]0;owned\x07\x1b[2J"
    data = (HEAD + COLUMNS + f"\t{name}\n" + RECORD).encode()
    path = _write(tmp_path, "esc.vcf", data)
    done = _cli("annotate", str(path), "--build", "GRCh38", "--format", "tsv")
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    assert b"S1\\x1b]0;owned" in done.stdout  # shown, not obeyed
    done = _cli("annotate", str(path), "--build", "GRCh38", "--sample", "other\x1b[2J")
    assert done.returncode == 2 and b"\x1b" not in done.stderr


def test_htslib_lines_never_reach_the_terminal(tmp_path):
    data = (HEAD + COLUMNS + "\tS1\n" + RECORD.replace("\t.\tGT", "\tUNDECLARED=1\tGT")).encode()
    path = _write(tmp_path, "undeclared.vcf", data)
    done = _cli("annotate", str(path), "--build", "GRCh38", "--format", "tsv")
    assert done.returncode == 0, done.stderr
    assert b"[W::" not in done.stderr and b"[E::" not in done.stderr
    from pmviewer.core.vcf.htslib_log import translate

    (said,) = translate(["[E::vcf_parse_format_fill5] Couldn't read GT data: value not a "
                         "number or '.' at 13:32338000"])  # fmt: skip
    assert said.startswith("The genotype of the variant at 13:32338000") and "[E::" not in said
