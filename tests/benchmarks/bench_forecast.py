#!/usr/bin/env python3
"""Benchmark: one sales forecast run and one refresh of its actuals.

    python3 tests/benchmarks/bench_forecast.py [--db crm_bench] [--customers 20000] [--orders 400000]

Bulk-inserts customers and confirmed orders over two years (one product line each, in three
product categories), then at half and at full size times a forecast run of the next three months
and the refresh of the actuals of a run made four months ago (wall time and SQL queries, best of
three): the query count stays the same whatever the number of customers. Everything is rolled back
at the end.
"""

import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args
from dateutil.relativedelta import relativedelta

import odoo
from odoo import fields

REPEATS = 3
HEADER = "customers  orders    rows     run queries  earlier rows  refresh queries"


def insert_order_lines(env, offset):
    """One product line per bench order without lines, its product one of three categories."""
    categories = env["product.category"].create([{"name": f"Bench category {n}"} for n in range(3)])
    products = env["product.product"].create(
        [{"name": f"Bench product {n}", "type": "consu", "categ_id": categ.id} for n, categ in enumerate(categories)]
    )
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty, price_unit, price_subtotal,
                                     margin, customer_lead, company_id, currency_id, state, sequence)
        SELECT so.id, 'Bench line', (%(products)s::int[])[1 + so.id %% 3], 1, so.amount_untaxed,
               so.amount_untaxed, so.margin, 0, so.company_id, so.currency_id, 'sale', 10
        FROM sale_order so
        WHERE so.name LIKE 'BENCH/%%' AND NOT EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = so.id)
        """,
        {"products": products.ids},
    )
    env.cr.execute("ANALYZE sale_order_line")


def timed(env, action):
    env.invalidate_all()
    env.flush_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    action()
    return time.perf_counter() - started, env.cr.sql_log_count - queries_before


def measure(env, company_id):
    today = fields.Date.context_today(env["crm.sales.forecast"])
    Forecast = env["crm.sales.forecast"]
    runs, refreshes = [], []
    for _repeat in range(REPEATS):
        forecast = Forecast.create({"company_id": company_id, "date": today})
        runs.append(timed(env, forecast._run))
        earlier = Forecast.create({"company_id": company_id, "date": today - relativedelta(months=4)})
        earlier._run()
        refreshes.append(timed(env, lambda earlier=earlier: earlier._refresh_actuals(today)))
    run, run_queries = min(runs)
    refresh, refresh_queries = min(refreshes)
    return forecast.line_count, run, run_queries, earlier.line_count, refresh, refresh_queries


def main():
    options = parse_size_args(__doc__, orders=400000)
    registry = open_registry(options.db)
    half_customers, half_orders = options.customers // 2, options.orders // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        print(HEADER)
        for step, offset in ((0, 0), (1, half_customers)):
            insert_customers_and_orders(cr, company_id, half_customers, half_orders, offset=offset)
            insert_order_lines(env, offset)
            rows, run, run_queries, earlier_rows, refresh, refresh_queries = measure(env, company_id)
            print(
                f"{half_customers * (step + 1):>9} {half_orders * (step + 1):>7} {rows:>7} {run:>5.2f} s "
                f"{run_queries:>7} {earlier_rows:>13} {refresh:>6.2f} s {refresh_queries:>7}"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
