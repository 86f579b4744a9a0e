from datetime import timedelta

from odoo import Command, fields
from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKeyAccountSelection(RelationshipCase):
    def test_candidates_are_scored_and_confirmed(self):
        company = self.env["res.company"].create({"name": "Selection Co", "currency_id": self.currency.id})
        self.env.user.company_ids |= company
        self.salesman.company_ids |= company  # a key account's manager works for its company
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

    def _company_with_sales(self, name, customers):
        """A company of its own whose customers bought ``(name, price, days ago)``, and its done analysis."""
        company = self.env["res.company"].create({"name": name, "currency_id": self.currency.id})
        self.env.user.company_ids |= company
        for customer_name, price, days_ago in customers:
            partner = self.env["res.partner"].create({"name": customer_name, "is_company": True})
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": price})],
                    }
                )
            )
            order.action_confirm()
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        analysis = self.env["crm.portfolio.analysis"].create({"company_id": company.id})
        analysis.action_compute()
        return company, analysis

    def test_a_director_selects_only_in_his_companies_and_reads_only_his_own_candidates(self):
        company_a, analysis_a = self._company_with_sales("Selection A", [("A Buyer", 5000.0, 10)])
        # company B is full of data: an older first order of the same customer would lift its tenure score
        company_b, analysis_b = self._company_with_sales("Selection B", [("B Buyer", 8000.0, 20)])
        a_buyer = analysis_a.line_ids.filtered("in_matrix").partner_id
        order_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": a_buyer.id,
                    "company_id": company_b.id,
                    "order_line": [Command.create({"product_id": self.product.id, "price_unit": 10.0})],
                }
            )
        )
        order_b.action_confirm()
        order_b.date_order = fields.Datetime.now() - timedelta(days=1000)
        director_a = new_test_user(
            self.env,
            login="selection_director_a",
            groups="crm_key_accounts.group_key_account_director",
            company_id=company_a.id,
            company_ids=[(6, 0, company_a.ids)],
        )
        Selection = self.env["crm.key.account.selection"].with_user(director_a)
        Candidate = self.env["crm.key.account.candidate"]
        counts = (Selection.sudo().search_count([]), Candidate.sudo().search_count([]))

        # the RPC calls of a director of company A: company B's orders, company B's analysis
        with self.assertRaisesRegex(AccessError, "Selection B"):
            Selection.create({"company_id": company_b.id, "analysis_id": analysis_a.id, "threshold": 0})
        with self.assertRaises(UserError):
            Selection.create({"company_id": company_a.id, "analysis_id": analysis_b.id, "threshold": 0})
        self.assertEqual((Selection.sudo().search_count([]), Candidate.sudo().search_count([])), counts)

        # his own company: its customers, scored on its own orders only
        own = Selection.create({"company_id": company_a.id, "analysis_id": analysis_a.id, "threshold": 0})
        own.action_compute()
        self.assertEqual(own.candidate_ids.partner_id, a_buyer)
        self.assertEqual(own.candidate_ids.tenure_score, 0.5, "10 days of buying in company A: 10 / 365.25 / 5")

        # another director's selection and candidates are his creator's only
        other_director = new_test_user(
            self.env,
            login="selection_director_other",
            groups="crm_key_accounts.group_key_account_director",
            company_id=company_a.id,
            company_ids=[(6, 0, company_a.ids)],
        )
        theirs = (
            self.env["crm.key.account.selection"]
            .with_user(other_director)
            .create({"company_id": company_a.id, "analysis_id": analysis_a.id, "threshold": 0})
        )
        theirs.action_compute()
        self.assertFalse(Selection.search([("id", "=", theirs.id)]))
        self.assertFalse(Candidate.with_user(director_a).search([("selection_id", "=", theirs.id)]))
        with self.assertRaises(AccessError):
            theirs.with_user(director_a).read(["threshold"])
        with self.assertRaises(AccessError):
            theirs.candidate_ids.with_user(director_a).action_confirm()
        self.assertEqual(a_buyer.service_tier, "standard", "nothing confirmed")
