"""Shared fixture builders for the benchmarks: a prepared database and bulk SQL data."""

import subprocess
import sys
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
               NOW() - make_interval(days => ((g::bigint * 7919) %% 730)::int), 100 + (g %% 900), 100 + (g %% 900),
               20 + (g %% 300), 1.0, NOW(), NOW()
        FROM generate_series(1, %(orders)s) g
        JOIN LATERAL (SELECT %(ids)s::int[] AS ids) a ON TRUE
        JOIN res_partner p ON p.id = a.ids[(1 + (g::bigint * 31) %% array_length(a.ids, 1))::int]
        """,
        {"orders": orders, "company_id": company_id, "ids": ids, "offset": offset},
    )
    cr.execute("ANALYZE sale_order")
    cr.execute("ANALYZE res_partner")


def open_registry(db):
    """Our modules installed in ``db`` (created when missing), and its registry."""
    config_path = prepare_database(db)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(config_path), "--log-level=warn"])
    return Registry(db)


def parse_size_args(description, orders, customers=20000):
    """The benchmarks' common options: database, customers and orders at full size."""
    import argparse

    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--customers", type=int, default=customers)
    parser.add_argument("--orders", type=int, default=orders)
    return parser.parse_args()
