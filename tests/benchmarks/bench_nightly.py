#!/usr/bin/env python3
"""Benchmark: the nightly jobs, at a size and at ten times that size.

    python3 tests/benchmarks/bench_nightly.py [--db crm_bench] [--customers 20000] [--orders 200000] [--scale 10]

Bulk-inserts customers and their confirmed orders over two years, 500 open key-account plans
with five objectives each and 2,000 complaints (a tenth of them open), then runs the scheduled
jobs as the scheduler does and prints wall time and SQL queries of each: the customer value and
lifecycle refresh (``crm.customer.value._cron_refresh``), the key-account job
(``crm.key.account.plan._cron_key_accounts``) and the complaint status mails
(``helpdesk.ticket._cron_complaint_status_mails``). Then the customers and orders grow to
``--scale`` times (plans and complaints stay as they are: the jobs' own work does not change,
only the database around them) and the jobs run again. Rolled back.
"""

import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args
from bench_complaints import insert_complaints
from bench_key_accounts import insert_plans

import odoo

JOBS = (
    ("customer value and lifecycle", "crm.customer.value", "_cron_refresh"),
    ("key accounts", "crm.key.account.plan", "_cron_key_accounts"),
    ("complaint status mails", "helpdesk.ticket", "_cron_complaint_status_mails"),
)


def measure(env):
    figures = []
    for label, model, method in JOBS:
        env.invalidate_all()
        queries_before = env.cr.sql_log_count
        started = time.perf_counter()
        getattr(env[model], method)()
        env.flush_all()
        figures.append((label, time.perf_counter() - started, env.cr.sql_log_count - queries_before))
    return figures


def main():
    options = parse_size_args(__doc__, orders=200000)
    registry = open_registry(options.db)
    scale = max(options.scale, 2)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        cr.execute("UPDATE crm_key_account_plan SET state = 'closed'")  # keep demo plans out of the figures
        measure(env)  # warm the settings and company caches, as a nightly run finds them
        results = []
        inserted = (0, 0)
        for customers, orders in (
            (options.customers, options.orders),
            (options.customers * scale, options.orders * scale),
        ):
            started = time.perf_counter()
            insert_customers_and_orders(
                cr, company_id, customers - inserted[0], orders - inserted[1], offset=inserted[0]
            )
            if not inserted[0]:
                insert_plans(cr, company_id, 500, 0)
                team = env["helpdesk.ticket.team"].create({"name": "Bench complaints desk"})
                partner = env["res.partner"].create({"name": "Bench complainer", "is_company": True})
                env.flush_all()
                insert_complaints(cr, company_id, team.id, partner.id, 2000, 0)
            inserted = (customers, orders)
            print(f"{customers} customers, {orders} orders: data generated in {time.perf_counter() - started:.0f} s")
            figures = measure(env)
            for label, seconds, queries in figures:
                print(f"  {label:<30} {seconds:>7.2f} s {queries:>6} queries")
            results.append(figures)
        for (label, small, small_queries), (_label, large, large_queries) in zip(*results, strict=True):
            print(f"{label}: time x{large / small:.1f}, queries {small_queries} -> {large_queries}")
        cr.rollback()


if __name__ == "__main__":
    main()
