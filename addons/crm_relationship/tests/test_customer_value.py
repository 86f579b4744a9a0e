from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestCustomerValue(RelationshipCase):
    def test_orders_of_a_contact_count_on_the_company(self):
        self.place_order(self.contact, 1000.0, cost=600.0)
        self.place_order(self.customer, 500.0, cost=300.0)
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        self.assertEqual(value.revenue, 1500.0)
        self.assertEqual(value.order_count, 2)
        self.assertEqual(value.average_order_value, 750.0)
        self.assertEqual(value.margin, 600.0)
        self.assertFalse(self.value_of(self.contact), "a contact person has no value line of its own")
        self.assertEqual(self.contact.value_revenue, 1500.0, "the contact's form shows its company's figures")

    def test_foreign_currency_order_is_converted_at_the_order_rate(self):
        foreign = self.env["res.currency"].create({"name": "NWC", "symbol": "N$", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"name": self.days_ago(40), "rate": 2.0, "currency_id": foreign.id, "company_id": self.company.id}
        )
        self.env["res.currency.rate"].create(
            {"name": self.days_ago(5), "rate": 4.0, "currency_id": foreign.id, "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "NWC prices", "currency_id": foreign.id})
        self.place_order(self.customer, 1000.0, cost=400.0, days_ago=20, pricelist=pricelist)
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        # 2 NWC per company unit on the order's date, not the 4 of today
        self.assertEqual(value.revenue, 500.0)
        self.assertEqual(value.margin, 300.0)

    def test_cancelled_order_is_ignored(self):
        self.place_order(self.customer, 1000.0, cost=600.0)
        cancelled = self.place_order(self.customer, 700.0, cost=100.0)
        cancelled._action_cancel()
        self.place_order(self.customer, 900.0, confirm=False)  # a quotation is no revenue either
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        self.assertEqual(value.revenue, 1000.0)
        self.assertEqual(value.order_count, 1)

    def test_refund_reduces_revenue(self):
        self.place_order(self.customer, 1000.0, cost=600.0)
        refunded = self.place_order(self.customer, 400.0, cost=100.0)
        invoice = refunded._create_invoices()
        invoice.invoice_date = self.days_ago(8)
        invoice.action_post()
        credit_note = invoice._reverse_moves()
        credit_note.invoice_date = self.days_ago(3)
        credit_note.action_post()
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        self.assertEqual(value.revenue, 1000.0)
        self.assertEqual(value.order_count, 2)
        # margins 400 + 300, less the refunded order's 300: 400 given back on a desk that cost 100
        self.assertEqual(value.margin, 400.0)

    def test_order_before_the_period_is_excluded_but_dates_the_last_order(self):
        self.place_order(self.customer, 800.0, days_ago=400)
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        self.assertEqual(value.revenue, 0.0)
        self.assertEqual(value.order_count, 0)
        self.assertEqual(value.last_order_date, self.days_ago(400))

    def test_net_profit_and_profitability(self):
        self.place_order(self.customer, 50000.0, cost=40000.0)
        self.book_cost(self.customer, 1500.0, "account_management")
        self.book_cost(self.customer, 500.0, "communication_support")
        self.book_cost(self.contact, 300.0, "co_marketing")  # booked on the company
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        self.assertEqual(value.margin, 10000.0)
        self.assertEqual(value.cost_to_serve, 2300.0)
        self.assertEqual(value.net_profit, 7700.0)
        self.assertEqual(value.profitability, "profitable")

        self.book_cost(self.customer, 8000.0, "account_management")
        self.refresh(self.customer)
        self.assertEqual(value.net_profit, -300.0)
        self.assertEqual(value.profitability, "loss_making")
        self.assertEqual(self.customer.value_profitability, "loss_making")
        self.assertIn(self.customer, self.env["res.partner"].search([("value_profitability", "=", "loss_making")]))

    def test_net_margin_under_target_is_below_target(self):
        self.place_order(self.customer, 50000.0, cost=40000.0)
        self.book_cost(self.customer, 2300.0)
        self.env["ir.config_parameter"].set_param("crm_relationship.target_net_margin", "20")
        self.refresh(self.customer)
        # 7,700 net on 50,000 revenue is 15.4 %, under the 20 % target
        self.assertEqual(self.value_of(self.customer).profitability, "below_target")

    def test_cost_outside_the_period_is_not_deducted(self):
        self.place_order(self.customer, 1000.0, cost=500.0)
        self.book_cost(self.customer, 200.0, days_ago=500)
        self.refresh(self.customer)
        self.assertEqual(self.value_of(self.customer).cost_to_serve, 0.0)

    def test_extra_cost_sources_are_added(self):
        self.place_order(self.customer, 1000.0, cost=500.0)
        Value = type(self.Value)
        original = Value._get_extra_costs

        def extra_costs(model, company, date_from, date_to, partner_ids=None):
            costs = original(model, company, date_from, date_to, partner_ids)
            costs[self.customer.id] = costs.get(self.customer.id, 0.0) + 120.0
            return costs

        # an override as a leaf module would write it, installed for this test only
        self.patch(Value, "_get_extra_costs", extra_costs)
        self.refresh(self.customer)
        self.assertEqual(self.value_of(self.customer).cost_to_serve, 120.0)
        self.assertEqual(self.value_of(self.customer).net_profit, 380.0)

    def test_negative_cost_is_refused_by_the_database(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.book_cost(self.customer, -50.0)

    def test_refresh_query_count_does_not_grow_with_customers(self):
        self.place_order(self.customer, 1000.0)
        with self.assertQueryCount(__system__=8):
            self.refresh()
        for index in range(5):
            partner = self.env["res.partner"].create({"name": f"Extra {index}", "is_company": True})
            self.place_order(partner, 100.0 * (index + 1))
        self.env.flush_all()
        with self.assertQueryCount(__system__=8):
            self.refresh()
