#!/usr/bin/env python3
"""Benchmark: the nightly customer value and lifecycle recomputation at scale.

    python3 tests/benchmarks/bench_customer_value.py [--db crm_bench] [--customers 20000] [--orders 200000]

Prepares (or reuses) a database with our modules through ``scripts/crm.py up
--setup-only``, bulk-inserts customers and confirmed orders over two years with
plain SQL, runs the scheduler's ``_refresh`` at half and at full size, prints wall
time and SQL query count for each, then rolls everything back: the database is
left as it was. The query count must be the same at both sizes.
"""

import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args

import odoo


def measure(env):
    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    env["crm.customer.value"]._refresh()
    return time.perf_counter() - started, env.cr.sql_log_count - queries_before


def main():
    options = parse_size_args(__doc__, orders=200000)
    registry = open_registry(options.db)
    half_customers, half_orders = options.customers // 2, options.orders // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        measure(env)  # warm the settings and company caches, as a nightly run finds them
        print(f"{'customers':>10} {'orders':>8} {'wall (s)':>9} {'queries':>8}")
        insert_customers_and_orders(cr, company_id, half_customers, half_orders)
        seconds, queries = measure(env)
        print(f"{half_customers:>10} {half_orders:>8} {seconds:>9.2f} {queries:>8}")
        insert_customers_and_orders(cr, company_id, half_customers, half_orders, offset=half_customers)
        seconds, queries = measure(env)
        print(f"{options.customers:>10} {options.orders:>8} {seconds:>9.2f} {queries:>8}")
        cr.execute("SELECT count(*) FROM crm_customer_value")
        print(f"value lines written: {cr.fetchone()[0]}")
        cr.rollback()


if __name__ == "__main__":
    main()
