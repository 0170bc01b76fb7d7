"""Warehouse ETL: the financial group (see common.warehouse.loaders.financial)."""

from common.warehouse.etl import main

if __name__ == "__main__":
    raise SystemExit(main(["financial"]))
