"""Warehouse ETL: the streaming group (see common.warehouse.loaders.streaming)."""

from common.warehouse.etl import main

if __name__ == "__main__":
    raise SystemExit(main(["streaming"]))
