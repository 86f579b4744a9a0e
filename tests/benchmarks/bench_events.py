#!/usr/bin/env python3
"""Benchmark: customer events and retention at scale.

    python3 tests/benchmarks/bench_events.py [--db crm_bench] [--customers 20000] [--orders 400000]

Prepares (or reuses) a database with our modules, bulk-inserts customers and confirmed orders over
two years with plain SQL (``bench_common``), at half and at full size, and at each size measures:

- lifecycle: the nightly refresh as of 120 days ago, then as of today: the lifecycle stages that
  changed in between become customer events (inserted in one statement). The shipped automation
  rules are archived for this measure: their actions (an activity per event) cost what Odoo's
  activities cost, per event, and are not the job's;
- portfolio: the quadrant and ABC class events of a portfolio run against the run half a year
  before (the runs themselves are computed before the measure: bench_portfolio.py times them);
- retention: the retention report read per salesperson and year (one ``_read_group``).

It prints wall time, SQL query count and the number of events, then rolls everything back. The
query counts must be the same at both sizes.
"""

import time
from datetime import timedelta

from bench_common import insert_customers_and_orders, open_registry, parse_size_args

import odoo
from odoo import fields


def measure(env, job):
    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    result = job()
    return time.perf_counter() - started, env.cr.sql_log_count - queries_before, result


def events_job(env):
    Value = env["crm.customer.value"]
    today = fields.Date.context_today(Value)
    Value._refresh(today=today - timedelta(days=120))
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM crm_relationship_event")
    last_id = env.cr.fetchone()[0]

    def job():
        Value._refresh(today=today)
        env.cr.execute("SELECT COUNT(*) FROM crm_relationship_event WHERE id > %s", [last_id])
        return env.cr.fetchone()[0]

    return job


def portfolio_events_job(env):
    """Two portfolio runs, half a year apart (computed before the measure): the measure is the
    quadrant and ABC class events of the second run against the first."""
    Analysis = env["crm.portfolio.analysis"]
    today = fields.Date.context_today(Analysis)
    # the demo's runs set aside (rolled back at the end): the second run follows the first
    Analysis.search([("state", "=", "done")]).action_reset_to_draft()
    earlier = Analysis.create({"date": today - timedelta(days=182)})
    earlier._run()
    later = Analysis.create({"date": today})
    later.action_compute()  # its own events against the run before: the measure records them again
    env.cr.execute("DELETE FROM crm_relationship_event WHERE analysis_id = %s", [later.id])
    assert later.line_ids.filtered("previous_bcg_quadrant"), "the second run does not follow the first"

    def job():
        return len(later._record_events())

    return job


def retention_job(env):
    def job():
        groups = env["crm.retention.report"]._read_group(
            [],
            ["user_id", "date:year"],
            [
                "customers_previous:sum",
                "customers_retained:sum",
                "customers_won:sum",
                "retention:avg",
                "cost_ratio:avg",
            ],
        )
        return len(groups)

    return job


def main():
    options = parse_size_args(__doc__, orders=400000)
    registry = open_registry(options.db)
    half_customers, half_orders = options.customers // 2, options.orders // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        env["base.automation"].search([("model_id.model", "=", "crm.relationship.event")]).active = False
        measure(env, events_job(env))  # warm the caches, as a nightly run finds them
        print(f"{'customers':>10} {'orders':>8} {'measure':>10} {'wall (s)':>9} {'queries':>8} {'rows':>7}")
        for offset in (0, half_customers):
            insert_customers_and_orders(cr, company_id, half_customers, half_orders, offset=offset)
            customers, orders = offset + half_customers, (offset // half_customers + 1) * half_orders
            for name, make_job in (
                ("lifecycle", events_job),
                ("portfolio", portfolio_events_job),
                ("retention", retention_job),
            ):
                job = make_job(env)
                seconds, queries, rows = measure(env, job)
                print(f"{customers:>10} {orders:>8} {name:>10} {seconds:>9.2f} {queries:>8} {rows:>7}")
        cr.rollback()


if __name__ == "__main__":
    main()
