"""The label's dashboard: a FastAPI app behind a login (docs/dashboard.md)."""
