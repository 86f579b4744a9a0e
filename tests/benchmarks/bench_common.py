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
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM res_partner WHERE id = ANY(%(ids)s::int[])) p
             ON p.k = (g::bigint * 31) %% %(customers)s
        """,
        {"orders": orders, "company_id": company_id, "ids": ids, "offset": offset, "customers": len(ids)},
    )
    cr.execute("ANALYZE sale_order")
    cr.execute("ANALYZE res_partner")


def open_registry(db):
    """Our modules installed in ``db`` (created when missing), vacuumed, and its registry."""
    config_path = prepare_database(db)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(config_path), "--log-level=warn"])
    vacuum_database(db)
    return Registry(db)


def vacuum_database(db):
    """``VACUUM (ANALYZE)`` of ``db``, as autovacuum would keep it.

    Every benchmark rolls back the rows it inserted, and they stay in the tables as dead rows: the
    PostgreSQL of this machine runs without autovacuum (``SHOW autovacuum`` is ``off``), so after
    three runs of ``bench_portfolio.py --scale 10`` ``sale_order`` held 13 million dead orders
    (1.6 GB) and the runs' lines 1.1 GB of dead lines, and each run measured a larger database
    than the one before."""
    import psycopg2

    from odoo.sql_db import connection_info_for

    _name, info = connection_info_for(db)
    connection = psycopg2.connect(**info)
    connection.autocommit = True  # VACUUM runs outside a transaction
    try:
        with connection.cursor() as cr:
            cr.execute("VACUUM (ANALYZE)")
    finally:
        connection.close()


def parse_size_args(description, orders, customers=20000, rounds=False):
    """The benchmarks' common options: database, customers and orders at full size."""
    import argparse

    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--customers", type=int, default=customers)
    parser.add_argument("--orders", type=int, default=orders)
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="measure at full size and at this many times full size (10: 200,000 customers, 4,000,000 orders)",
    )
    parser.add_argument("--no-invoices", action="store_true", help="orders alone, without lines and invoices")
    parser.add_argument("--keep", action="store_true", help="keep the databases a benchmark creates")
    parser.add_argument("--without-demo", action="store_true", help="install our modules without their demo data")
    if rounds:
        parser.add_argument("--rounds", type=int, default=2, help="alternated measurements of each kind")
    return parser.parse_args()


