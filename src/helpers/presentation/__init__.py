"""Presentation: formatting, style, figures and tables, charts, maps, narrative glue."""
