"""Chapter logic: one module per chapter notebook (same name); tables, never drawings."""
