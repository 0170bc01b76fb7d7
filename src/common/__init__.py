"""The BEDROT Data Lake framework: lake root, zones, hashing, logging, discovery, pipeline, CLI."""

__version__ = "0.1.0"
