"""The package layout holds: outside a core package, code uses only the package's public face."""

from __future__ import annotations

import ast
from pathlib import Path

import pmviewer

PACKAGE_ROOT = Path(pmviewer.__file__).parent
CONCEPTS = ("vcf", "knowledge", "annotation", "genome", "pgx", "review")
# knowledge.build is the builder's own face, used by `pmviewer kb build` only.
FACES = {f"pmviewer.core.{c}" for c in CONCEPTS} | {"pmviewer.core.knowledge.build"}


def _concept_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE_ROOT).parts
    return parts[1] if len(parts) > 2 and parts[0] == "core" and parts[1] in CONCEPTS else None


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def test_private_modules_are_used_only_inside_their_package():
    offences = []
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        own = _concept_of(path)
        for line, module in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if len(parts) < 4 or parts[:2] != ["pmviewer", "core"] or parts[2] not in CONCEPTS:
                continue
            if parts[2] == own or ".".join(parts[:4]) in FACES and len(parts) == 4:
                continue
            offences.append(f"{path.relative_to(PACKAGE_ROOT)}:{line} imports {module}")
    assert offences == []


def test_no_flat_concept_modules_left_in_core():
    flat = [
        p.name
        for p in (PACKAGE_ROOT / "core").glob("*.py")
        if p.stem.split("_")[0] in ("vcf", "review", "pgx", "kb")
    ]
    assert flat == []
