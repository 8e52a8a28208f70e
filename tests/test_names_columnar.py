"""The signable names computed on whole columns equal :func:`choose_name` applied row by row
(the reading it replaced), on rows covering each branch and on the demo patient's findings."""

from __future__ import annotations

import pandas as pd
import pytest
from bundled import require_bundled

from pmviewer.core.annotation.nomenclature import choose_name, name_columns
from pmviewer.core.resources import bundled_knowledge_path, demo_vcf_path

MANE = {"BRCA1": {"NM_007294.4", "ENST00000357654.9"}, "TTN": {"NM_001267550.2"}}
COLUMNS = ["kb_gene", "transcript", "hgvs_c", "hgvs_p", "kb_transcript", "kb_hgvs_c", "kb_hgvs_p"]
ROWS = [
    ("BRCA1", "NM_007294.4", "c.68_69del", "p.Glu23fs", None, None, None),  # file on MANE
    ("BRCA1", " NM_007294.4 ", " c.68_69del ", None, "NM_007294.4", "c.68_69del", "p.E23fs"),
    ("BRCA1", "NM_007294.3", "c.1A>G", "", "NM_007294.4", "c.1A>G", None),  # other version
    ("BRCA1", "NM_007294", "c.1A>G", None, None, "NM_007294.4:c.1A>G", "p.M1?"),  # no version
    ("BRCA1", "NM_000001.1", "c.2A>G", None, None, None, None),  # another transcript only
    ("BRCA1", None, None, None, "NM_999.1", "c.3G>T", None),  # ClinVar off MANE
    ("BRCA1", None, None, None, None, "NM_007294.4:", None),  # prefix, no c. name left
    ("TTN", None, "c.5A>T", None, None, None, None),  # a c. name without a transcript
    ("HFE", None, None, None, None, None, None),  # nothing at all; gene without MANE
    (None, float("nan"), pd.NA, None, None, "c.9del", None),
    ("BRCA1", 17, 3.5, None, None, None, None),  # not text at all
]


def _row_by_row(rows: pd.DataFrame, mane: dict) -> list[tuple]:
    out = []
    for row in rows.to_dict("records"):
        gene = row.get("kb_gene")
        name = choose_name(row, mane.get(gene.strip() if isinstance(gene, str) else "", set()))
        out.append((name.transcript, name.hgvs_c, name.hgvs_p, name.source, name.note))
    return out


def test_columns_equal_the_row_by_row_names():
    rows = pd.DataFrame(ROWS, columns=COLUMNS, index=range(100, 100 + len(ROWS)))
    got = name_columns(rows, MANE)
    assert list(got.index) == list(rows.index)
    assert [tuple(r) for r in got.itertuples(index=False)] == _row_by_row(rows, MANE)
    assert all(isinstance(v, str) for v in got.to_numpy().ravel())


def test_columns_without_the_files_own_annotation():
    rows = pd.DataFrame(ROWS, columns=COLUMNS)[["kb_gene", "kb_transcript", "kb_hgvs_c"]]
    got = name_columns(rows, MANE)
    assert [tuple(r) for r in got.itertuples(index=False)] == _row_by_row(rows, MANE)
    assert name_columns(rows.iloc[:0], MANE).empty


@pytest.fixture(scope="module")
def demo_frame() -> pd.DataFrame:
    require_bundled(bundled_knowledge_path(), "the bundled knowledge file")
    from pmviewer.core.knowledge.reader import open_knowledge
    from pmviewer.core.pipeline import analyse

    knowledge = open_knowledge(bundled_knowledge_path())
    return analyse(demo_vcf_path(), knowledge=knowledge, sex="F").findings.frame


def test_demo_findings_names_equal_the_row_by_row_names(demo_frame):
    genes = sorted(set(demo_frame["kb_gene"].dropna().astype(str)))
    mane = {g: {f"NM_{i:06d}.1"} for i, g in enumerate(genes)}  # some hit, most do not
    mane.update(MANE)
    got = name_columns(demo_frame, mane)
    assert [tuple(r) for r in got.itertuples(index=False)] == _row_by_row(demo_frame, mane)
