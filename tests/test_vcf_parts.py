"""Build detection, CSQ/ANN/EFF parsing and the row logic behind a fake reader."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pmviewer.core.vcf.csq import AnnotationParser, parse_format, vep_allele_strings
from pmviewer.core.vcf.header import detect_build, parse_header_lines
from pmviewer.core.vcf.reader import FakeReader, Record
from pmviewer.core.vcf.rows import RowBuilder


def test_build_from_contig_lengths_then_reference_names():
    assert detect_build({"chr1": 248956422, "chr2": 242193529}, [])[0] == "GRCh38"
    build, why = detect_build({"1": 249250621, "MT": 16569}, ["GRCh38"])
    assert build == "GRCh37" and "contig lengths" in why  # lengths win over names
    assert detect_build({"chrM": 16571}, [])[0] == "GRCh37"  # hg19 mitochondrion
    assert detect_build({"1": None}, ["file:///ref/hs37d5.fa"])[0] == "GRCh37"
    assert detect_build({}, ["Homo_sapiens_assembly38.fasta"])[0] == "GRCh38"
    build, why = detect_build({"1": 249250621, "2": 242193529}, [])
    assert build is None and "contradictory" in why
    build, why = detect_build({"1": 1000}, [])
    assert build is None and "no ##contig lengths" in why
    assert detect_build({}, ["NCBI36"])[0] is None


def test_header_lines_are_parsed():
    ht = parse_header_lines([
        "##fileformat=VCFv4.3",
        '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL">',
        "##contig=<ID=chr1,length=248956422,assembly=hg38>",
        "##reference=GRCh38.fa",
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA B",
    ])  # fmt: skip
    assert ht.file_format == "VCFv4.3" and ht.samples == ["A B"]
    assert ht.contigs == {"chr1": 248956422} and ht.contig_assemblies == ["hg38"]
    assert parse_format(ht.info["CSQ"]) == ["Allele", "Consequence", "IMPACT", "SYMBOL"]


VEP = "Format: Allele|Consequence|IMPACT|SYMBOL|Feature|HGVSc|HGVSp|CANONICAL|MANE_SELECT"


def test_vep_prefers_mane_then_canonical_then_most_severe():
    p = AnnotationParser("CSQ", VEP)
    value = ",".join([
        "T|stop_gained|HIGH|BRCA1|ENST1|ENST1:c.1A>T|ENSP1:p.Lys1Ter||",
        "T|missense_variant|MODERATE|BRCA1|ENST2|ENST2:c.2A>T|ENSP2:p.Lys2Met%3D|YES|NM_007294.4",
        "G|intron_variant|MODIFIER|BRCA1|ENST3|ENST3:c.3+1A>G||YES|",
        "G|splice_donor_variant|HIGH|BRCA1|ENST4|ENST4:c.4+1A>G|||",
    ])  # fmt: skip
    t, g = p.choose(value, "A", ["T", "G"])
    assert (t.transcript, t.hgvs_c, t.hgvs_p, t.impact) == (
        "ENST2",
        "c.2A>T",
        "p.Lys2Met=",
        "MODERATE",
    )
    assert (g.transcript, g.consequence) == ("ENST3", "intron_variant")  # canonical over severity
    p2 = AnnotationParser("CSQ", VEP.replace("|CANONICAL|MANE_SELECT", ""))
    (only,) = p2.choose("T|intron_variant|MODIFIER|X|E1||,T|stop_gained|HIGH|X|E2||", "A", ["T"])
    assert only.transcript == "E2"


def test_vep_allele_strings_for_indels():
    assert vep_allele_strings("AT", ["A", "ATT"]) == ["-", "TT"]
    assert vep_allele_strings("A", ["G", "T"]) == ["G", "T"]
    p = AnnotationParser("CSQ", VEP)
    dele, ins = p.choose(
        "-|frameshift_variant|HIGH|G1|E1|||,TT|inframe_insertion|MODERATE|G1|E1|||",
        "AT",
        ["A", "ATT"],
    )
    assert dele.consequence == "frameshift_variant" and ins.consequence == "inframe_insertion"


def test_snpeff_ann_and_eff():
    ann = AnnotationParser(
        "ANN",
        "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | "
        "Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p'",
    )
    (a,) = ann.choose(
        "C|missense_variant|MODERATE|TP53|ENSG|transcript|ENST9|protein_coding|5/11|c.215C>G|p.Pro72Arg",
        "G",
        ["C"],
    )
    assert (a.gene, a.hgvs_c, a.hgvs_p, a.transcript) == ("TP53", "c.215C>G", "p.Pro72Arg", "ENST9")
    eff = AnnotationParser("EFF", "Predicted effects")
    (e,) = eff.choose(
        "DOWNSTREAM(MODIFIER|||||FAM138A|processed_transcript|CODING|ENST1||1),NON_SYNONYMOUS_CODING(MODERATE|MISSENSE|Gtc/Atc|V100I|300|GENE2|protein_coding|CODING|ENST2|2|1)",
        "G",
        ["A"],
    )
    assert (e.gene, e.impact, e.hgvs_p, e.transcript) == ("GENE2", "MODERATE", "V100I", "ENST2")


def _record(gt: list[int], n_alts: int, phased: bool = False) -> Record:
    alts = ["C", "G", "T", "CA", "CAA"][:n_alts]
    return Record("chr1", 100, 100, None, "A", alts, 30.0, "PASS", gt, phased)


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.integers(min_value=-1, max_value=n), min_size=1, max_size=3)
        )
    )
)
def test_row_logic_accounts_for_every_allele(case):
    n_alts, gt = case
    builder = RowBuilder(has_genotypes=True)
    for rec in FakeReader([_record(gt, n_alts)]).records():
        builder.add(rec, 0)
    frame, covered, no_calls = builder.finish()
    stats = builder.stats
    carried = {a for a in gt if a > 0}
    assert sorted(frame["allele_index"].tolist()) == sorted(carried)
    for _, row in frame.iterrows():
        count = gt.count(row["allele_index"])
        assert row["allele_count"] == count
        expected = "hemi" if len(gt) == 1 else ("hom" if count == len(gt) else "het")
        assert row["zygosity"] == expected
    if carried:
        assert stats.not_carried == n_alts - len(carried)
    elif -1 in gt:
        assert stats.no_call == 1 and no_calls["pos"].tolist() == [100]
    else:
        assert stats.reference_only == 1 and covered["start"].tolist() == [100]


def _build_of(*meta_lines: str) -> tuple[str | None, str]:
    ht = parse_header_lines(
        ["##fileformat=VCFv4.2", *meta_lines, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    )
    return detect_build(ht.contigs, ht.references + ht.contig_assemblies, ht.other_meta)


def test_build_from_reference_paths_in_other_header_lines():
    build, why = _build_of(
        "##liftOverFile=/usr/local/share/vep/data/data/chainFiles/hg38ToHg19.over.chain.gz",
        "##new_reference_genome=/usr/local/share/vep/data/data/hg19/ucsc.hg19.fa",
    )
    assert (build, why) == ("GRCh37", "reference path in ##new_reference_genome names hg19")
    build, why = _build_of(
        '##GATKCommandLine=<ID=HaplotypeCaller,CommandLine="HaplotypeCaller --output x.g.vcf '
        '--reference /refs/Homo_sapiens_assembly38.fasta --emit-ref-confidence GVCF">'
    )
    assert build == "GRCh38" and "##GATKCommandLine names Homo_sapiens_assembly38.fasta" in why
    build, why = _build_of("##bcftools_normCommand=norm --fasta-ref hg19.fa -m-any in.vcf.gz")
    assert build == "GRCh37" and "##bcftools_normCommand names hg19.fa" in why
    build, why = _build_of('##DRAGENCommandLine=<ID=dragen,CommandLine="--ref-dir /st/hg38_alt">')
    assert build == "GRCh38" and "hg38_alt" in why
    assert _build_of("##source=GRCh38_full_analysis_set_plus_decoy_hla.fa")[0] == "GRCh38"
    assert _build_of("##cmd=bwa mem /b37/human_g1k_v37.fasta")[0] == "GRCh37"
    assert _build_of("##cmd=bwa mem hs37d5.fa")[0] == "GRCh37"
    # a liftover chain names the build the data were lifted *to*
    assert _build_of("##liftOverFile=/chains/hg19ToHg38.over.chain.gz")[0] == "GRCh38"


def test_weak_build_tokens_conflict_and_rank_below_stronger_evidence():
    build, why = _build_of(
        '##GATKCommandLine=<ID=HC,CommandLine="-R /ref/hg38.fa -L /ref/hg19/targets.bed">'
    )
    assert build is None and "different builds" in why and "hg38.fa" in why and "hg19" in why
    # a line naming the reference outranks a copied command line (liftover keeps the old one)
    build, why = _build_of(
        "##bcftools_normCommand=norm --fasta-ref GRCh38.fa in.vcf",
        "##new_reference_genome=/refs/GRCh37.fa",
    )
    assert build == "GRCh37" and "##new_reference_genome" in why
    # ##reference and contig lengths come first
    assert _build_of("##reference=hg19.fa", "##cmd=-R hg38.fa")[0] == "GRCh37"
    build, why = _build_of("##contig=<ID=chr1,length=248956422>", "##cmd=-R hg19.fa")
    assert build == "GRCh38" and "contig lengths" in why
    # old builds are named, not guessed; INFO descriptions and GENCODE versions are not paths
    build, why = _build_of("##cmd=-R /ref/hg18.fa")
    assert build is None and "not supported" in why
    build, why = _build_of(
        '##INFO=<ID=AF38,Number=A,Type=Float,Description="gnomAD GRCh38 frequency">',
        "##VEP=v104 gencode=GENCODE v37",
    )
    assert build is None and "no ##contig lengths" in why
