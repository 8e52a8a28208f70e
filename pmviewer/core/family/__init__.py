"""Families: who is who (PED, ``##PEDIGREE``, the sample chooser) and what the parents'
genotypes say about each finding (inherited from whom, de novo, phase in trans or cis).

:func:`read_ped`, :func:`parse_ped` and :func:`parse_pedigree_header` give a
:class:`Pedigree`; :func:`with_parents` adds the parents' genotypes to a findings frame
(read by :func:`family_calls`) and applies the reporting rules again where they settle phase.
"""

from __future__ import annotations

from pmviewer.core.family.pedigree import (
    ROLE_WORDS,
    ROLES,
    Member,
    Pedigree,
    from_roles,
    parse_ped,
    parse_pedigree_header,
    read_ped,
)
from pmviewer.core.family.trio import (
    Trio,
    de_novo_note,
    family_findings,
    finding_sites,
    origin,
    with_parents,
)
from pmviewer.core.vcf import SampleCall, family_calls

__all__ = [
    "ROLES",
    "ROLE_WORDS",
    "Member",
    "Pedigree",
    "SampleCall",
    "Trio",
    "de_novo_note",
    "family_calls",
    "family_findings",
    "finding_sites",
    "from_roles",
    "origin",
    "parse_ped",
    "parse_pedigree_header",
    "read_ped",
    "with_parents",
]
