"""The dashboard's figures: one module per page family, plain functions over a read-only
warehouse connection (and the lake) that return JSON-able dicts (see `figures.PageData`)."""
