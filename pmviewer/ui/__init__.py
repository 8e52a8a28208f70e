"""Desktop viewer: the only package that imports Qt."""
