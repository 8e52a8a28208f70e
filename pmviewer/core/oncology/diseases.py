"""Tumour types from the Disease Ontology: resolve what the user typed, walk the hierarchy.

Evidence CIViC states for a disease applies to its subtypes: an item for "lung non-small cell
carcinoma" (DOID:3908) applies to "lung adenocarcinoma" (DOID:3910), because DOID:3908 is one
of DOID:3910's is_a ancestors. Evidence for a subtype does not apply to its parent.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from pmviewer.core.errors import PmviewerError

_DOID = re.compile(r"^\s*(?:DOID[:_ ]?)?(\d+)\s*$", re.I)


class TumourTypeError(PmviewerError):
    """The stated tumour type is not a Disease Ontology term pmviewer knows."""


@dataclass(frozen=True)
class TumourType:
    doid: str  # 'DOID:3910'
    name: str

    def to_json(self) -> dict[str, str]:
        return {"doid": self.doid, "name": self.name}


class DiseaseOntology:
    """The DOID tables of the knowledge file, held in memory (about 14,000 terms)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.names: dict[str, str] = {}
        self.obsolete: dict[str, str | None] = {}
        for doid, name, obsolete, replaced in conn.execute("SELECT * FROM doid_terms"):
            self.names[doid] = name
            if obsolete:
                self.obsolete[doid] = replaced
        self.parents: dict[str, list[str]] = {}
        for doid, parent in conn.execute("SELECT doid, parent FROM doid_parents"):
            self.parents.setdefault(doid, []).append(parent)
        self.lookup: dict[str, list[tuple[str, str]]] = {}
        for name, doid, kind in conn.execute("SELECT name, doid, kind FROM doid_names"):
            self.lookup.setdefault(name, []).append((doid, kind))

    def ancestors(self, doid: str) -> set[str]:
        """Every is_a ancestor of ``doid`` (not including itself)."""
        seen: set[str] = set()
        stack = list(self.parents.get(doid, []))
        while stack:
            term = stack.pop()
            if term not in seen:
                seen.add(term)
                stack.extend(self.parents.get(term, []))
        return seen

    def applies(self, stated_for: str | None, tumour: str) -> bool:
        """Whether evidence stated for ``stated_for`` applies to the tumour type ``tumour``."""
        if not stated_for:
            return False
        return stated_for == tumour or stated_for in self.ancestors(tumour)

    def resolve(self, text: str) -> TumourType:
        """A DOID (``DOID:3910``, ``3910``) or a disease name as CIViC or DO writes it."""
        raw = (text or "").strip()
        m = _DOID.match(raw)
        if m:
            doid = f"DOID:{m.group(1)}"
            if doid not in self.names:
                alias = [d for d, kind in self.lookup.get(doid.lower(), []) if kind == "alt_id"]
                if not alias:
                    raise TumourTypeError(
                        f"{raw} is not a Disease Ontology term. Give a DOID such as DOID:3910 "
                        "(lung adenocarcinoma) or a disease name."
                    )
                doid = alias[0]
            if doid in self.obsolete:
                replaced = self.obsolete[doid]
                if not replaced:
                    raise TumourTypeError(
                        f"{doid} ({self.names[doid]}) is an obsolete Disease Ontology term. "
                        "Choose its current term by name."
                    )
                doid = replaced
            return TumourType(doid, self.names[doid])
        hits = self.lookup.get(raw.lower(), [])
        primary = [d for d, kind in hits if kind == "name"] or [d for d, _ in hits]
        if len(set(primary)) == 1:
            return TumourType(primary[0], self.names[primary[0]])
        suggestions = self.search(raw, limit=5)
        hint = "; ".join(f"{t.doid} {t.name}" for t in suggestions)
        raise TumourTypeError(
            f"'{raw}' is not a tumour type pmviewer can name exactly."
            + (f" Did you mean: {hint}?" if hint else "")
            + " Give the Disease Ontology ID (for example DOID:3910) or the exact disease name."
        )

    def search(self, text: str, limit: int = 50, among: set[str] | None = None) -> list[TumourType]:
        """Terms whose name or exact synonym contains every word of ``text``; names first."""
        words = [w for w in re.split(r"\W+", text.lower()) if w]
        if not words:
            return []
        found: dict[str, int] = {}
        for name, entries in self.lookup.items():
            if all(w in name for w in words):
                for doid, kind in entries:
                    if kind == "alt_id" or doid in self.obsolete:
                        continue
                    if among is not None and doid not in among:
                        continue
                    rank = (0 if kind == "name" else 1) * 1000 + len(name)
                    found[doid] = min(found.get(doid, rank), rank)
        ordered = sorted(found, key=lambda d: (found[d], self.names[d]))
        return [TumourType(d, self.names[d]) for d in ordered[:limit]]
