from odoo.tests import tagged

from .dashboard_journey import DashboardJourneyCase


@tagged("post_install", "-at_install")
class TestRelationshipDashboardJourney(DashboardJourneyCase):
    def test_a_relationship_user_reads_the_relationship_dashboard(self):
        env = self.env(user=self.env.ref("base.user_admin"))
        latest = env["crm.portfolio.analysis"].search([("state", "=", "done")], limit=1)
        lines = env["crm.portfolio.line"].search([("analysis_id", "=", latest.id), ("in_matrix", "=", True)])
        self.assertTrue(lines, "a finished analysis classifies customers")
        expected = {
            "Customers classified": len(lines),
            "Revenue, latest analysis": sum(lines.mapped("revenue")),
            "Customers at risk": env["res.partner"].search_count([("lifecycle_stage", "=", "at_risk")]),
            "Loss-making customers": env["crm.customer.value"].search_count([("profitability", "=", "loss_making")]),
        }
        figures = self.open_dashboard("crm_relationship_dashboard_screen", "dashboard_relationship")
        self.assertFigures(figures, expected)
