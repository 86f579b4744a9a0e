#!/usr/bin/env python3
"""Benchmark: one client portfolio analysis run (all methods) and its XLSX export.

    python3 tests/benchmarks/bench_portfolio.py [--db crm_bench] [--customers 20000] [--orders 400000]

Bulk-inserts customers and confirmed orders over two years, then at half and at full
size: times a bare SQL GROUP BY over the same orders, one analysis run (wall time,
SQL queries, ratio to the bare query; best of five of each), and the XLSX export of that run (wall time,
the process's resident memory before it and its peak during it). Everything is rolled back at the end.
"""

import os
import threading
import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args

import odoo

BARE_GROUP_BY = """
    SELECT rp.commercial_partner_id, SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)), COUNT(*)
    FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
    WHERE so.state = 'sale' AND so.company_id = %s
    GROUP BY rp.commercial_partner_id
"""


def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssPeak:
    """The process's resident memory before a block and its peak during it, sampled every 5 ms:
    the export's own footprint, apart from what filling the database left behind."""

    def __enter__(self):
        self.before = self.peak = rss_mib()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._done.wait(0.005):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())


REPEATS = 5


def measure(env, company_id):
    """Best of REPEATS for the bare query and for the run (a new run each time): on a shared
    two-core machine single timings of either vary by a factor of two."""
    bare_times, run_times = [], []
    for _repeat in range(REPEATS):
        started = time.perf_counter()
        env.cr.execute(BARE_GROUP_BY, [company_id])
        env.cr.fetchall()
        bare_times.append(time.perf_counter() - started)

        env.invalidate_all()
        analysis = env["crm.portfolio.analysis"].create({"company_id": company_id})
        env.flush_all()
        queries_before = env.cr.sql_log_count
        started = time.perf_counter()
        analysis._run()
        run_times.append(time.perf_counter() - started)
        queries = env.cr.sql_log_count - queries_before
    bare, run = min(bare_times), min(run_times)

    env.invalidate_all()
    started = time.perf_counter()
    with RssPeak() as memory:
        content, _kind = env["ir.actions.report"]._render_xlsx(
            "crm_relationship.action_report_portfolio_xlsx", analysis.ids, None
        )
    export = time.perf_counter() - started
    return analysis.line_count, bare, run, queries, export, len(content), memory


def main():
    options = parse_size_args(__doc__, orders=400000)
    registry = open_registry(options.db)
    half_customers, half_orders = options.customers // 2, options.orders // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        print(
            f"{'customers':>9} {'orders':>7} {'lines':>6} {'bare GROUP BY':>13} {'run':>7} {'ratio':>5} "
            f"{'queries':>7} {'xlsx':>7} {'xlsx size':>9} {'RSS before':>10} {'export peak':>11} {'growth':>7}"
        )
        for step, offset in ((0, 0), (1, half_customers)):
            insert_customers_and_orders(cr, company_id, half_customers, half_orders, offset=offset)
            lines, bare, run, queries, export, size, memory = measure(env, company_id)
            print(
                f"{half_customers * (step + 1):>9} {half_orders * (step + 1):>7} {lines:>6} {bare:>11.2f} s "
                f"{run:>5.2f} s {run / bare:>5.1f} {queries:>7} {export:>5.1f} s {size / 1e6:>7.1f}MB "
                f"{memory.before:>7.0f}MiB {memory.peak:>8.0f}MiB {memory.peak - memory.before:>4.0f}MiB"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
