"""Report model, PDF rendering and tabular exports. Never imports Qt."""
