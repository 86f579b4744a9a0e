#!/usr/bin/env python3
"""Benchmark: the nightly loyalty package job over 10,000 and 20,000 customers.

    python3 tests/benchmarks/bench_loyalty.py [--db crm_bench] [--customers 20000] [--orders 200000]

Bulk-inserts half the customers with their confirmed orders, and a done portfolio run putting
them in twelve segments (a third of them class A); two packages ("Key client": class A;
"Regular customer": 3,000 of revenue in the last twelve months), each with privileges written
on the customers and their contacts (a pricelist and the key service tier; payment terms).
Then times ``crm.loyalty.membership._refresh``: the first run that grants, a second run that
changes nothing, and a run after the rules were tightened (key clients need 5,000 and regular
customers 6,000 of revenue: the members who no longer qualify go into their grace period); then
the other half of the customers is added, the memberships are forgotten, and the same three
runs are timed again over all the customers. Wall time and SQL queries of each; the query
counts stay the same when the customers double (the very first run also loads a few caches).
Everything is rolled back at the end.
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


def forget_memberships(env):
    """Start each size from no member at all, so that its first run grants to every eligible
    customer of that size: the privileges given back, the memberships gone."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner p
        SET specific_property_product_pricelist = NULL, property_payment_term_id = NULL, service_tier = 'standard'
        FROM crm_loyalty_membership m
        WHERE p.commercial_partner_id = m.partner_id
        """
    )
    env.cr.execute("DELETE FROM crm_loyalty_membership")
    env.invalidate_all()


def main():
    options = parse_size_args(__doc__, orders=200000)
    registry = open_registry(options.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company_id = env.company.id
        env["crm.loyalty.package"].search([]).action_archive()
        pricelist = env["product.pricelist"].create({"name": "Bench key clients", "company_id": company_id})
        terms = env["account.payment.term"].create({"name": "Bench 45 days", "company_id": company_id})
        key, regular = env["crm.loyalty.package"].create(
            [
                {
                    "name": "Bench key client",
                    "sequence": 1,
                    "eligible_abc_class": "A",
                    "grace_days": 30,
                    "pricelist_id": pricelist.id,
                    "service_tier": "key",
                },
                {
                    "name": "Bench regular customer",
                    "sequence": 2,
                    "min_revenue": 3000.0,
                    "grace_days": 30,
                    "payment_term_id": terms.id,
                },
            ]
        )
        print(f"{'customers':>9} {'run':<26} {'time':>9} {'queries':>7} {'granted':>8} {'in grace':>8}")
        half = options.customers // 2
        for step, offset in enumerate((0, half)):
            insert_customers_and_orders(cr, company_id, half, options.orders // 2, offset=offset)
            env.cr.execute("UPDATE crm_portfolio_analysis SET state = 'draft' WHERE company_id = %s", [company_id])
            segmented_run(env, company_id, fields.Date.today())
            key.min_revenue, regular.min_revenue = 0.0, 3000.0
            forget_memberships(env)
            customers = half * (step + 1)
            timed(env, "first run (grants)", customers)
            timed(env, "second run (no change)", customers)
            key.min_revenue, regular.min_revenue = 5000.0, 6000.0
            timed(env, "rules tightened (grace)", customers)
        cr.rollback()


if __name__ == "__main__":
    main()
