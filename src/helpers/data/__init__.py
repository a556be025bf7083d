"""Data access: registry, processing steps, processed-table loaders, StatLine client."""
