"""The documented readable views: money any SQL tool reads as dollars, with the exact figure.

Money columns hold whole picodollars (`*_picousd`). Each view shows an amount three ways:
`<name>_picousd` (exact, for code), `<name>_usd` (dollars as a number: SUM works in the sqlite3
shell, DB Browser, pandas, Excel or Metabase) and `<name>_exact` (the exact decimal text, 12
decimals). docs/warehouse.md lists their columns and the queries an analyst would type.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from common.warehouse.money_sql import (
    SQLITE,
    readable_sql,
    split_sums_sql,
    split_total_sql,
)


def _readable(picodollars: str, name: str, dialect: str) -> str:
    return readable_sql(picodollars, name, dialect, with_picousd=True)


# The currency of every dollar figure; Meta Ads spend in another one is never added to them.
DOLLAR = "USD"
# Where a readable view finds a row's raw export: by its id in origin_files (migration 13), or,
# in a database that migration has not reached yet, in the row's own origin_file column.
ORIGIN_BY_ID = ("o.path", "LEFT JOIN origin_files o ON o.id = {alias}.origin_file_id")
ORIGIN_ON_ROW = ("{alias}.origin_file", "")


def _origin(alias: str, by_id: bool) -> tuple[str, str]:
    column, join = ORIGIN_BY_ID if by_id else ORIGIN_ON_ROW
    return column.format(alias=alias), join.format(alias=alias)


def royalty_lines_sql(dialect: str, origin_by_id: bool = True) -> str:
    origin, join = _origin("r", origin_by_id)
    return f"""
CREATE VIEW v_royalty_lines AS
SELECT r.id AS id, r.reporting_date AS reporting_date, r.sale_month AS sale_month,
       p.name AS store, a.name AS artist, r.title AS title, t.isrc AS isrc, rel.upc AS upc,
       ter.code AS territory, r.item_type AS item_type, r.quantity AS quantity,
       r.team_percentage AS team_percentage,
       {_readable("r.earnings_picousd", "earnings", dialect)},
       {readable_sql("r.songwriter_royalties_withheld_picousd", "songwriter_royalties_withheld",
                     dialect)},
       {readable_sql("r.recoup_picousd", "recoup", dialect)},
       {origin} AS source_file, r.origin_row AS source_row
FROM royalty_lines r
JOIN platforms p ON p.id = r.platform_id
LEFT JOIN artists a ON a.id = r.artist_id
LEFT JOIN tracks t ON t.id = r.track_id
LEFT JOIN releases rel ON rel.id = r.release_id
LEFT JOIN territories ter ON ter.id = r.territory_id
{join}
"""


def expenses_sql(dialect: str, origin_by_id: bool = True) -> str:
    origin, join = _origin("e", origin_by_id)
    return f"""
CREATE VIEW v_expenses AS
SELECT e.id AS id, e.transaction_date AS transaction_date, e.posted_date AS posted_date,
       e.description AS description, e.category AS category, e.card_last4 AS card,
       e.kind AS kind,
       {_readable("e.debit_picousd", "debit", dialect)},
       {_readable("e.credit_picousd", "credit", dialect)},
       {_readable("e.amount_picousd", "amount", dialect)},
       {origin} AS source_file, e.origin_row AS source_row
FROM expenses e
{join}
"""


def _reporting_month(dialect: str) -> str:
    if dialect == SQLITE:
        return "substr(r.reporting_date, 1, 7)"
    return "to_char(r.reporting_date, 'YYYY-MM')"


def royalty_monthly_sql(dialect: str) -> str:
    """Per reporting month (the cash received) and store: exact totals, never overflowing."""
    month = _reporting_month(dialect)
    grouped = f"""FROM royalty_lines r JOIN platforms p ON p.id = r.platform_id
    GROUP BY {month}, p.name"""
    if dialect != SQLITE:
        return f"""
CREATE VIEW v_royalty_monthly AS
SELECT reporting_month, store, lines, quantity,
       {_readable("earnings_picousd", "earnings", dialect)}
FROM (SELECT {month} AS reporting_month, p.name AS store, COUNT(*) AS lines,
             SUM(r.quantity) AS quantity, SUM(r.earnings_picousd) AS earnings_picousd
    {grouped}) sums
"""
    dollars, micros, picos = split_sums_sql("r.earnings_picousd")
    real, exact = split_total_sql("d", "m", "q")
    return f"""
CREATE VIEW v_royalty_monthly AS
SELECT reporting_month, store, lines, quantity, {real} AS earnings_usd,
       {exact} AS earnings_exact
