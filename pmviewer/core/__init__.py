"""Pure-Python core: VCF reading, knowledge, annotation, pharmacogenomics, review store.

Nothing in this package imports Qt (checked by an import-linter contract).
"""
