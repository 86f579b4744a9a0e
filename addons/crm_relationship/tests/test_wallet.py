from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestShareOfWallet(RelationshipCase):
    def test_share_of_wallet_is_our_revenue_of_the_year_against_the_estimate(self):
        year = self.today.year
        self.place_order(self.contact, 1500.0, days_ago=0)
        self.place_order(self.customer, 1000.0, days_ago=0)
        estimate = self.env["crm.wallet.estimate"].create(
            {
                "partner_id": self.customer.id,
                "year": year,
                "estimated_total_spend": 10000.0,
                "competitor_line_ids": [
                    (
                        0,
                        0,
                        {
                            "competitor_id": self.env["res.partner"].create({"name": "Rival"}).id,
                            "estimated_amount": 6000.0,
                        },
                    )
                ],
            }
        )
        self.assertEqual(estimate.our_revenue, 2500.0)
        self.assertEqual(estimate.share_of_wallet, 25.0)
        self.assertEqual(estimate.competitor_share, 60.0)

    def test_one_estimate_per_customer_and_year(self):
        vals = {"partner_id": self.customer.id, "year": 2025, "estimated_total_spend": 100.0}
        self.env["crm.wallet.estimate"].create(vals)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["crm.wallet.estimate"].create(vals)

    def test_estimate_must_be_positive(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["crm.wallet.estimate"].create(
                {"partner_id": self.customer.id, "year": 2025, "estimated_total_spend": 0.0}
            )
