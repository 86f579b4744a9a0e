from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Alpha Interiors", "is_company": True})
        cls.customer_b = Partner.create({"name": "Bravo Offices", "is_company": True})
        cls.portal_a = new_test_user(
            cls.env, login="complaint_portal_a", groups="base.group_portal", password="portal_a_pw"
        )
        cls.portal_b = new_test_user(
            cls.env, login="complaint_portal_b", groups="base.group_portal", password="portal_b_pw"
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.complaint_b = cls.env["helpdesk.ticket"].create(
            {
                "name": "Bravo's secret complaint",
                "description": "Only Bravo may read this",
                "partner_id": cls.portal_b.partner_id.id,
                "is_complaint": True,
            }
        )

    def test_a_portal_user_cannot_open_another_customers_complaint(self):
        self.authenticate("complaint_portal_a", "portal_a_pw")
        response = self.url_open(f"/my/ticket/{self.complaint_b.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303, 403))
        self.assertNotIn("Bravo's secret complaint", response.text)
        if response.status_code != 403:
            self.assertTrue(response.headers["Location"].endswith("/my"))
        answer = self.url_open(
            f"/my/complaint/{self.complaint_b.id}/answer",
            data={"satisfaction": "dissatisfied", "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn(answer.status_code, (302, 303, 403))
        self.assertFalse(self.complaint_b.customer_satisfaction, "nothing was written on Bravo's complaint")

    def test_a_portal_user_files_reads_and_answers_his_own_complaint(self):
        self.authenticate("complaint_portal_a", "portal_a_pw")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Scratched table top",
                "description": "Two scratches on delivery",
                "is_complaint": "1",
                "contact_reason": "remedy",
                "remedy_sought": "A new table top",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["helpdesk.ticket"].search([("name", "=", "Scratched table top")])
        self.assertEqual(
            (complaint.is_complaint, complaint.received_via, complaint.contact_reason, complaint.partner_id),
            (True, "portal", "remedy", self.portal_a.partner_id),
        )
        self.assertTrue(complaint.complaint_number)
        page = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertIn(complaint.complaint_number, page.text)

        complaint.write({"complaint_step": "investigated", "remedy_offered": "New table top next week"})
        complaint.action_resolve()
        page = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertIn("o_portal_complaint_answer", page.text)
        self.url_open(
            f"/my/complaint/{complaint.id}/answer",
            data={"satisfaction": "satisfied", "csrf_token": http.Request.csrf_token(self)},
        )
        complaint.invalidate_recordset()
        self.assertEqual((complaint.complaint_step, complaint.customer_satisfaction), ("closed", "satisfied"))
