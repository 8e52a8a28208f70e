"""Outside pharmacogenomic calls: a dedicated test's diplotypes read from PharmCAT's TSV.

The file is PharmCAT's outside-call format: one gene per line, tab-separated ``gene``,
``diplotype`` (or a single allele, e.g. MT-RNR1 ``1555A>G``), optional ``phenotype``, optional
``activity score``; lines starting with ``#`` are comments. A first line naming the columns
(``gene``, ``diplotype``...) is accepted as a header.

Every line is checked before anything is used; all problems are reported at once, each with
its line number (:class:`OutsideCallError`):

* the gene must have CPIC tables in the knowledge file, and appear once;
* each allele must be a bundled name for the gene: a CPIC allele definition, an allele of the
  CPIC function table, or of the diplotype table (CYP2D6 copy-number names such as ``*1x2``
  are in that table). HLA alleles, for which CPIC bundles no allele list, are checked for HLA
  nomenclature (``*57:01``) only, and the call says so;
* a given phenotype must be one CPIC uses for the gene, an activity score must be a number.

Phenotype and activity score are derived from the CPIC diplotype table when not given; a
given one that contradicts the diplotype is kept (the outside laboratory's result, as PharmCAT
uses it) and the contradiction is stated in the call. HLA carriage becomes one lookup key per
allele CPIC asks about (``*57:01 positive``, ``*58:01 negative`` ...).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pmviewer.core.errors import InputFileError
from pmviewer.core.pgx.caller import PgxResult, attach_recommendations
from pmviewer.core.pgx.phenotype import allele_functions, lookup_diplotype

MAX_PROBLEMS_SHOWN = 12
_HLA = re.compile(r"^\*\d{2,3}(:\d{2,3}){1,3}[A-Z]?$")
_HLA_KEY = re.compile(r"^(\*\d{2,3}:\d{2,3}) (positive|negative)$")
_MT = re.compile(r"^(m\.)?(\d+)([ACGT]+)>([ACGT]+|del)$", re.IGNORECASE)
_HEADER_WORDS = {"gene", "genes", "gene symbol"}


class OutsideCallError(InputFileError):
    """The outside-call file cannot be used; the message lists each problem with its line."""


@dataclass(frozen=True)
class OutsideCall:
    """One line of the outside-call file, as written (alleles normalised)."""

    line: int
    gene: str
    alleles: tuple[str, ...]  # 0 (phenotype only), 1 (haploid / single allele) or 2
    phenotype: str | None
    activity_score: str | None

    @property
    def diplotype(self) -> str | None:
        """The diplotype as printed (``*1/*3``), or the single allele."""
        return "/".join(self.alleles) if self.alleles else None


@dataclass
class OutsideCallFile:
    """A checked outside-call file: its name, SHA-256 and calls (one per gene)."""

    name: str
    sha256: str
    calls: list[OutsideCall] = field(default_factory=list)


def read_outside_calls(path: str | Path, conn: sqlite3.Connection) -> OutsideCallFile:
    """Read and check an outside-call TSV against the knowledge file's CPIC tables.

    Raises
    ------
    OutsideCallError
        When the file cannot be read or any line is wrong (all problems, with line numbers).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OutsideCallError(
            f"The pharmacogenomic calls file {path.name} cannot be read ({error.strerror or error}). "
            "Check that it exists and that you may read it."
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OutsideCallError(
            f"The pharmacogenomic calls file {path.name} is not a text file (UTF-8). Save it "
            "as tab-separated text (gene, diplotype, phenotype, activity score) and try again."
        ) from None
    vocab = _Vocabulary(conn)
    calls: list[OutsideCall] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    # plain tab splitting, not csv: quotes have no meaning in the format, and a stray carriage
    # return must not stop the reader
    for number, raw in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in raw.split("\t")]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not calls and not problems and cells[0].lower() in _HEADER_WORDS:
            continue
        call, problem = _parse_line(number, cells, vocab)
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        assert call is not None
        if call.gene in seen:
            problems.append(
                f"line {number}: {call.gene} is already given on line {seen[call.gene]}; "
                "give one call per gene."
            )
            continue
        seen[call.gene] = number
        calls.append(call)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        raise OutsideCallError(
            f"The pharmacogenomic calls file {path.name} was not used: "
            + "; ".join(shown)
            + (f"; and {more} more problem(s)" if more else "")
            + ". Correct the file and import it again; no call from it was applied."
        )
    if not calls:
        raise OutsideCallError(
            f"The pharmacogenomic calls file {path.name} has no calls. Each line needs a gene "
            "and a diplotype separated by a tab, e.g. 'CYP2D6<tab>*1/*4'."
        )
    return OutsideCallFile(path.name, hashlib.sha256(data).hexdigest(), calls)


# ------------------------------------------------------------------------------ checking
class _Vocabulary:
    """The names the knowledge file knows for each gene (alleles, phenotypes, lookup keys)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.genes = {g for (g,) in conn.execute("SELECT gene FROM pgx_gene")}
        self._alleles: dict[str, set[str]] = {}
        self._phenotypes: dict[str, dict[str, str]] = {}
        self._keys: dict[str, set[str]] = {}

    def canonical_gene(self, name: str) -> str | None:
        by_upper = {g.upper(): g for g in self.genes}
        return by_upper.get(name.upper().replace("_", "-"))

    def alleles(self, gene: str) -> set[str]:
        if gene not in self._alleles:
            names: set[str] = set()
            for sql in (
                "SELECT name FROM pgx_named_allele WHERE gene = ?",
                "SELECT display_name FROM pgx_named_allele WHERE gene = ?",
                "SELECT allele FROM pgx_allele_function WHERE gene = ?",
                "SELECT allele1 FROM pgx_diplotype WHERE gene = ?",
                "SELECT allele2 FROM pgx_diplotype WHERE gene = ? AND allele2 IS NOT NULL",
            ):
                names.update(n for (n,) in self.conn.execute(sql, (gene,)))
            self._alleles[gene] = names
        return self._alleles[gene]

    def phenotypes(self, gene: str) -> dict[str, str]:
        """CPIC phenotype names of the gene, keyed by their lower-case spelling."""
        if gene not in self._phenotypes:
            names = {
                p
                for (p,) in self.conn.execute(
                    "SELECT DISTINCT phenotype FROM pgx_diplotype WHERE gene = ? "
                    "AND phenotype IS NOT NULL",
                    (gene,),
                )
            }
            names |= {k for k in self.lookup_keys(gene) if not _is_number(k)}
            self._phenotypes[gene] = {n.lower(): n for n in names}
        return self._phenotypes[gene]

    def lookup_keys(self, gene: str) -> set[str]:
        """Every value CPIC's recommendation keys use for the gene."""
        if gene not in self._keys:
            import json

            keys: set[str] = set()
            for (key_json,) in self.conn.execute(
                "SELECT DISTINCT lookup_key FROM pgx_recommendation WHERE genes LIKE ?",
                (f"%{gene}%",),
            ):
                value = json.loads(key_json).get(gene)
                if value is not None:
                    keys.add(value)
            self._keys[gene] = keys
        return self._keys[gene]

    def hla_alleles_of_interest(self, gene: str) -> list[str]:
        """Alleles CPIC recommendations ask about for an HLA gene (``*57:01`` ...)."""
        found = {m.group(1) for k in self.lookup_keys(gene) if (m := _HLA_KEY.match(k))}
        return sorted(found)


def is_hla(gene: str) -> bool:
    """Whether the gene is an HLA gene (typed, carriage-based CPIC keys)."""
    return gene.upper().startswith("HLA-")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse_line(
    number: int, cells: list[str], vocab: _Vocabulary
) -> tuple[OutsideCall | None, str | None]:
    cells = cells + [""] * (4 - len(cells))
    if any(cells[4:]):
        return None, (
            f"{len(cells)} columns; the format has four (gene, diplotype, phenotype, "
            "activity score) separated by tabs"
        )
    raw_gene, raw_diplotype, raw_phenotype, raw_score = cells[:4]
    gene = vocab.canonical_gene(raw_gene)
    if gene is None:
        return None, (
            f"gene '{raw_gene}' has no CPIC tables in the knowledge file (genes: "
            + ", ".join(sorted(vocab.genes))
            + ")"
        )
    if not raw_diplotype and not raw_phenotype and not raw_score:
        return None, f"{gene} has no diplotype, phenotype or activity score"
    alleles: tuple[str, ...] = ()
    if raw_diplotype:
        parts = [p.strip() for p in raw_diplotype.split("/")]
        if len(parts) > 2 or not all(parts):
            return None, (
                f"'{raw_diplotype}' is not a diplotype; write two alleles separated by '/' "
                "(e.g. *1/*4) or a single allele"
            )
        normalised = []
        for part in parts:
            name, problem = _check_allele(gene, part, vocab)
            if problem:
                return None, problem
            normalised.append(name)
        alleles = tuple(normalised)
    phenotype = None
    if raw_phenotype:
        phenotype = vocab.phenotypes(gene).get(raw_phenotype.lower())
        if phenotype is None and not (
            is_hla(gene) and _hla_phenotype_ok(gene, raw_phenotype, vocab)
        ):
            known = sorted(vocab.phenotypes(gene).values())
            return None, (
                f"'{raw_phenotype}' is not a CPIC phenotype for {gene}"
                + (
                    f" (CPIC uses: {', '.join(known[:8])}{' ...' if len(known) > 8 else ''})"
                    if known
                    else ""
                )
            )
        phenotype = phenotype or raw_phenotype
    score = None
    if raw_score:
        clean = raw_score.replace("≥", "")
        if not _is_number(clean):
            return None, f"activity score '{raw_score}' is not a number (e.g. 1.5)"
        score = raw_score
    return OutsideCall(number, gene, alleles, phenotype, score), None


def _hla_phenotype_ok(gene: str, text: str, vocab: _Vocabulary) -> bool:
    parts = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
    keys = vocab.lookup_keys(gene)
    return bool(parts) and all(p in keys for p in parts)


def _check_allele(gene: str, name: str, vocab: _Vocabulary) -> tuple[str, str | None]:
    if is_hla(gene):
        if _HLA.match(name):
            return name, None
        return name, (
            f"'{name}' is not an HLA allele name; write it as in HLA nomenclature with at "
            "least two fields, e.g. *57:01"
        )
    known = vocab.alleles(gene)
    if name in known:
        return name, None
    if gene == "MT-RNR1":
        match = _MT.match(name)
        if match:
            spelled = f"m.{match.group(2)}{match.group(3).upper()}>{match.group(4)}"
            if spelled in known:
                return spelled, None
    return name, (
        f"'{name}' is not a {gene} allele in the bundled CPIC allele definitions"
        + (" (alleles: " + ", ".join(_sample_names(known)) + ")" if known else "")
    )


def _sample_names(names: set[str]) -> list[str]:
    from pmviewer.core.pgx.match import natural_key

    ordered = sorted(names, key=natural_key)
    return ordered[:6] + (["..."] if len(ordered) > 6 else [])


# ------------------------------------------------------------------------------ results
def outside_result(
    conn: sqlite3.Connection, call: OutsideCall, source: OutsideCallFile
) -> PgxResult:
    """The :class:`PgxResult` of one outside call: phenotype and lookup key(s) derived or checked."""
    vocab = _Vocabulary(conn)
    result = PgxResult(
        gene=call.gene,
        diplotype=call.diplotype,
        phenotype=None,
        activity_score=None,
        callable=True,
        missing_positions=[],
        call_status="outside",
        candidates=[call.diplotype] if call.diplotype else [],
        source="outside",
        source_file=source.name,
        source_sha256=source.sha256,
        source_line=call.line,
    )
    notes = [f"Outside call from {source.name}, line {call.line}."]
    if is_hla(call.gene):
        _hla_result(call, vocab, result, notes)
    else:
        _star_result(conn, call, vocab, result, notes)
    result.note = " ".join(notes)
    return result


def _hla_result(call: OutsideCall, vocab: _Vocabulary, result: PgxResult, notes: list[str]) -> None:
    interest = vocab.hla_alleles_of_interest(call.gene)
    if call.alleles:
        two_field = {
            ":".join(a.split(":")[:2]).rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for a in call.alleles
        }
        keys = [f"{a} {'positive' if a in two_field else 'negative'}" for a in interest]
        notes.append(
            f"HLA alleles are checked for nomenclature only (CPIC bundles no {call.gene} allele "
            "list); carriage is read for " + ", ".join(interest) + "."
        )
        if call.phenotype:
            given = {p.strip() for p in re.split(r"[;,]", call.phenotype) if p.strip()}
            contra = sorted(given - set(keys))
            if contra:
                text = (
                    f"The phenotype given ({call.phenotype}) contradicts the diplotype "
                    f"{call.diplotype} ({'; '.join(keys)})."
                )
                # as for other genes, the values the outside laboratory reported are used
                stated = {k.rsplit(" ", 1)[0]: k for k in given}
                keys = [stated.get(k.rsplit(" ", 1)[0], k) for k in keys]
                notes.append(
                    text + " The carriage given was used, as the outside laboratory reported "
                    "it; check that report."
                )
                result.conflict = text
    else:
        keys = [p.strip() for p in re.split(r"[;,]", call.phenotype or "") if p.strip()]
        notes.append("Carriage as given; alleles not named are not assessed.")
    result.lookup_keys = keys
    result.phenotype = "; ".join(keys) or None


def _score_key(score: str | float | None, keys: set[str]) -> str | None:
    """The CPIC lookup key spelling of an activity score (``1`` -> ``1.0``), if CPIC has it."""
    if score is None:
        return None
    text = str(score).strip()
    if text in keys:
        return text
    prefix = "≥" if text.startswith("≥") else ""
    try:
        value = float(text.removeprefix("≥"))
    except ValueError:
        return None
    for spelled in (f"{value:.1f}", f"{value:.2f}", f"{value:g}"):
        if prefix + spelled in keys:
            return prefix + spelled
    return None


def _star_result(
    conn: sqlite3.Connection,
    call: OutsideCall,
    vocab: _Vocabulary,
    result: PgxResult,
    notes: list[str],
) -> None:
    derived = None
    if call.alleles:
        a = call.alleles[0]
        b = call.alleles[1] if len(call.alleles) > 1 else None
        result.allele_functions = allele_functions(conn, call.gene, list(call.alleles))
        derived = lookup_diplotype(conn, call.gene, a, b)
        if not derived.diplotype_in_table:
            derived = None
            notes.append(
                f"{call.diplotype} is not in the bundled CPIC {call.gene} diplotype table."
            )
    phenotype = derived.phenotype if derived else None
    score = derived.activity_score if derived else None
    key = derived.lookup_key if derived else None
    contradictions = []
    if call.phenotype:
        if phenotype and phenotype.lower() != call.phenotype.lower():
            contradictions.append(f"phenotype {call.phenotype} (CPIC: {phenotype})")
        phenotype = call.phenotype
        if key is None or contradictions:
            key = vocab.phenotypes(call.gene).get(call.phenotype.lower())
            key = key if key in vocab.lookup_keys(call.gene) else None
    keys = vocab.lookup_keys(call.gene)
    if call.activity_score:
        given = _to_float(call.activity_score)
        if score is not None and given is not None and abs(given - score) > 1e-9:
            contradictions.append(f"activity score {call.activity_score} (CPIC: {score:g})")
        score = given if given is not None else score
        score_key = _score_key(call.activity_score, keys)
        if score_key is not None and (key is None or _is_number(key) or key.startswith("≥")):
            key = score_key
    if contradictions:
        text = (
            f"The outside call's {' and '.join(contradictions)} contradicts its diplotype "
            f"{call.diplotype}."
        )
        notes.append(
            text
            + " The values given were used, as the outside laboratory reported them; check that report."
        )
        result.conflict = text
    if key is None and (phenotype or score is not None):
        key = _score_key(score, keys) if score is not None else None
    result.phenotype = phenotype
    result.activity_score = score
    result.lookup_key = key
    if key is None:
        notes.append("No CPIC recommendation key could be derived from this call.")
    result.phenotype_source = "outside" if call.phenotype or call.activity_score else "current"


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace("≥", ""))
    except ValueError:
        return None


def _same_call(vcf: dict, outside: PgxResult) -> bool:
    if not vcf.get("diplotype") or not outside.diplotype:
        return False

    def pair(text: str) -> tuple[str, ...]:
        return tuple(sorted(p.strip() for p in text.split("/")))

    candidates = vcf.get("candidates") or [vcf["diplotype"]]
    return any(pair(str(c)) == pair(outside.diplotype) for c in candidates)


def _vcf_call_of(old: PgxResult | None) -> dict | None:
    """The VCF's own call of a gene (also through an earlier outside call that replaced it)."""
    if old is None:
        return None
    if old.source == "outside":
        return old.vcf_call
    if old.callable and old.diplotype:
        return {
            "diplotype": old.diplotype,
            "phenotype": old.phenotype,
            "activity_score": old.activity_score,
            "call_status": old.call_status,
            "candidates": list(old.candidates),
        }
    return None


def apply_outside_calls(
    conn_or_knowledge: object, results: list[PgxResult], source: OutsideCallFile
) -> list[PgxResult]:
    """The VCF results with each outside call replacing (or supplementing) its gene.

    A gene the VCF could not call is supplemented by the outside call. A gene the VCF called
    is replaced by it; the VCF call is kept in ``vcf_call`` and, when the two disagree,
    ``conflict`` says so (shown in the window and the report, never resolved silently).
    Importing again replaces the earlier outside call of the gene. Recommendations are
    attached again from all genes.
    """
    from pmviewer.core.pgx.caller import connection_of

    conn = connection_of(conn_or_knowledge)
    by_gene = {r.gene: i for i, r in enumerate(results)}
    out = list(results)
    for call in source.calls:
        new = outside_result(conn, call, source)
        index = by_gene.get(call.gene)
        vcf = _vcf_call_of(out[index] if index is not None else None)
        if vcf is not None:
            new.vcf_call = vcf
            if _same_call(vcf, new):
                new.note = f"{new.note} Agrees with the call from the VCF ({vcf['diplotype']})."
            else:
                text = (
                    f"The VCF gives {vcf['diplotype']}"
                    + (f" ({vcf['phenotype']})" if vcf.get("phenotype") else "")
                    + f"; the outside call gives {new.diplotype or new.phenotype}. The outside "
                    "call is used; review both before signing."
                )
                new.conflict = f"{new.conflict} {text}" if new.conflict else text
                new.note = f"{new.note} {text}"
        elif index is not None:
            new.note = f"{new.note} The VCF gave no call for this gene."
        if index is None:
            by_gene[call.gene] = len(out)
            out.append(new)
        else:
            out[index] = new
    out.sort(key=lambda r: r.gene)
    attach_recommendations(conn, out)
    return out


def with_outside_calls(
    conn_or_knowledge: object, entries: list[dict], path: str | Path
) -> list[dict]:
    """``pgx`` entries (annotate JSON shape) with the calls of the file at ``path`` applied.

    The window's File > Import pharmacogenomic calls: the file is checked first and nothing
    changes when it is refused (:class:`OutsideCallError`).
    """
    from pmviewer.core.pgx.caller import connection_of, result_from_json

    conn = connection_of(conn_or_knowledge)
    source = read_outside_calls(path, conn)
    results = [result_from_json(e) for e in entries]
    return [r.to_json() for r in apply_outside_calls(conn, results, source)]
