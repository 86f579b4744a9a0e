from odoo.addons.crm_relationship.tests.dashboard_journey import DashboardJourneyCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestQualityDashboardJourney(DashboardJourneyCase):
    def test_a_quality_user_reads_the_quality_dashboard(self):
        env = self.env(user=self.env.ref("base.user_admin"))
        complaints = env["helpdesk.ticket"].search([("is_complaint", "=", True)])
        # the dashboard's SLA figures are the external customers' (the internal ones have their own target)
        resolved = complaints.filtered(
            lambda complaint: (
                complaint.resolved_date and complaint.received_date and complaint.customer_kind == "external"
            )
        )
        self.assertTrue(resolved, "some complaints have an SLA outcome")
        expected = {
            "Complaints": len(complaints),
            "Open complaints": len(complaints.filtered(lambda complaint: complaint.complaint_step != "closed")),
            "On time (%)": 100.0 * len(resolved.filtered("on_time")) / len(resolved),
            "Cost of quality": sum(env["crm.quality.cost"].search([]).mapped("amount")),
        }
        figures = self.open_dashboard("crm_quality_dashboard_screen", "dashboard_quality")
        self.assertFigures(figures, expected)
