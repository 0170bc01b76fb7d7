"""Warehouse ETL: the social group (see common.warehouse.loaders.social)."""

from common.warehouse.etl import main

if __name__ == "__main__":
    raise SystemExit(main(["social"]))
