#!/usr/bin/env python3
"""Benchmark: the nightly customer value and lifecycle recomputation at scale.

    python3 tests/benchmarks/bench_customer_value.py [--db crm_bench] [--customers 20000] [--orders 200000]

Prepares (or reuses) a database with our modules through ``scripts/crm.py up
--setup-only``, bulk-inserts customers and confirmed orders over two years with
plain SQL, runs the scheduler's ``_refresh`` at half and at full size, prints wall
time and SQL query count for each, then rolls everything back: the database is
left as it was. The query count must be the same at both sizes.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import crm  # noqa: E402


def prepare_database(db):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "crm.py"), "up", "--setup-only", "--skip-pip", "--db", db],
        check=True,
    )
    return crm.LOCAL / f"odoo-{db}.conf"


def insert_customers_and_orders(cr, company_id, customers, orders, offset=0):
    """Customers (companies) and confirmed orders spread over 730 days, in two statements."""
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, customer_rank, type, autopost_bills, create_date, write_date)
        SELECT 'Bench customer ' || (g + %(offset)s), TRUE, TRUE, 1, 'contact', 'ask', NOW(), NOW()
        FROM generate_series(1, %(customers)s) g
        RETURNING id
        """,
        {"customers": customers, "offset": offset},
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    cr.execute(
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, state,
                                date_order, amount_untaxed, amount_total, margin, currency_rate,
                                create_date, write_date)
        SELECT 'BENCH/' || (g + %(offset)s * 10), p.id, p.id, p.id, %(company_id)s, 'sale',
               NOW() - make_interval(days => (g * 7919) %% 730), 100 + (g %% 900), 100 + (g %% 900),
               20 + (g %% 300), 1.0, NOW(), NOW()
        FROM generate_series(1, %(orders)s) g
        JOIN LATERAL (SELECT %(ids)s::int[] AS ids) a ON TRUE
        JOIN res_partner p ON p.id = a.ids[1 + (g * 31) %% array_length(a.ids, 1)]
        """,
        {"orders": orders, "company_id": company_id, "ids": ids, "offset": offset},
    )
    cr.execute("ANALYZE sale_order")
    cr.execute("ANALYZE res_partner")


def measure(env):
    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    env["crm.customer.value"]._refresh()
    return time.perf_counter() - started, env.cr.sql_log_count - queries_before


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--orders", type=int, default=200000)
    options = parser.parse_args()
    config_path = prepare_database(options.db)

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(config_path), "--log-level=warn"])
    registry = Registry(options.db)
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
