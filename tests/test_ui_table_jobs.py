"""A genome's first sort of a column and its filters run on a worker; a closed window is freed.

The genome threshold is lowered so that a real chr21 file takes the genome's path.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication

from pmviewer.core import vcf
from pmviewer.core.table_query import FrameIndex, TableFilter, filter_mask, sort_order
from pmviewer.ui import variant_table_model
from pmviewer.ui.columns import ALL_VARIANT_COLUMNS
from pmviewer.ui.variant_table_model import VariantTableModel

GERMLINE = "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"


@pytest.fixture(scope="module")
def table(corpus_dir):
    return vcf.load(str(corpus_dir / GERMLINE))


@pytest.fixture
def genome_model(qapp, table, monkeypatch):
    """A model that treats the chr21 file as a genome (computes sorts/filters on workers)."""
    monkeypatch.setattr(variant_table_model, "BACKGROUND_ROWS", 100)
    model = VariantTableModel()
    model.set_frame(table.frame, ALL_VARIANT_COLUMNS, FrameIndex(table.frame))
    return model


def test_first_sort_of_a_column_runs_on_a_worker_then_is_instant(genome_model, table, qtbot):
    model, frame = genome_model, table.frame
    words: list[str] = []
    model.busy_changed.connect(words.append)
    anchor = QPersistentModelIndex(model.index(7, 0))
    anchor_pos = model.value(model.frame_row(7), "pos")
    qual = model.column_index("qual")
    with qtbot.waitSignal(model.rows_changed, timeout=60_000):
        model.sort(qual, Qt.SortOrder.DescendingOrder)
        assert model.is_busy() and words == ["Sorting by QUAL…"]
        assert model.frame_row(0) == 0  # the rows keep their order until the result arrives
    assert not model.is_busy() and words[-1] == ""
    expected = sort_order(frame, "qual", False, FrameIndex(frame))
    assert [model.frame_row(r) for r in range(len(frame))] == expected.tolist()
    assert model.value(model.frame_row(anchor.row()), "pos") == anchor_pos  # selection follows
    # both directions were cached by the first sort: the other one is applied at once
    model.sort(qual, Qt.SortOrder.AscendingOrder)
    assert not model.is_busy()
    shown = [model.value(model.frame_row(r), "qual") for r in range(len(frame))]
    present = [q for q in shown if q is not None]
    assert present == sorted(present)


def test_a_newer_sort_wins_over_one_still_running(genome_model, table, qtbot):
    model, frame = genome_model, table.frame
    model.sort(model.column_index("dp"), Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(model.rows_changed, timeout=60_000):
        model.sort(model.column_index("gq"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not model.is_busy(), timeout=60_000)
    qtbot.wait(50)  # the superseded DP result, if it arrives now, is dropped
    expected = sort_order(frame, "gq", True, FrameIndex(frame))
    assert model.frame_rows(np.arange(len(frame))).tolist() == expected.tolist()


def test_filter_runs_on_a_worker_and_a_new_frame_drops_it(genome_model, table, qtbot):
    model, frame = genome_model, table.frame
    het = TableFilter(zygosity="het", quality="pass")
    with qtbot.waitSignal(model.rows_changed, timeout=60_000):
        model.set_filter(het)
        assert model.is_busy() and model.busy_words() == "Filtering…"
    expected = np.flatnonzero(filter_mask(frame, het))
    assert model.visible_count() == len(expected) < len(frame)
    assert sorted(model.frame_rows(np.arange(model.visible_count())).tolist()) == expected.tolist()
    # clearing every filter is immediate; a pending filter is dropped with a new frame
    model.set_filter(TableFilter())
    assert model.visible_count() == len(frame) and not model.is_busy()
    model.set_filter(het)
    small = frame.iloc[:50].reset_index(drop=True)
    model.set_frame(small, ALL_VARIANT_COLUMNS)
    assert not model.is_busy()
    qtbot.wait(300)
    assert model.visible_count() == 50


def test_a_closed_window_frees_its_frames(qtbot, corpus_dir):
    from pmviewer.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    with qtbot.waitSignal(window.all_variants_shown, timeout=120_000):
        window.open_file(str(corpus_dir / GERMLINE))
    frames = [weakref.ref(frame) for frame, _ in window.frames.values()]
    assert frames
    window.close()
    window.deleteLater()
    del window
    qtbot.wait(50)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    # a finished worker's slots named the window: they were a cycle Qt kept alive
    assert [ref() is None for ref in frames] == [True] * len(frames)
