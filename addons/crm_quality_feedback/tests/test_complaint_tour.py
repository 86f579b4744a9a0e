from odoo.addons.crm_relationship.tests.tours import JourneyCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestComplaintJourneys(JourneyCase):
    def test_take_a_complaint_from_receipt_to_closure(self):
        complaint = self.env.ref("crm_quality_feedback.demo_complaint_phone")
        self.assertEqual(complaint.complaint_step, "received")
        self.start_journey(
            f"/odoo/helpdesk.ticket/{complaint.id}",
            "crm_quality_complaint_receipt_to_closure",
            login="admin",
            screenshot="complaint_closed",
        )
        self.assertEqual(complaint.complaint_step, "closed")
        self.assertTrue(complaint.acknowledged_date and complaint.resolved_date and complaint.closed_complaint_date)
        self.assertEqual((complaint.severity, complaint.complexity), ("2", "1"))
        self.assertTrue(complaint.follow_up_done)
        self.assertEqual(complaint.customer_satisfaction, "satisfied")
        self.assertTrue(complaint.stage_id.closed, "the helpdesk stage follows the closure")
        self.assertIn(
            f"We have received your complaint {complaint.complaint_number}",
            complaint.message_ids.mapped("subject"),
            "the acknowledgement was sent from the form",
        )

    def test_a_portal_user_files_a_complaint(self):
        portal_user = self.env.ref("base.demo_user0")
        self.start_journey(
            "/new/ticket", "crm_quality_portal_files_complaint", login="portal", screenshot="portal_complaint"
        )
        complaint = self.env["helpdesk.ticket"].search([("name", "=", "Tour: chairs delivered in the wrong colour")])
        self.assertEqual(len(complaint), 1)
        self.assertTrue(complaint.is_complaint)
        self.assertTrue(complaint.complaint_number)
        self.assertEqual(
            (complaint.received_via, complaint.contact_reason, complaint.complaint_step),
            ("portal", "remedy", "received"),
        )
        self.assertEqual(complaint.remedy_sought, "Exchange them this week.")
        self.assertEqual(complaint.partner_id, portal_user.partner_id)
        self.assertTrue(complaint.first_deadline, "the cutoff SLA applies from receipt")
