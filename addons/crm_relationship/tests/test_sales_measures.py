from odoo.tests import tagged

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
