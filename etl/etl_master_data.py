"""Warehouse ETL: the master group (see common.warehouse.loaders.master)."""

from common.warehouse.etl import main

if __name__ == "__main__":
    raise SystemExit(main(["master"]))
