"""Warehouse ETL: master data, then financial, streaming and social data, in one run."""

from common.warehouse.etl import ALL_GROUPS, main

if __name__ == "__main__":
    raise SystemExit(main(ALL_GROUPS))
