"""The warehouse: a normalized schema (SQLAlchemy 2.0), exact money, idempotent loads per file."""