FROM (SELECT {month} AS reporting_month, p.name AS store, COUNT(*) AS lines,
             SUM(r.quantity) AS quantity, {dollars} AS d, {micros} AS m, {picos} AS q
    {grouped}) sums
"""


def ad_spend_sql(dialect: str) -> str:
    """Meta Ads spend that may be added up: each day at the coarsest level Meta reported it at,
    then each range (ad_performance_period) none of whose days has a daily row and that no
    other such range of its campaign overlapping it beats by being narrower (on equal length:
    starting earlier), at its coarsest level. No day is in two rows, so SUM(spend_usd) counts
    each day once. metaads.spans applies the same rule to the curated campaign summary. Only
    spend in dollars (or of an unknown currency, as the API gives without account_currency)
    is here: every dollar figure reads this view, and no currency is converted."""
    return f"""
CREATE VIEW v_ad_spend AS
SELECT s.campaign_id AS campaign_id, c.name AS campaign, s.span_start AS span_start,
       s.span_end AS span_end, s.days AS days, s.span_kind AS span_kind,
       s.level_rank AS level_rank, s.adset_external_id AS adset_external_id,
       s.ad_external_id AS ad_external_id,
       {_readable("s.spend_picousd", "spend", dialect)},
       s.currency AS currency, s.link_clicks AS link_clicks, s.source_file_id AS source_file_id
FROM (
SELECT d.campaign_id AS campaign_id, d.performance_date AS span_start,
       d.performance_date AS span_end, 1 AS days, 'day' AS span_kind, d.level_rank AS level_rank,
       d.adset_external_id AS adset_external_id, d.ad_external_id AS ad_external_id,
       d.spend_picousd AS spend_picousd, NULLIF(d.currency, '') AS currency,
       d.link_clicks AS link_clicks, d.source_file_id AS source_file_id
FROM ad_performance_daily d
WHERE d.level_rank = (
    SELECT MIN(f.level_rank) FROM ad_performance_daily f
    WHERE f.campaign_id = d.campaign_id AND f.performance_date = d.performance_date)
UNION ALL
SELECT p.campaign_id, p.period_start, p.period_end, p.days, 'range', p.level_rank,
       p.adset_external_id, p.ad_external_id, p.spend_picousd, p.currency, p.link_clicks,
       p.source_file_id
FROM ad_performance_period p
WHERE p.level_rank = (
    SELECT MIN(f.level_rank) FROM ad_performance_period f
    WHERE f.campaign_id = p.campaign_id AND f.period_start = p.period_start
      AND f.period_end = p.period_end)
  AND NOT EXISTS (
    SELECT 1 FROM ad_performance_daily d
    WHERE d.campaign_id = p.campaign_id
      AND d.performance_date BETWEEN p.period_start AND p.period_end)
  AND NOT EXISTS (
    SELECT 1 FROM ad_performance_period q
    WHERE q.campaign_id = p.campaign_id
      AND q.period_start <= p.period_end AND p.period_start <= q.period_end
      AND (q.days < p.days OR (q.days = p.days AND q.period_start < p.period_start))
      AND NOT EXISTS (
        SELECT 1 FROM ad_performance_daily e
        WHERE e.campaign_id = q.campaign_id
          AND e.performance_date BETWEEN q.period_start AND q.period_end))
) s
JOIN campaigns c ON c.id = s.campaign_id
WHERE s.currency IS NULL OR UPPER(s.currency) = '{DOLLAR}'
"""


def replace_view(connection: Connection, name: str, create_sql: str) -> None:
    """Drop then create: the same on SQLite and PostgreSQL, so running it twice is harmless."""
    connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
    connection.execute(text(create_sql))


def create_ad_spend_view(connection: Connection) -> None:
    replace_view(connection, "v_ad_spend", ad_spend_sql(connection.dialect.name))


def create_readable_views(connection: Connection) -> None:
    """v_royalty_lines, v_expenses, v_royalty_monthly and v_ad_spend for this database."""
    dialect = connection.dialect.name
    by_id = "origin_file_id" in {
        c["name"] for c in inspect(connection).get_columns("royalty_lines")
    }
    replace_view(connection, "v_royalty_lines", royalty_lines_sql(dialect, by_id))
    replace_view(connection, "v_expenses", expenses_sql(dialect, by_id))
    replace_view(connection, "v_royalty_monthly", royalty_monthly_sql(dialect))
    create_ad_spend_view(connection)
