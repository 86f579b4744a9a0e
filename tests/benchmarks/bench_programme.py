#!/usr/bin/env python3
"""Benchmark: the evaluation of a relationship programme over 20,000 customers.

    python3 tests/benchmarks/bench_programme.py [--db crm_bench] [--customers 20000] [--orders 200000]

Bulk-inserts customers and confirmed orders over two years, and a done portfolio run dated at the
programme's start whose lines put every customer in one of twelve segments (BCG quadrant x ABC
class), a third of them regular. Then evaluates a programme of 1,000 members and one of 2,000
(each member enrolled on the programme's start, the other customers its control groups): wall time
and SQL queries of ``action_evaluate``, best of three. The query count stays the same when the
members double. Everything is rolled back at the end.
"""

import time
from datetime import timedelta

from bench_common import insert_customers_and_orders, open_registry, parse_size_args

import odoo
from odoo import fields

REPEATS = 3
EVALUATION_DAYS = 180


def segmented_run(env, company_id, start):
    """A done run dated ``start`` with a line per bench customer, in twelve segments."""
    analysis = env["crm.portfolio.analysis"].create({"company_id": company_id, "state": "done", "date": start})
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO crm_portfolio_line (analysis_id, analysis_date, partner_id, bcg_quadrant, abc_class,
                                        lifecycle_stage, in_matrix)
        SELECT %(analysis)s, %(start)s, p.id,
               (ARRAY['star', 'cash_cow', 'question_mark', 'dog'])[1 + p.id %% 4],
               (ARRAY['A', 'B', 'C'])[1 + (p.id / 4) %% 3],
               CASE WHEN p.id %% 3 = 0 THEN 'regular' ELSE 'one_time' END, TRUE
        FROM res_partner p WHERE p.name LIKE 'Bench customer %%'
        RETURNING partner_id
        """,
        {"analysis": analysis.id, "start": start},
    )
    return sorted(row[0] for row in env.cr.fetchall())


def measure(env, company_id, start, partner_ids):
    programme = env["crm.relationship.programme"].create(
        {
            "name": f"Bench programme {len(partner_ids)}",
            "company_id": company_id,
            "date_start": start,
            "evaluation_date_from": start,
            "evaluation_date_to": start + timedelta(days=EVALUATION_DAYS - 1),
            "cost_fixed": 10000.0,
            "cost_per_member": 50.0,
            "member_ids": [(0, 0, {"partner_id": partner_id}) for partner_id in partner_ids],
        }
    )
    times = []
    for _repeat in range(REPEATS):
        env.flush_all()
        env.invalidate_all()
        queries_before = env.cr.sql_log_count
        started = time.perf_counter()
        programme.action_evaluate()
        env.flush_all()
        times.append(time.perf_counter() - started)
        queries = env.cr.sql_log_count - queries_before
    return programme, min(times), queries


def main():
    options = parse_size_args(__doc__, orders=200000)
    registry = open_registry(options.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        insert_customers_and_orders(cr, company_id, options.customers, options.orders)
        start = fields.Date.today() - timedelta(days=EVALUATION_DAYS + 20)
        customers = segmented_run(env, company_id, start)
        print(
            f"{'customers':>9} {'orders':>7} {'members':>7} {'evaluate':>9} {'queries':>7} "
            f"{'free riders':>11} {'ROI':>8}"
        )
        for members in (1000, 2000):
            programme, seconds, queries = measure(env, company_id, start, customers[: members * 2 : 2])
            print(
                f"{options.customers:>9} {options.orders:>7} {programme.member_count:>7} {seconds:>7.2f} s "
                f"{queries:>7} {programme.free_rider_count:>11} {programme.roi:>7.1f}%"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