def insert_invoices(cr, company_id, after_order_id, refund_every=25):
    """Every bench order after ``after_order_id`` gets two product lines (its amount and margin
    split in two, the second line at quantity 2) and one posted invoice with two product lines
    and a receivable line, linked to the order lines as Odoo links them; one invoice in
    ``refund_every`` is partly refunded ten days later by a posted credit note (its first line),
    linked to the same order line. The lines and invoices carry the costs and margins OCA's
    account_invoice_margin keeps (each line at its order line's cost, as account_invoice_margin_sale
    gives it). Set-based: a handful of statements whatever the size.
    Returns (invoices, invoice product lines, credit notes)."""
    cr.execute(
        """
        SELECT p.id, t.uom_id FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
        WHERE t.sale_ok AND p.active ORDER BY p.id LIMIT 1
        """
    )
    product_id, uom_id = cr.fetchone()
    cr.execute(
        "SELECT id, default_account_id FROM account_journal WHERE type = 'sale' AND company_id = %s "
        "ORDER BY id LIMIT 1",
        [company_id],
    )
    journal_id, income_account_id = cr.fetchone()
    cr.execute(
        """
        SELECT id FROM account_account WHERE account_type = 'asset_receivable' AND %s = ANY(
            SELECT res_company_id FROM account_account_res_company_rel WHERE account_account_id = account_account.id)
        ORDER BY id LIMIT 1
        """,
        [company_id],
    )
    receivable_id = cr.fetchone()[0]
    cr.execute("SELECT currency_id FROM res_company WHERE id = %s", [company_id])
    currency_id = cr.fetchone()[0]
    params = {
        "after": after_order_id,
        "company_id": company_id,
        "product_id": product_id,
        "uom_id": uom_id,
        "journal_id": journal_id,
        "income": income_account_id,
        "receivable": receivable_id,
        "currency_id": currency_id,
        "refund_every": refund_every,
    }
    # the ids of everything to write, drawn from the sequences first: the statements then join on them
    cr.execute(
        """
        CREATE TEMPORARY TABLE bench_invoice ON COMMIT DROP AS
        SELECT so.id AS order_id, so.partner_id, so.user_id, so.team_id, so.date_order::date AS invoice_date,
               so.amount_untaxed AS amount, so.margin, nextval('account_move_id_seq') AS move_id,
               CASE WHEN so.id %% %(refund_every)s = 0 THEN nextval('account_move_id_seq') END AS refund_id
        FROM sale_order so
        WHERE so.id > %(after)s AND so.name LIKE 'BENCH/%%'
        """,
        params,
    )
    cr.execute(
        """
        CREATE TEMPORARY TABLE bench_invoice_line ON COMMIT DROP AS
        SELECT i.*, k AS line, nextval('sale_order_line_id_seq') AS sol_id,
               nextval('account_move_line_id_seq') AS aml_id,
               CASE WHEN k = 1 AND i.refund_id IS NOT NULL THEN nextval('account_move_line_id_seq') END AS refund_aml_id
        FROM bench_invoice i CROSS JOIN generate_series(1, 2) k
        """
    )
    cr.execute(
        """
        INSERT INTO sale_order_line (id, order_id, name, sequence, product_id, product_uom, product_uom_qty,
                                     qty_invoiced, price_unit, price_subtotal, price_total, purchase_price, margin,
                                     customer_lead, company_id, currency_id, order_partner_id, salesman_id, state,
                                     invoice_status, create_date, write_date)
        SELECT l.sol_id, l.order_id, 'Bench product', l.line, %(product_id)s, %(uom_id)s, l.line, l.line,
               l.amount / 2 / l.line, l.amount / 2, l.amount / 2, (l.amount - l.margin) / 2 / l.line, l.margin / 2,
               0, %(company_id)s, %(currency_id)s, l.partner_id, l.user_id, 'sale', 'invoiced', NOW(), NOW()
        FROM bench_invoice_line l
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_move (id, name, journal_id, company_id, currency_id, move_type, state, auto_post, date,
                                  invoice_date, partner_id, commercial_partner_id, invoice_user_id, team_id,
                                  amount_untaxed, amount_total, amount_untaxed_signed, amount_total_signed,
                                  amount_residual, payment_state, invoice_currency_rate, margin, margin_signed,
                                  margin_percent, create_date, write_date)
        SELECT d.id, d.name, %(journal_id)s, %(company_id)s, %(currency_id)s, d.move_type, 'posted', 'no', d.day,
               d.day, i.partner_id, i.partner_id, i.user_id, i.team_id, d.amount, d.amount, d.sign * d.amount,
               d.sign * d.amount, d.amount, 'not_paid', 1, d.margin, d.sign * d.margin,
               CASE WHEN d.amount <> 0 THEN d.sign * d.margin / d.amount * 100 ELSE 0 END, NOW(), NOW()
        FROM bench_invoice i
        CROSS JOIN LATERAL (
            SELECT i.move_id AS id, 'BINV/' || i.move_id AS name, 'out_invoice' AS move_type, i.invoice_date AS day,
                   i.amount, i.margin, 1 AS sign
            UNION ALL
            SELECT i.refund_id, 'BRINV/' || i.refund_id, 'out_refund', i.invoice_date + 10, i.amount / 2,
                   i.margin / 2, -1
            WHERE i.refund_id IS NOT NULL
        ) d
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_move_line (id, move_id, journal_id, company_id, currency_id, company_currency_id,
                                       account_id, partner_id, display_type, parent_state, date, name, quantity,
                                       price_unit, price_subtotal, price_total, balance, amount_currency, debit,
                                       credit, product_id, product_uom_id, purchase_price, margin, margin_signed,
                                       margin_percent, create_date, write_date)
        SELECT d.id, d.move_id, %(journal_id)s, %(company_id)s, %(currency_id)s, %(currency_id)s, d.account_id,
               l.partner_id, d.display_type, 'posted', d.day, 'Bench product', d.quantity, d.price_unit, d.subtotal,
               d.subtotal, d.balance, d.balance, GREATEST(d.balance, 0), GREATEST(-d.balance, 0),
               %(product_id)s, %(uom_id)s, (l.amount - l.margin) / 2 / l.line, l.margin / 2, d.sign * l.margin / 2,
               CASE WHEN l.amount <> 0 THEN l.margin / l.amount * 100 ELSE 0 END, NOW(), NOW()
        FROM bench_invoice_line l
        CROSS JOIN LATERAL (
            SELECT l.aml_id AS id, l.move_id, %(income)s AS account_id, 'product' AS display_type,
                   l.invoice_date AS day, l.line AS quantity, l.amount / 2 / l.line AS price_unit,
                   l.amount / 2 AS subtotal, -l.amount / 2 AS balance, 1 AS sign
            UNION ALL
            SELECT l.refund_aml_id, l.refund_id, %(income)s, 'product', l.invoice_date + 10, 1, l.amount / 2,
                   l.amount / 2, l.amount / 2, -1
            WHERE l.refund_aml_id IS NOT NULL
        ) d
        """,
        params,
    )
    # the receivable line of every invoice and credit note (what the product lines are read apart from)
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, journal_id, company_id, currency_id, company_currency_id, account_id,
                                       partner_id, display_type, parent_state, date, name, quantity, balance,
                                       amount_currency, debit, credit, create_date, write_date)
        SELECT am.id, am.journal_id, am.company_id, am.currency_id, am.currency_id, %(receivable)s, am.partner_id,
               'payment_term', 'posted', am.date, am.name, 1, am.amount_total_signed, am.amount_total_signed,
               GREATEST(am.amount_total_signed, 0), GREATEST(-am.amount_total_signed, 0), NOW(), NOW()
        FROM account_move am JOIN bench_invoice i ON am.id IN (i.move_id, i.refund_id)
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)
        SELECT aml_id, sol_id FROM bench_invoice_line
        UNION ALL
        SELECT refund_aml_id, sol_id FROM bench_invoice_line WHERE refund_aml_id IS NOT NULL
        """
    )
    cr.execute("SELECT COUNT(*), COUNT(refund_id) FROM bench_invoice")
    invoices, refunds = cr.fetchone()
    cr.execute("DROP TABLE bench_invoice_line")
    cr.execute("DROP TABLE bench_invoice")
    for table in ("sale_order_line", "account_move", "account_move_line", "sale_order_line_invoice_rel"):
        cr.execute(f"ANALYZE {table}")  # noqa: S608 - a constant list of tables
    return invoices, invoices * 2, refunds
