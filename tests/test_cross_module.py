"""The leaf modules meet through the core's extension points only."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class TestCrossModule(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    def test_key_account_objectives_read_complaints_and_satisfaction_from_quality(self):
        today = datetime.now().date()
        customer = self.env["res.partner"].create({"name": "Cross Co", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Cross Buyer", "parent_id": customer.id})
        plan = self.env["crm.key.account.plan"].create(
            {
                "partner_id": customer.id,
                "date_start": today.replace(month=1, day=1),
                "date_end": today.replace(month=12, day=31),
            }
        )
        Objective = self.env["crm.key.account.objective"]
        complaints = Objective.create(
            {"plan_id": plan.id, "name": "Few complaints", "measure": "complaints", "target": 1}
        )
        satisfaction = Objective.create({"plan_id": plan.id, "name": "Happy", "measure": "satisfaction", "target": 4})
        for name in ("Late delivery", "Scratched desk"):
            self.env["helpdesk.ticket"].create(
                {"name": name, "description": name, "partner_id": contact.id, "is_complaint": True}
            )
        Feedback = self.env["crm.customer.feedback"]
        Feedback.create({"partner_id": contact.id, "respondent_role": "decision_maker", "score": 5})
        Feedback.create({"partner_id": contact.id, "respondent_role": "user", "score": 1})
        plan.action_refresh_actuals()
        self.assertEqual(complaints.actual, 2.0)
        self.assertEqual(complaints.progress, 50.0, "two complaints against a target of one")
        self.assertEqual(satisfaction.actual, 4.0)  # (3 x 5 + 1 x 1) / 4
        self.assertEqual(satisfaction.progress, 100.0)


class TestRevenueIsTheSameEverywhere(TransactionCase):
    """One customer's revenue of the same twelve months, read by every screen that shows it.

    ===============================  ==========  ==========  =======  =================
    document (all dated today)       orders      invoices    margin   note
    ===============================  ==========  ==========  =======  =================
    order A by a contact, invoiced   10,000      10,000      4,000    cost 6,000
    credit note on A's invoice (0.2) -2,000      -2,000      -800     cost of 0.2 = 1,200
    order B in N$ (2 per unit)       2,000       2,000       1,200    4,000 N$, cost 1,600 N$
    order E, not invoiced            1,500                   1,000    cost 500
    order C, cancelled               -           -
    order F, 400 days ago            -           -                    before the twelve months
    total                            11,500      10,000      (orders 5,400; invoices 4,400)
    ===============================  ==========  ==========  =======  =================
    """

    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.company = cls.env.company
        cls.salesperson = new_test_user(
            cls.env, login="same_number_salesperson", groups="sales_team.group_sale_salesman", name="Sal Same"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Same Number Ltd", "is_company": True, "user_id": cls.salesperson.id}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Sam Buyer", "parent_id": cls.customer.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Walnut table", "list_price": 1000.0, "standard_price": 600.0, "type": "consu"}
        )
        foreign = cls.env["res.currency"].create({"name": "SNC", "symbol": "N$", "rounding": 0.01})
        cls.env["res.currency.rate"].create(
            {
                "name": cls.today - timedelta(days=800),
                "rate": 2.0,
                "currency_id": foreign.id,
                "company_id": cls.company.id,
            }
        )
        foreign_prices = cls.env["product.pricelist"].create({"name": "N$ prices", "currency_id": foreign.id})

        order_a = cls._order(cls.contact, 10000.0, 6000.0)
        invoice = cls._invoice(order_a)
        credit_note = invoice._reverse_moves()
        credit_note.invoice_line_ids.quantity = 0.2
        credit_note.invoice_date = cls.today
        credit_note.action_post()
        cls._invoice(cls._order(cls.customer, 4000.0, 1600.0, pricelist=foreign_prices))
        cls._order(cls.customer, 1500.0, 500.0)
        cls._order(cls.customer, 700.0, 100.0)._action_cancel()
        cls._order(cls.customer, 800.0, 100.0, days_ago=400)

    @classmethod
    def _order(cls, partner, price, cost, pricelist=None, days_ago=0):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.salesperson.id,
                "pricelist_id": pricelist.id if pricelist else False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": price,
                            "purchase_price": cost,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.combine(cls.today - timedelta(days=days_ago), time(10))
        return order

    @classmethod
    def _invoice(cls, order):
        invoice = order._create_invoices()
        invoice.invoice_date = cls.today
        invoice.action_post()
        return invoice

    def _figures(self, source):
        """(revenue, margin) of the customer for the twelve months up to today, screen by screen."""
        self.env["ir.config_parameter"].set_param("crm_relationship.portfolio_revenue_source", source)
        first_day = self.today + timedelta(days=1) - relativedelta(months=12)

        self.env["crm.customer.value"]._refresh(companies=self.company, partner_ids=self.customer.ids, today=self.today)
        dossier = self.customer.with_company(self.company)
        self.customer.invalidate_recordset()

        analysis = self.env["crm.portfolio.analysis"].create(
            {"company_id": self.company.id, "date": self.today, "period_months": 12, "revenue_source": source}
        )
        analysis.action_compute()
        line = analysis.line_ids.filtered(lambda line: line.partner_id == self.customer)

        plan = self.env["crm.key.account.plan"].create(
            {"partner_id": self.customer.id, "date_start": first_day, "date_end": self.today, "revenue_source": source}
        )
        revenue_objective, margin_objective = self.env["crm.key.account.objective"].create(
            [
                {"plan_id": plan.id, "name": "Revenue", "measure": "revenue", "target": 1},
                {"plan_id": plan.id, "name": "Margin", "measure": "margin", "target": 1},
            ]
        )
        review = self.env["crm.key.account.review"]._freeze(plan)
        plan.action_close()

        [(sales_measures_revenue,)] = self.env["crm.sales.measure.report"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("user_id", "=", self.salesperson.id),
                ("date", ">=", first_day),
                ("date", "<=", self.today),
            ],
            [],
            ["revenue:sum"],
        )

        estimate = self.env["crm.wallet.estimate"].create(
            {"partner_id": self.customer.id, "year": self.today.year, "estimated_total_spend": 100000.0}
        )
        return {
            "dossier": (dossier.value_revenue, dossier.value_margin),
            "portfolio line": (line.revenue, line.margin),
            "key-account objectives": (revenue_objective.actual, margin_objective.actual),
            "key-account review": (review.revenue, margin_objective.actual),
            "sales measures": (sales_measures_revenue, None),
            "share of wallet": (estimate.our_revenue, None),
        }

    def _assert_everywhere(self, source, revenue, margin):
        figures = self._figures(source)
        self.assertEqual(
            {screen: revenue_and_margin[0] for screen, revenue_and_margin in figures.items()},
            dict.fromkeys(figures, revenue),
            f"revenue, source {source}",
        )
        margins = {screen: pair[1] for screen, pair in figures.items() if pair[1] is not None}
        self.assertEqual(margins, dict.fromkeys(margins, margin), f"gross margin, source {source}")

    def test_confirmed_orders_net_of_credit_notes_give_one_revenue_everywhere(self):
        self._assert_everywhere("orders", 11500.0, 5400.0)

    def test_posted_invoices_net_of_credit_notes_give_one_revenue_everywhere(self):
        self._assert_everywhere("invoices", 10000.0, 4400.0)
