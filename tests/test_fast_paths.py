"""Shortcuts taken for speed give exactly the answer of the plain way: terminal-safe text,
and ClinVar lookups with and without the position prefilter."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from pmviewer.core.knowledge import reader
from pmviewer.core.text_safety import printable


def _plainly_printable(text: str, keep: str) -> str:
    shown = []
    for ch in text:
        control = ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0
        shown.append(f"\\x{ord(ch):02x}" if control and ch not in keep else ch)
    return "".join(shown)


def test_printable_escapes_every_control_character_but_the_kept_ones():
    assert printable("a\x1b]0;title\x07\tb\n", keep="\t\n") == "a\\x1b]0;title\\x07\tb\n"
    assert printable("\x9b2J\n") == "\\x9b2J\n"
    rnd = random.Random(7)
    alphabet = [chr(i) for i in range(0xB0)] + ["é", "王", "\u202e"]
    for keep in ("\n", "\t\n", "", "x\x1b", "".join(chr(i) for i in range(0xA0))):
        for _ in range(500):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
            assert printable(text, keep) == _plainly_printable(text, keep)


def test_clinvar_lookup_is_the_same_with_and_without_the_position_prefilter(kb, monkeypatch):
    known = kb.variants("GRCh38").head(3000)
    keys = list(zip(known["chrom"], known["pos"], known["ref"], known["alt"], strict=True))
    rng = np.random.default_rng(5)  # and positions without any record, as in a genome
    keys += [("chr1", int(p), "A", "G") for p in rng.integers(1, 240_000_000, 2500)]
    monkeypatch.setattr(reader, "_PREFILTER", 10**9)
    direct = kb.variants_in("GRCh38", keys)
    monkeypatch.setattr(reader, "_PREFILTER", 0)
    prefiltered = kb.variants_in("GRCh38", keys)
    assert len(direct) >= 3000
    pd.testing.assert_frame_equal(direct, prefiltered)
