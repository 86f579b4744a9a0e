from odoo.addons.crm_relationship.tests.dashboard_journey import DashboardJourneyCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestKeyAccountsDashboardJourney(DashboardJourneyCase):
    def test_a_key_account_manager_reads_the_key_accounts_dashboard(self):
        env = self.env(user=self.env.ref("base.user_admin"))
        open_plans = env["crm.key.account.plan"].search([("state", "!=", "closed")])
        self.assertTrue(open_plans, "there are key-account plans to follow")
        expected = {
            "Open plans": len(open_plans),
            "Attainment (%)": sum(open_plans.mapped("attainment")) / len(open_plans),
            "Neglected decision makers": env["crm.key.account.stakeholder"].search_count([("neglected", "=", True)]),
        }
        figures = self.open_dashboard("crm_key_accounts_dashboard_screen", "dashboard_key_accounts")
        self.assertFigures(figures, expected)
