"""Protein changes in one spelling: HGVS p. (three- or one-letter) to CIViC's short form."""

from __future__ import annotations

import re

THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    "Sec": "U", "Xaa": "X",
}  # fmt: skip
_THREE = re.compile("|".join(THREE_TO_ONE))
_POINT = re.compile(r"^([A-Z*])(\d+)([A-Z*=])$")
_FS = re.compile(r"^([A-Z])(\d+)[A-Z]?FS")


def protein_key(hgvs_p: str | None) -> str | None:
    """``p.Val600Glu`` -> ``V600E``; ``p.Glu746_Ala750del`` -> ``E746_A750DEL``;
    ``p.Trp288GlyfsTer12`` -> ``W288FS``; ``ENSP…:p.(Leu858Arg)`` -> ``L858R``."""
    if not hgvs_p:
        return None
    text = hgvs_p.split(":", 1)[-1].strip()
    if text.startswith("p."):
        text = text[2:]
    text = text.strip("()")
    if not text or text in ("?", "="):
        return None
    text = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], text).upper()
    text = text.replace("%3D", "=")
    m = _FS.match(text)
    if m:
        return f"{m.group(1)}{m.group(2)}FS"
    if text.endswith("X") and _POINT.match(text[:-1] + "*"):
        text = text[:-1] + "*"
    return text


def residue(key: str | None) -> tuple[str, int, str] | None:
    """(reference residue, position, new residue) of a point change such as ``V600E``."""
    if not key:
        return None
    m = _POINT.match(key)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else None
