#!/usr/bin/env python3
"""Benchmark: recomputing every key-account objective's actual in one scheduler run.

    python3 tests/benchmarks/bench_key_accounts.py [--db crm_bench] [--plans 500] [--orders 400000]

Bulk-inserts 20,000 customers and their confirmed orders over two years, then 5 objectives
(revenue, margin, orders, share of wallet, complaints) on each of half and then all the
plans, and times ``_refresh_actuals`` with its SQL query count each time. Rolled back.
"""

import argparse
import time

from bench_common import insert_customers_and_orders, open_registry

import odoo

MEASURES = ("revenue", "margin", "orders", "share_of_wallet", "complaints")


def insert_plans(cr, company_id, count, offset):
    """Open plans for ``count`` bench customers, with five objectives each."""
    cr.execute(
        """
        INSERT INTO crm_key_account_plan (name, company_id, partner_id, user_id, date_start, date_end, state,
                                          active, revenue_source, review_cadence, create_date, write_date)
        SELECT 'Bench plan ' || p.id, %(company_id)s, p.id, 2, date_trunc('year', NOW())::date,
               (date_trunc('year', NOW()) + interval '1 year - 1 day')::date, 'engaged', TRUE, 'orders',
               'quarterly', NOW(), NOW()
        FROM res_partner p WHERE p.name LIKE 'Bench customer %%'
        ORDER BY p.id OFFSET %(offset)s LIMIT %(count)s
        RETURNING id
        """,
        {"company_id": company_id, "count": count, "offset": offset},
    )
    plan_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO crm_key_account_objective (plan_id, company_id, name, outcome_type, beneficiary, measure,
                                               target, state, sequence, create_date, write_date)
        SELECT plan_id, %(company_id)s, measure, 'revenue_growth', 'both', measure, 1000, 'in_progress', 10,
               NOW(), NOW()
        FROM unnest(%(plan_ids)s::int[]) plan_id CROSS JOIN unnest(%(measures)s::varchar[]) measure
        """,
        {"company_id": company_id, "plan_ids": plan_ids, "measures": list(MEASURES)},
    )
    return plan_ids


def measure(env):
    env.invalidate_all()
    Objective = env["crm.key.account.objective"]
    objectives = Objective.search([("plan_id.state", "!=", "closed")])
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    Objective._refresh_actuals(objectives)
    return len(objectives), time.perf_counter() - started, env.cr.sql_log_count - queries_before


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--plans", type=int, default=500)
    parser.add_argument("--orders", type=int, default=400000)
    options = parser.parse_args()
    registry = open_registry(options.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        cr.execute("UPDATE crm_key_account_plan SET state = 'closed'")  # keep demo plans out of the figures
        insert_customers_and_orders(cr, company_id, 10000, options.orders // 2)
        insert_customers_and_orders(cr, company_id, 10000, options.orders // 2, offset=10000)
        print(f"{'plans':>6} {'objectives':>10} {'wall (s)':>9} {'queries':>8}")
        half = options.plans // 2
        for offset in (0, half):
            insert_plans(cr, company_id, half, offset)
            objectives, seconds, queries = measure(env)
            print(f"{offset + half:>6} {objectives:>10} {seconds:>9.2f} {queries:>8}")
        cr.rollback()


if __name__ == "__main__":
    main()
