"""Two users at once: real transactions on their own connections, committed and cleaned up.

These tests commit, so they build their data in their own cursors and delete it afterwards;
the test's own transaction writes nothing another transaction could wait for.
"""

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase


class TestConcurrency(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    @contextmanager
    def committed_env(self):
        """An environment on a connection of its own; committed when the block ends."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def test_two_transactions_filing_complaints_at_once_get_distinct_numbers(self):
        with self.committed_env() as env:
            customer = env["res.partner"].create({"name": "Concurrent Complaints Co", "is_company": True})
        barrier = threading.Barrier(2, timeout=60)
        filed, failures = [], []

        def file_complaint(title):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env.cr.execute("SELECT 1")  # both transactions are open before either files
                    barrier.wait()
                    ticket = env["helpdesk.ticket"].create(
                        {"name": title, "description": title, "partner_id": customer.id, "is_complaint": True}
                    )
                    filed.append((ticket.id, ticket.complaint_number))
            except Exception as error:  # reported in the main thread, where the test fails
                failures.append(error)

        threads = [threading.Thread(target=file_complaint, args=(f"Parallel complaint {n}",)) for n in (1, 2)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            self.assertFalse(failures)
            self.assertEqual(len(filed), 2, "both transactions committed")
            numbers = [number for _id, number in filed]
            self.assertTrue(all(numbers))
            self.assertNotEqual(numbers[0], numbers[1], "each complaint has its own number")
        finally:
            with self.committed_env() as env:
                env["helpdesk.ticket"].browse([ticket_id for ticket_id, _number in filed]).unlink()
                env["res.partner"].browse(customer.id).unlink()

    def test_two_transactions_opening_plans_for_one_customer_and_period_leave_one_open(self):
        """The check "one open plan per customer and period" reads what its transaction sees: two
        transactions that began together would each pass it. The database keeps the rule."""
        with self.committed_env() as env:
            customer = env["res.partner"].create({"name": "Concurrent Plans Co", "is_company": True})
        barrier = threading.Barrier(2, timeout=60)
        opened, refused = [], []

        def open_plan(start, end):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env.cr.execute("SELECT 1")  # both transactions are open before either creates its plan
                    barrier.wait()
                    plan = env["crm.key.account.plan"].create(
                        {"partner_id": customer.id, "date_start": start, "date_end": end}
                    )
                opened.append(plan.id)
            except Exception as error:  # reported in the main thread, where the test fails
                refused.append(error)

        periods = (("2031-01-01", "2031-12-31"), ("2031-07-01", "2032-06-30"))
        threads = [threading.Thread(target=open_plan, args=period) for period in periods]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            self.assertEqual(len(opened), 1, "one transaction committed its plan")
            self.assertEqual(len(refused), 1, "the other was refused")
            self.assertIsInstance(refused[0], IntegrityError)
            constraint = self.env["ir.model.constraint"].search(
                [("name", "=", refused[0].diag.constraint_name), ("model.model", "=", "crm.key.account.plan")]
            )
            self.assertIn("close the other plan or change this plan's Start and End dates", constraint.message)
            with self.committed_env() as env:
                self.assertEqual(env["crm.key.account.plan"].search([("partner_id", "=", customer.id)]).ids, opened)
        finally:
            with self.committed_env() as env:
                env["crm.key.account.plan"].browse(opened).unlink()
                env["res.partner"].browse(customer.id).unlink()

    def test_analysis_run_while_orders_are_confirmed_is_one_snapshot(self):
        """Orders confirmed by someone else during a run are neither half counted nor counted twice:
        the run sees the database as it was when its transaction began."""
        with self.committed_env() as env:
            product = env["product.product"].create({"name": "Snapshot desk", "list_price": 100.0, "type": "consu"})
            early = env["res.partner"].create({"name": "Snapshot Early Co", "is_company": True})
            late = env["res.partner"].create({"name": "Snapshot Late Co", "is_company": True})
            company_id = env.company.id

        def confirm_order(env, partner_id, amount):
            order = env["sale.order"].create(
                {
                    "partner_id": partner_id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": amount})],
                }
            )
            order.action_confirm()
            order.date_order = datetime.now() - timedelta(days=3)
            return order.id

        order_ids, run_ids = [], []
        try:
            with self.committed_env() as env:
                order_ids.append(confirm_order(env, early.id, 1000.0))
            with self.registry.cursor() as run_cr:
                run_env = api.Environment(run_cr, SUPERUSER_ID, {})
                analysis = run_env["crm.portfolio.analysis"].create({"company_id": company_id})
                run_env.flush_all()  # the run's transaction has begun: its snapshot is taken
                run_ids.append(analysis.id)
                # meanwhile a salesperson confirms two more orders, one for a customer new to the run
                with self.committed_env() as env:
                    order_ids.append(confirm_order(env, early.id, 500.0))
                    order_ids.append(confirm_order(env, late.id, 700.0))
                analysis._run()
                lines = analysis.line_ids
                self.assertEqual(len(lines), len(lines.partner_id), "no customer counted twice")
                self.assertEqual(lines.filtered(lambda line: line.partner_id.id == early.id).revenue, 1000.0)
                self.assertNotIn(late.id, lines.partner_id.ids, "an order committed after the run began")
                self.assertAlmostEqual(analysis.revenue_total, sum(lines.mapped("revenue")), places=2)
            with self.committed_env() as env:
                later = env["crm.portfolio.analysis"].create({"company_id": company_id})
                later._run()
                run_ids.append(later.id)
                by_partner = {line.partner_id.id: line.revenue for line in later.line_ids}
                self.assertEqual((by_partner.get(early.id), by_partner.get(late.id)), (1500.0, 700.0))
        finally:
            with self.committed_env() as env:
                env["crm.portfolio.analysis"].browse(run_ids).exists().unlink()
                orders = env["sale.order"].browse(order_ids).exists()
                orders._action_cancel()
                orders.unlink()
                env["res.partner"].browse([early.id, late.id]).unlink()
                product.with_env(env).product_tmpl_id.unlink()
