#!/usr/bin/env python3
"""Benchmark: the nightly refresh of the customers' data cards at scale.

    python3 tests/benchmarks/bench_datacard.py [--db crm_bench] [--customers 20000] [--orders 100000]

Prepares (or reuses) a database with our modules through ``scripts/crm.py up
--setup-only``, bulk-inserts customers with orders and, in plain SQL, what their
records hold: a contact person with a job position for one customer in two, an
address for one in three, a strategy for one in two, a recent visit with notes for
one in four, a share-of-wallet estimate of the year for one in five. Runs
``crm.customer.datacard._refresh`` at half and at full size, prints wall time and
SQL query count for each, and once more at full size with nothing changed (a usual
night: only what changed is written to the missing items), then rolls everything back: the database is left as it
was. The query count must be the same at both sizes.
"""

import time

from bench_common import insert_customers_and_orders, open_registry, parse_size_args

import odoo


def fill_records(cr, company_id, offset):
    """What the bench customers created after ``offset`` (a partner id) hold, in five statements."""
    customers = "SELECT id FROM res_partner WHERE id > %(offset)s AND name LIKE 'Bench customer %%'"
    params = {"offset": offset, "company_id": company_id}
    cr.execute(
        f"""
        INSERT INTO res_partner (name, parent_id, commercial_partner_id, function, is_company, active, type,
                                 autopost_bills, create_date, write_date)
        SELECT 'Buyer ' || c.id, c.id, c.id, 'Buyer', FALSE, TRUE, 'contact', 'ask', NOW(), NOW()
        FROM ({customers}) c WHERE c.id %% 2 = 0
        """,
        params,
    )
    cr.execute(
        f"""
        UPDATE res_partner SET street = '1 Bench Road', city = 'Bench', email = 'bench@example.com',
               country_id = (SELECT id FROM res_country ORDER BY id LIMIT 1)
        WHERE id IN ({customers}) AND id %% 3 = 0
        """,
        params,
    )
    cr.execute(
        f"""
        UPDATE res_partner SET relationship_strategy_id = (SELECT id FROM crm_relationship_strategy ORDER BY id LIMIT 1)
        WHERE id IN ({customers}) AND id %% 2 = 1
        """,
        params,
    )
    cr.execute(
        f"""
        INSERT INTO crm_contact_log (company_id, partner_id, date, channel, direction, summary, note, origin,
                                     create_date, write_date)
        SELECT %(company_id)s, c.id, NOW() - make_interval(days => (c.id %% 120)::int), 'meeting', 'outbound',
               'Visit', '<p>Their plans for next year</p>', 'manual', NOW(), NOW()
        FROM ({customers}) c WHERE c.id %% 4 = 0
        """,
        params,
    )
    cr.execute(
        f"""
        INSERT INTO crm_wallet_estimate (company_id, partner_id, year, estimated_total_spend, create_date, write_date)
        SELECT %(company_id)s, c.id, EXTRACT(YEAR FROM NOW())::int, 10000, NOW(), NOW()
        FROM ({customers}) c WHERE c.id %% 5 = 0
        """,
        params,
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE crm_contact_log")


def measure(env):
    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    env["crm.customer.datacard"]._refresh()
    return time.perf_counter() - started, env.cr.sql_log_count - queries_before


def main():
    options = parse_size_args(__doc__, orders=100000)
    registry = open_registry(options.db)
    half_customers, half_orders = options.customers // 2, options.orders // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company_id = env.company.id
        measure(env)  # warm the settings and company caches, as a nightly run finds them
        print(f"{'customers':>10} {'wall (s)':>9} {'queries':>8}")
        for offset in (0, half_customers):
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
            last_id = cr.fetchone()[0]
            insert_customers_and_orders(cr, company_id, half_customers, half_orders, offset=offset)
            fill_records(cr, company_id, last_id)
            seconds, queries = measure(env)
            print(f"{offset + half_customers:>10} {seconds:>9.2f} {queries:>8}")
        seconds, queries = measure(env)
        print(f"{options.customers:>10} {seconds:>9.2f} {queries:>8}  (again, nothing changed: a usual night)")
        cr.execute("SELECT COUNT(*), ROUND(AVG(completeness), 1) FROM crm_customer_datacard")
        print("data cards written: {}, average completeness {} %".format(*cr.fetchone()))
        cr.rollback()


if __name__ == "__main__":
    main()
