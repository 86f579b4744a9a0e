from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestKeyAccountSelection(RelationshipCase):
    def test_candidates_are_scored_and_confirmed(self):
        company = self.env["res.company"].create({"name": "Selection Co", "currency_id": self.currency.id})
        self.env.user.company_ids |= company
        big = self.env["res.partner"].create(
            {"name": "Big Buyer", "is_company": True, "key_account_potential": "5", "competitor_threat": "5"}
        )
        small = self.env["res.partner"].create({"name": "Small Buyer", "is_company": True})
        for partner, price in ((big, 9000.0), (small, 1000.0)):
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [
                            (0, 0, {"product_id": self.product.id, "price_unit": price, "purchase_price": price / 2})
                        ],
                    }
                )
            )
            order.action_confirm()
        analysis = self.env["crm.portfolio.analysis"].create({"company_id": company.id})
        analysis.action_compute()
        selection = (
            self.env["crm.key.account.selection"]
            .with_company(company)
            .create({"company_id": company.id, "analysis_id": analysis.id, "threshold": 50})
        )
        selection.action_compute()
        # Big: revenue 100, margin 100, growth 100 (new), tenure 0, potential 100, threat 100 -> 85
        self.assertEqual(selection.candidate_ids.partner_id, big)
        self.assertAlmostEqual(selection.candidate_ids.score, 85.0, places=1)
        selection.candidate_ids.manager_id = self.salesman
        selection.candidate_ids.action_confirm()
        self.assertEqual(big.service_tier, "key")
        self.assertEqual(big.key_account_manager_id, self.salesman)
        plan = self.env["crm.key.account.plan"].search([("partner_id", "=", big.id)])
        self.assertEqual((plan.state, plan.user_id), ("manager_appointed", self.salesman))
        self.assertEqual(small.service_tier, "standard")
