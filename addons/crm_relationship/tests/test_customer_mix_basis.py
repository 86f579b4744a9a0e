from datetime import datetime, time

from psycopg2 import IntegrityError

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestCustomerMixBasis(RelationshipCase):
    """The customer mix shared out by revenue, by number of purchases and by gross margin, in a
    company of its own (current period: the 12 months up to today).

    ==========  =========  =======  =========  ======  ============================================
    customer    mix        revenue  purchases  margin  orders (days ago: amount / cost)
    ==========  =========  =======  =========  ======  ============================================
    Nova        new        2,000    2          200     20, 50: 1,000 / 900 each
    Rex         repeat     3,000    3          1,500   30, 60, 90: 1,000 / 500 each; 400: 1,000
    Sven        switcher   4,000    1          1,000   10: 4,000 / 3,000; 800: 500
    Lana        last-time  1,000    1          800     320: 1,000 / 200; 500: 1,000 (at risk)
    total                  10,000   7          3,500
    ==========  =========  =======  =========  ======  ============================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_m = cls.env["res.company"].create({"name": "Mix Test Co", "currency_id": cls.currency.id})
        cls.env.user.company_ids |= cls.company_m

    def setUp(self):
        super().setUp()
        self._orders("Nova", [(20, 1000.0, 900.0), (50, 1000.0, 900.0)])
        self._orders("Rex", [(30, 1000.0, 500.0), (60, 1000.0, 500.0), (90, 1000.0, 500.0), (400, 1000.0, 500.0)])
        self._orders("Sven", [(10, 4000.0, 3000.0), (800, 500.0, 0.0)])
        self._orders("Lana", [(320, 1000.0, 200.0), (500, 1000.0, 200.0)])
        self.Value._refresh(companies=self.company_m, today=self.today)  # lifecycle stages

    def _orders(self, name, orders):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        for days_ago, amount, cost in orders:
            order = (
                self.env["sale.order"]
                .with_company(self.company_m)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": self.company_m.id,
                        "user_id": self.salesman.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": amount,
                                    "purchase_price": cost,
                                }
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
            order.date_order = datetime.combine(self.days_ago(days_ago), time(10))

    def _run(self, basis):
        analysis = self.env["crm.portfolio.analysis"].create(
            {"company_id": self.company_m.id, "date": self.today, "mix_basis": basis}
        )
        analysis.action_compute()
        return analysis

    def _mix(self, analysis, kind="actual"):
        return tuple(analysis[f"mix_{code}_{kind}"] for code in ("new", "repeat", "switcher", "last_time"))

    def test_the_mix_by_revenue_shares_out_10000(self):
        self.assertEqual(self._mix(self._run("revenue")), (20.0, 30.0, 40.0, 10.0))

    def test_the_mix_by_purchases_shares_out_7_orders(self):
        # 2, 3, 1 and 1 of 7
        self.assertEqual(self._mix(self._run("purchases")), (28.6, 42.9, 14.3, 14.3))

    def test_the_mix_by_gross_margin_shares_out_3500(self):
        # 200, 1,500, 1,000 and 800 of 3,500
        self.assertEqual(self._mix(self._run("margin")), (5.7, 42.9, 28.6, 22.9))

    def test_the_basis_is_copied_from_the_settings(self):
        self.env["ir.config_parameter"].set_param("crm_relationship.portfolio_mix_basis", "margin")
        analysis = self.env["crm.portfolio.analysis"].create({"company_id": self.company_m.id})
        self.assertEqual(analysis.mix_basis, "margin")

    def test_each_run_is_compared_with_the_target_of_its_own_basis(self):
        Target = self.env["crm.customer.mix.target"]
        values = {"company_id": self.company_m.id, "year": self.today.year}
        by_revenue = Target.create(
            dict(values, target_new=25, target_repeat=45, target_switcher=20, target_last_time=10)
        )
        by_purchases = Target.create(
            dict(values, basis="purchases", target_new=20, target_repeat=50, target_switcher=20, target_last_time=10)
        )
        self.assertEqual(by_revenue.basis, "revenue")
        revenue_run, purchases_run, margin_run = self._run("revenue"), self._run("purchases"), self._run("margin")
        self.assertEqual(revenue_run.mix_target_id, by_revenue)
        self.assertEqual(self._mix(revenue_run, "variance"), (5.0, 15.0, -20.0, 0.0))
        self.assertEqual(purchases_run.mix_target_id, by_purchases)
        # 20/50/20/10 against 28.6/42.9/14.3/14.3
        self.assertEqual(self._mix(purchases_run, "variance"), (-8.6, 7.1, 5.7, -4.3))
        self.assertFalse(margin_run.mix_target_id)
        self.assertEqual(self._mix(margin_run, "variance"), (0.0, 0.0, 0.0, 0.0))

    def test_one_target_per_year_and_basis(self):
        Target = self.env["crm.customer.mix.target"]
        values = {
            "company_id": self.company_m.id,
            "year": self.today.year,
            "target_new": 25,
            "target_repeat": 45,
            "target_switcher": 20,
            "target_last_time": 10,
        }
        Target.create(dict(values, basis="margin"))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Target.create(dict(values, basis="margin"))
        self.assertTrue(Target.create(dict(values, basis="revenue")))
