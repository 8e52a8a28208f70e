"""The input's SHA-256 is computed from the bytes read, never from a path/size/mtime cache."""

from __future__ import annotations

import hashlib
import os

from pmviewer.core import vcf

VCF = (
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=1,length=249250621>\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
    "1\t1000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n"
)


def test_same_size_edit_with_kept_mtime_gets_a_new_digest(tmp_path):
    path = tmp_path / "patient.vcf"
    path.write_text(VCF)
    first = vcf.load(str(path))
    assert first.info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    st = path.stat()
    edited = VCF.replace("1\t1000\t.\tA\tG", "1\t1000\t.\tA\tT")
    assert len(edited) == len(VCF)
    path.write_text(edited)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the mtime lies
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    second = vcf.load(str(path), regions=[("1", 1, 5000)])
    assert second.info.sha256 == hashlib.sha256(edited.encode()).hexdigest()
    assert second.info.sha256 != first.info.sha256
    assert list(second.frame["alt"]) == ["T"]
