"""One module per ETL script: how each curated dataset becomes warehouse rows."""
