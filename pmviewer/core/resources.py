"""Locations of the files shipped inside the package, read through importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

KNOWLEDGE_FILENAME = "pmviewer-knowledge.sqlite"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource (the package is installed unzipped, so this is a real file)."""
    return Path(str(files("pmviewer").joinpath("resources", *parts)))


def bundled_knowledge_path() -> Path:
    return resource_path("knowledge", KNOWLEDGE_FILENAME)


def demo_vcf_path() -> Path:
    return resource_path("demo", "demo-patient.GRCh38.vcf.gz")


def font_path(name: str) -> Path:
    return resource_path("fonts", name)
