from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestSalesMeasures(RelationshipCase):
    def test_measures_per_salesperson(self):
        Lead = self.env["crm.lead"]
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        unmet = self.env["crm.lost.reason"].create({"name": "Out of stock", "unmet_demand": True})
        price = self.env["crm.lost.reason"].create({"name": "Price", "unmet_demand": False})
        leads = Lead.create([{"name": f"Inquiry {i}", "user_id": self.salesman.id} for i in range(5)])
        leads[0].stage_id = won_stage
        leads[1].action_set_lost(lost_reason_id=unmet.id)
        leads[2].action_set_lost(lost_reason_id=price.id)

        self.place_order(self.customer, 1000.0, days_ago=10)  # accepted offer
        sent = self.place_order(self.customer, 500.0, confirm=False, days_ago=5)
        sent.action_quotation_sent()
        rejected = self.place_order(self.customer, 800.0, confirm=False, days_ago=5)
        rejected._action_cancel()
        self.place_order(self.customer, 300.0, days_ago=120)  # previous period: retained customer
        lapsed = self.env["res.partner"].create({"name": "Lapsed Ltd", "is_company": True})
        self.place_order(lapsed, 300.0, days_ago=100)  # previous period only

        self.env["crm.contact.log"].with_user(self.salesman).create(
            {"partner_id": self.customer.id, "channel": "phone", "summary": "Follow-up"}
        )
        measure = self.env["crm.sales.measure"].create({"date_from": self.days_ago(89), "date_to": self.today})
        measure.action_compute()
        line = measure.line_ids.filtered(lambda row: row.user_id == self.salesman)
        self.assertEqual(line.inquiries, 5)
        self.assertEqual(line.inquiries_converted, 1)
        self.assertEqual(line.inquiry_conversion, 20.0)
        self.assertEqual(line.inquiries_unmet, 1)
        self.assertEqual(line.demand_satisfaction, 80.0)
        self.assertEqual(line.offers, 3)
        self.assertEqual(line.offers_accepted, 1)
        self.assertEqual(line.offer_acceptance, 33.3)
        self.assertEqual(line.revenue, 1000.0)
        self.assertEqual(line.contacts, 1)
        self.assertEqual((line.customers_previous, line.customers_retained), (2, 1))
        self.assertEqual(line.retention, 50.0)

    def test_a_manager_computes_only_his_companies_and_reads_only_his_own_measures(self):
        company_b = self.env["res.company"].create({"name": "Measures Company B", "currency_id": self.currency.id})
        seller_b = new_test_user(
            self.env,
            login="measure_seller_b",
            groups="sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        customer_b = self.env["res.partner"].create({"name": "B Buyer", "is_company": True, "company_id": company_b.id})
        for price in (7000.0, 2000.0):  # company B is full of data: orders, leads, contacts
            order = (
                self.env["sale.order"]
                .with_company(company_b)
                .create(
                    {
                        "partner_id": customer_b.id,
                        "company_id": company_b.id,
                        "user_id": seller_b.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": price})],
                    }
                )
            )
            order.action_confirm()
        self.env["crm.lead"].create({"name": "B inquiry", "user_id": seller_b.id, "company_id": company_b.id})
        self.env["crm.contact.log"].create(
            {"partner_id": customer_b.id, "summary": "B call", "company_id": company_b.id, "user_id": seller_b.id}
        )
        self.place_order(self.customer, 1000.0, days_ago=10)
        manager_a = new_test_user(
            self.env,
            login="measure_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        Measure = self.env["crm.sales.measure"].with_user(manager_a)
        Line = self.env["crm.sales.measure.line"]
        period = {"date_from": self.days_ago(89), "date_to": self.today}
        counts = (Measure.sudo().search_count([]), Line.sudo().search_count([]))

        # the RPC calls of a manager of company A asking for company B's figures
        with self.assertRaisesRegex(AccessError, "Measures Company B"):
            Measure.create(dict(period, company_id=company_b.id)).action_compute()
        own = Measure.create(period)
        with self.assertRaisesRegex(AccessError, "Measures Company B"):
            own.write({"company_id": company_b.id})
        self.assertEqual((Measure.sudo().search_count([]), Line.sudo().search_count([])), (counts[0] + 1, counts[1]))

        # his own company: only its figures
        own.action_compute()
        self.assertEqual(own.company_id, self.company)
        self.assertEqual(own.line_ids.filtered(lambda row: row.user_id == self.salesman).revenue, 1000.0)
        self.assertNotIn(seller_b, own.line_ids.user_id)

        # another manager's measures and lines are his creator's only
        theirs = self.env["crm.sales.measure"].with_user(self.sales_manager).create(period)
        theirs.action_compute()
        self.assertTrue(theirs.line_ids)
        self.assertFalse(Measure.search([("id", "=", theirs.id)]))
        self.assertFalse(Line.with_user(manager_a).search([("measure_id", "=", theirs.id)]))
        with self.assertRaises(AccessError):
            theirs.with_user(manager_a).read(["date_from"])
        with self.assertRaises(AccessError):
            theirs.line_ids.with_user(manager_a).read(["revenue"])
        with self.assertRaises(AccessError):
            theirs.with_user(manager_a).action_compute()
        self.assertEqual(
            theirs.line_ids.filtered(lambda row: row.user_id == self.salesman).revenue, 1000.0, "theirs untouched"
        )
