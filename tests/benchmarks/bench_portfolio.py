#!/usr/bin/env python3
"""Benchmark: one client portfolio analysis run (all methods) and its XLSX export.

    python3 tests/benchmarks/bench_portfolio.py [--db crm_bench] [--customers 20000] [--orders 400000]

Bulk-inserts customers and confirmed orders over two years, then at half and at full
size: times a bare SQL GROUP BY over the same orders, one analysis run (wall time,
SQL queries, ratio to the bare query), and the XLSX export of that run (wall time,
the process's peak RSS). Everything is rolled back at the end.
"""

import resource
import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args

import odoo

BARE_GROUP_BY = """
    SELECT rp.commercial_partner_id, SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)), COUNT(*)
    FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
    WHERE so.state = 'sale' AND so.company_id = %s
    GROUP BY rp.commercial_partner_id
"""


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(env, company_id):
    started = time.perf_counter()
    env.cr.execute(BARE_GROUP_BY, [company_id])
    env.cr.fetchall()
    bare = time.perf_counter() - started

    env.invalidate_all()
    analysis = env["crm.portfolio.analysis"].create({"company_id": company_id})
    env.flush_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    analysis._compute_lines()
    run = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries_before

    env.invalidate_all()
    started = time.perf_counter()
    content, _kind = env["ir.actions.report"]._render_xlsx(
        "crm_relationship.action_report_portfolio_xlsx", analysis.ids, None
    )
    export = time.perf_counter() - started
    return analysis.line_count, bare, run, queries, export, len(content)


def main():
    options = parse_size_args(__doc__, orders=400000)
    registry = open_registry(options.db)
    half_customers, half_orders = options.customers // 2, options.orders // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        print(
            f"{'customers':>9} {'orders':>7} {'lines':>6} {'bare GROUP BY':>13} {'run':>7} {'ratio':>5} "
            f"{'queries':>7} {'xlsx':>7} {'xlsx size':>9} {'peak RSS':>9}"
        )
        for step, offset in ((0, 0), (1, half_customers)):
            insert_customers_and_orders(cr, company_id, half_customers, half_orders, offset=offset)
            lines, bare, run, queries, export, size = measure(env, company_id)
            print(
                f"{half_customers * (step + 1):>9} {half_orders * (step + 1):>7} {lines:>6} {bare:>11.2f} s "
                f"{run:>5.2f} s {run / bare:>5.1f} {queries:>7} {export:>5.1f} s {size / 1e6:>7.1f}MB "
                f"{peak_rss_mib():>6.0f}MiB"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
