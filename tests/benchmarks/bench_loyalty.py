#!/usr/bin/env python3
"""Benchmark: the nightly loyalty package job over 10,000 and 20,000 customers.

    python3 tests/benchmarks/bench_loyalty.py [--db crm_bench] [--customers 20000] [--orders 200000]

Bulk-inserts half the customers with their confirmed orders, and a done portfolio run putting
them in twelve segments (a third of them class A); two packages ("Key client": class A; "Regular
customer": 3,000 of revenue in the last twelve months). Then times ``crm.loyalty.membership._refresh``:
the first run that grants, a second run that changes nothing, and a run after the rules were
tightened (key clients need 5,000 and regular customers 6,000 of revenue: the members who no
longer qualify go into their grace period); then the other half of the customers is added and
the same three runs are timed again. Wall time and SQL queries of each;
the query counts stay the same when the customers double. Everything is rolled back at the end.
"""

import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args
from bench_programme import segmented_run

import odoo
from odoo import fields


def timed(env, label, customers):
    env.flush_all()
    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    env["crm.loyalty.membership"]._refresh(companies=env.company)
    env.flush_all()
    seconds = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries_before
    members = env["crm.loyalty.membership"].search_count([("state", "=", "granted")])
    in_grace = env["crm.loyalty.membership"].search_count([("state", "=", "grace")])
    print(f"{customers:>9} {label:<26} {seconds:>7.2f} s {queries:>7} {members:>8} {in_grace:>8}")


def main():
    options = parse_size_args(__doc__, orders=200000)
    registry = open_registry(options.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company_id = env.company.id
        env["crm.loyalty.package"].search([]).action_archive()
        key, regular = env["crm.loyalty.package"].create(
            [
                {"name": "Bench key client", "sequence": 1, "eligible_abc_class": "A", "grace_days": 30},
                {"name": "Bench regular customer", "sequence": 2, "min_revenue": 3000.0, "grace_days": 30},
            ]
        )
        print(f"{'customers':>9} {'run':<26} {'time':>9} {'queries':>7} {'granted':>8} {'in grace':>8}")
        half = options.customers // 2
        for step, offset in enumerate((0, half)):
            insert_customers_and_orders(cr, company_id, half, options.orders // 2, offset=offset)
            env.cr.execute("UPDATE crm_portfolio_analysis SET state = 'draft' WHERE company_id = %s", [company_id])
            segmented_run(env, company_id, fields.Date.today())
            key.min_revenue, regular.min_revenue = 0.0, 3000.0
            customers = half * (step + 1)
            timed(env, "first run (grants)", customers)
            timed(env, "second run (no change)", customers)
            key.min_revenue, regular.min_revenue = 5000.0, 6000.0
            timed(env, "rules tightened (grace)", customers)
        cr.rollback()


if __name__ == "__main__":
    main()
