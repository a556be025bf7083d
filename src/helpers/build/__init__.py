"""Build: the runner, the provenance page and the Sphinx extension (knows no chapter)."""
