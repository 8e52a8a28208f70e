"""Who is who in a family file: PED files, ``##PEDIGREE`` header lines, roles and sexes.

A PED (PLINK/GATK) line is ``family individual father mother sex phenotype`` (sex 1 male,
2 female, 0/other unknown; phenotype 2 affected, 1 unaffected). VCF 4.x ``##PEDIGREE`` lines
are ``<Child=ID,Mother=ID,Father=ID>`` (VCF 4.1/4.2) or ``<ID=ID,Mother=ID,Father=ID>``
(VCF 4.3+). Roles are relative to the proband: mother, father, sibling (shares a parent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pmviewer.core.errors import InputFileError

ROLES = ("proband", "mother", "father", "sibling", "relative")
ROLE_WORDS = {role: role.capitalize() for role in ROLES}  # the words a counselor reads
_MISSING = {"", "0", ".", "-9", "NA"}


@dataclass(frozen=True)
class Member:
    """One person of the pedigree (``sex`` "M", "F" or None; parents by sample ID)."""

    sample: str
    sex: str | None = None
    father: str | None = None
    mother: str | None = None
    affected: bool | None = None


@dataclass
class Pedigree:
    """The family's members by sample ID, and where the facts came from."""

    members: dict[str, Member] = field(default_factory=dict)
    source: str = ""  # "PED file name", "VCF ##PEDIGREE lines" or "sample chooser"

    def roles(self, proband: str) -> dict[str, str]:
        """Role of every member relative to ``proband`` (the proband included)."""
        me = self.members.get(proband, Member(proband))
        out = {proband: "proband"}
        for sample, member in self.members.items():
            if sample == proband:
                continue
            if sample == me.mother:
                out[sample] = "mother"
            elif sample == me.father:
                out[sample] = "father"
            elif (member.mother and member.mother == me.mother) or (
                member.father and member.father == me.father
            ):
                out[sample] = "sibling"
            else:
                out[sample] = "relative"
        return out

    def parents(self, proband: str) -> tuple[str | None, str | None]:
        """(mother, father) sample IDs of ``proband``; None where not known."""
        me = self.members.get(proband)
        return (me.mother, me.father) if me else (None, None)

    def sex_of(self, sample: str) -> str | None:
        member = self.members.get(sample)
        return member.sex if member else None

    def restricted_to(self, samples: list[str]) -> Pedigree:
        """Only the members present in the VCF (parents not in it are dropped)."""
        present = set(samples)
        kept = {
            s: replace(
                m,
                father=m.father if m.father in present else None,
                mother=m.mother if m.mother in present else None,
            )
            for s, m in self.members.items()
            if s in present
        }
        return Pedigree(kept, self.source)


def _sex_code(value: str) -> str | None:
    return {"1": "M", "2": "F", "M": "M", "F": "F", "MALE": "M", "FEMALE": "F"}.get(
        value.strip().upper()
    )


def parse_ped(text: str, source: str = "PED file") -> Pedigree:
    """Members from PED text (whitespace-separated, ``#`` comments and a header allowed).

    Raises
    ------
    InputFileError
        A data line has fewer than five columns, or the file names nobody.
    """
    members: dict[str, Member] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t") if "\t" in line else line.split()
        cells = [c.strip() for c in cells]
        if number == 1 and cells[0].lower() in ("family", "fid", "family_id", "familyid"):
            continue  # a header line
        if len(cells) < 5:
            raise InputFileError(
                f"{source}, line {number}: a PED line needs at least five columns (family, "
                f"individual, father, mother, sex); this one has {len(cells)}."
            )
        _family, sample, father, mother, sex = cells[:5]
        phenotype = cells[5] if len(cells) > 5 else ""
        members[sample] = Member(
            sample,
            _sex_code(sex),
            None if father in _MISSING else father,
            None if mother in _MISSING else mother,
            {"2": True, "1": False}.get(phenotype),
        )
    if not members:
        raise InputFileError(f"{source} names no family member.")
    return Pedigree(members, source)


def read_ped(path: str | Path) -> Pedigree:
    """:func:`parse_ped` on a file, with a counselor's message when it cannot be read."""
    target = Path(path)
    try:
        text = target.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as error:
        raise InputFileError(
            f"The pedigree file {target.name} could not be read ({error.strerror or error})."
        ) from error
    return parse_ped(text, target.name)


_PEDIGREE_LINE = re.compile(r"^##PEDIGREE=<(?P<body>.*)>\s*$")


def parse_pedigree_header(header_lines: list[str]) -> Pedigree:
    """Members from a VCF header's ``##PEDIGREE`` lines (an empty pedigree when none)."""
    members: dict[str, Member] = {}
    for line in header_lines:
        match = _PEDIGREE_LINE.match(line.strip())
        if not match:
            continue
        fields = {}
        for part in match["body"].split(","):
            key, _, value = part.partition("=")
            fields[key.strip().lower()] = value.strip().strip('"')
        child = fields.get("child") or fields.get("id") or fields.get("derived")
        if not child:
            continue
        mother = fields.get("mother") or None
        father = fields.get("father") or None
        members[child] = Member(child, None, father, mother)
        for parent, sex in ((mother, "F"), (father, "M")):
            if parent and parent not in members:
                members[parent] = Member(parent, sex)
    # a parent's sex follows from the role it has for any child
    for member in list(members.values()):
        for parent, sex in ((member.mother, "F"), (member.father, "M")):
            if parent and members.get(parent) and members[parent].sex is None:
                members[parent] = replace(members[parent], sex=sex)
    return Pedigree(members, "VCF ##PEDIGREE lines" if members else "")


def from_roles(proband: str, roles: dict[str, str], sexes: dict[str, str | None]) -> Pedigree:
    """A pedigree from roles picked in the sample chooser (``sample -> role``)."""
    mother = next((s for s, r in roles.items() if r == "mother"), None)
    father = next((s for s, r in roles.items() if r == "father"), None)
    members = {}
    for sample, role in roles.items():
        if role in ("proband", "sibling"):
            members[sample] = Member(sample, sexes.get(sample), father, mother)
        else:
            sex = sexes.get(sample) or {"mother": "F", "father": "M"}.get(role)
            members[sample] = Member(sample, sex)
    members.setdefault(proband, Member(proband, sexes.get(proband), father, mother))
    return Pedigree(members, "sample chooser")
