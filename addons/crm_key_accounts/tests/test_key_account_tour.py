from dateutil.relativedelta import relativedelta

from odoo.addons.crm_relationship.tests.tours import JourneyCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestKeyAccountJourney(JourneyCase):
    def test_create_a_plan_and_add_an_objective(self):
        customer = self.env["res.partner"].search([("name", "=", "Harbour Office Group")], limit=1)
        self.assertTrue(customer, "a customer of the demo story")
        self.assertFalse(self.env["crm.key.account.plan"].search([("partner_id", "=", customer.id)]))
        self.start_journey(
            "/odoo/action-crm_key_accounts.action_crm_key_account_plan",
            "crm_key_accounts_plan_with_objective",
            login="admin",
            screenshot="key_account_plan",
        )
        plan = self.env["crm.key.account.plan"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.state, "identify", "a new plan starts by identifying the relationship")
        self.assertEqual(plan.objective_ids.mapped("name"), ["Double the fit-out revenue"])
        self.assertEqual((plan.objective_ids.measure, plan.objective_ids.target), ("revenue", 90000.0))
        orders = self.env["sale.order"].search(
            [
                ("partner_id", "child_of", customer.id),
                ("state", "=", "sale"),
                ("date_order", ">=", plan.date_start),
                ("date_order", "<", plan.date_end + relativedelta(days=1)),
            ]
        )
        self.assertTrue(orders, "the demo customer ordered during the plan's year")
        self.assertAlmostEqual(
            plan.objective_ids.actual,
            sum(orders.mapped("amount_untaxed")),
            places=2,
            msg="the new objective shows its actual from real orders at once",
        )

    def test_the_attainment_pivot_shows_plans_by_manager_and_customer(self):
        self.assertTrue(self.env["crm.key.account.plan"].search_count([]), "the plans of the demo story")
        self.start_journey(
            "/odoo/action-crm_key_accounts.action_crm_key_account_plan_attainment",
            "crm_key_accounts_attainment_pivot",
            login="admin",
            screenshot="key_account_attainment",
        )
