"""Recognise a tumour (somatic) VCF from its header, and name its tumour and normal samples.

Each caller leaves its own marks (see ``testdata/vcf/SOURCES-somatic.md``): GATK Mutect2
``##GATKCommandLine=<ID=Mutect2`` / ``##source=Mutect2`` with ``##tumor_sample`` and
``##normal_sample``; Strelka ``##content=strelka somatic`` and INFO SOMATIC; VarScan2 INFO SS
"Somatic status"; VarDict INFO STATUS with INFO SAMPLE; MuSE ``##MuSE_version`` and
``##TUMOR``/``##NORMAL``; Hartwig SAGE/PURPLE ``##sageVersion``/``##purpleVersion``; ClairS
``##clairs_version`` and the normal's NAF/NDP/NAD inside the tumour column; PCGR-style
FORMAT DPT/DPC/ADT and INFO TVAF; RADIA ``##SAMPLE`` descriptions. Sample roles come from the
caller's own statement first, then from names (TUMOR/NORMAL, TCGA barcodes, SAGE's T/R).

Only the header is read, so this is cheap enough to run on every file opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pmviewer.core.vcf import HeaderText

# layouts
TUMOUR_NORMAL = "tumour_normal"  # separate tumour and normal columns
TUMOUR_ONLY = "tumour_only"  # one tumour column, no normal data
MERGED_COLUMN = "merged_column"  # one column holding tumour and normal data (PCGR, ClairS)

_TCGA = re.compile(r"TCGA-\w\w-\w{4}-(\d\d)[A-Z]?", re.I)


@dataclass
class TumourFile:
    """What the header says about a tumour file; ``is_tumour`` False for a germline file."""

    is_tumour: bool
    caller: str | None = None
    layout: str | None = None
    tumour_sample: str | None = None
    normal_sample: str | None = None
    other_samples: list[str] = field(default_factory=list)  # e.g. RADIA's RNA tumour column
    evidence: list[str] = field(default_factory=list)  # plain-language reasons

    def to_json(self) -> dict[str, object]:
        return {
            "is_tumour": self.is_tumour, "caller": self.caller, "layout": self.layout,
            "tumour_sample": self.tumour_sample, "normal_sample": self.normal_sample,
            "other_samples": list(self.other_samples), "evidence": list(self.evidence),
        }  # fmt: skip


def _meta(ht: HeaderText) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in ht.other_meta:
        out.setdefault(key, []).append(value.strip().strip('"'))
    return out


def _sample_attr(value: str, attr: str) -> str | None:
    m = re.search(rf"(?:^|[<,]){attr}=\"?([^,>\"]+)", value)
    return m.group(1) if m else None


def _caller(ht: HeaderText, meta: dict[str, list[str]]) -> tuple[str | None, list[str]]:
    """The somatic caller and the header lines that show it (strong evidence only)."""
    sources = " ".join(meta.get("source", [])).lower()
    commands = " ".join(meta.get("GATKCommandLine", []))
    found: list[tuple[str, str]] = []
    if "ID=Mutect2" in commands or "mutect2" in sources:
        found.append(("GATK Mutect2", "the header names GATK Mutect2 as the caller"))
    if any("strelka somatic" in c.lower() for c in meta.get("content", [])):
        found.append(("Strelka", "the header says 'strelka somatic' calls"))
    elif (
        "strelka" in sources
        and "SOMATIC" in ht.info
        and ("TIR" in ht.formats or "TU" in ht.formats)
    ):
        found.append(("Strelka", "Strelka somatic fields (INFO SOMATIC, tumour base counts)"))
    if "MuSE_version" in meta:
        found.append(("MuSE", "the header names MuSE, a somatic caller"))
    if "clairs_version" in meta or "clairs" in sources:
        found.append(("ClairS", "the header names ClairS, a somatic caller"))
    if "sageVersion" in meta or "purpleVersion" in meta:
        found.append(
            ("Hartwig SAGE/PURPLE", "the header names Hartwig SAGE/PURPLE (tumour pipeline)")
        )
    if "SS" in ht.info and "somatic" in ht.info["SS"].lower():
        found.append(("VarScan2" if "varscan" in sources else "somatic caller",
                      "INFO SS gives a somatic status per record"))  # fmt: skip
    if "STATUS" in ht.info and "somatic" in ht.info["STATUS"].lower():
        found.append(("VarDict", "INFO STATUS gives a somatic or germline status per record"))
    if {"DPT", "ADT"} & set(ht.formats) or "TVAF" in ht.info:
        found.append(
            ("PCGR-style tumour calls", "tumour depth and allele fraction fields (DPT/ADT/TVAF)")
        )
    if "radia" in sources:
        found.append(("RADIA", "the header names RADIA, a somatic caller"))
    if "tumor_sample" in meta:
        found.append(
            ("GATK Mutect2", f"the header names the tumour sample ({meta['tumor_sample'][0]})")
        )
    if "varscansomatic" in sources or "sniper" in sources:
        found.append(("TCGA merged somatic calls", "the header names somatic callers "
                      f"({' '.join(meta.get('source', []))})"))  # fmt: skip
    if not found:
        return None, []
    caller = next((c for c, _ in found if c != "somatic caller"), found[0][0])
    reasons = list(dict.fromkeys(r for _, r in found))
    return caller, reasons


def _role_from_name(name: str) -> str | None:
    upper = name.upper()
    m = _TCGA.search(name)
    if m:
        code = int(m.group(1))
        return "tumour" if code < 10 else "normal" if code < 20 else None
    if re.search(r"(^|[^A-Z])(TUMOU?R|TUM)([^A-Z]|$)|TUMOU?R", upper):
        return "tumour"
    if re.search(r"NORMAL|GERMLINE|BLOOD|[-_]MATCH$|[-_]N$", upper):
        return "normal"
    if re.search(r"\dT$", upper) or upper.endswith("_T") or upper.endswith("-T"):
        return "tumour"
    if re.search(r"\dR$", upper):  # Hartwig: <sample>R reference (normal), <sample>T tumour
        return "normal"
    return None


def recognise(ht: HeaderText) -> TumourFile:
    """Whether ``ht`` is a tumour file, and which columns hold the tumour and the normal."""
    meta = _meta(ht)
    samples = list(ht.samples)
    caller, evidence = _caller(ht, meta)
    roles: dict[str, str] = {}
    stated_tumour = meta.get("tumor_sample", [None])[0]
    stated_normal = meta.get("normal_sample", [None])[0]
    if stated_tumour in samples:
        roles[stated_tumour] = "tumour"
    if stated_normal in samples:
        roles[stated_normal] = "normal"
    for key, role in (("TUMOR", "tumour"), ("NORMAL", "normal")):  # MuSE: ##TUMOR="Sample=…"
        for value in meta.get(key, []):
            named = _sample_attr(value, "Sample")
            if named in samples:
                roles[named] = role
            elif key in samples:
                roles[key] = role
    for key, value in ht.other_meta:
        if key == "SAMPLE":
            ident = _sample_attr(value, "ID")
            description = (_sample_attr(value, "Description") or "") + " " + (ident or "")
            found = _role_from_name(description)
            if ident in samples and found and ident not in roles:
                roles[ident] = found
    for s in samples:
        if s not in roles:
            named = _role_from_name(s)
            if named:
                roles[s] = named
    named_by_role = [s for s in samples if s in roles]
    if len(samples) == 1 and ("DPC" in ht.formats or "NAF" in ht.formats):
        layout = MERGED_COLUMN
    elif len(samples) == 1:
        layout = TUMOUR_ONLY
    else:
        layout = TUMOUR_NORMAL
    tumours = [s for s in samples if roles.get(s) == "tumour"]
    normals = [s for s in samples if roles.get(s) == "normal"]
    if caller is None:
        # no caller named: sample names alone are evidence when they name both roles
        if tumours and normals and len(samples) >= 2:
            evidence.append(f"the sample names say tumour ({tumours[0]}) and normal ({normals[0]})")
            caller = "unnamed somatic caller"
        elif len(samples) == 1 and tumours:
            evidence.append(f"the only sample is named as a tumour ({tumours[0]})")
            caller = "unnamed tumour-only caller"
        elif "SOMATIC" in ht.info and len(samples) >= 2 and tumours:
            evidence.append("INFO SOMATIC marks somatic calls and a sample is named as tumour")
            caller = "unnamed somatic caller"
        else:
            return TumourFile(is_tumour=False)
    elif named_by_role:
        evidence.append("sample roles: " + ", ".join(f"{s} = {roles[s]}" for s in named_by_role))
    if layout == MERGED_COLUMN:
        column = samples[0]
        evidence.append(
            f"the single column {column} holds both tumour and normal data "
            f"({'NAF/NDP/NAD' if 'NAF' in ht.formats else 'DPT/DPC'})"
        )
        return TumourFile(True, caller, layout, column, None, [], evidence)
    if layout == TUMOUR_ONLY:
        return TumourFile(True, caller, layout, samples[0] if samples else None, None, [], evidence)
    tumour = tumours[0] if tumours else None
    normal = normals[0] if normals else None
    if caller == "VarDict" and tumour is None:
        tumour = samples[0]  # var2vcf_paired writes the tumour first (INFO SAMPLE names it)
        normal = normal or next((s for s in samples if s != tumour), None)
    if tumour is None and normal is not None:
        rest = [s for s in samples if s != normal]
        tumour = rest[0] if len(rest) == 1 else None
    if normal is None and tumour is not None:
        rest = [s for s in samples if s != tumour]
        normal = rest[0] if len(rest) == 1 else None
    if tumour is None:
        evidence.append("the tumour column could not be told apart from the normal")
    others = [s for s in samples if s not in (tumour, normal)]
    return TumourFile(True, caller, layout, tumour, normal, others, evidence)
