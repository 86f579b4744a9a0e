from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


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
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Portal desk", "show_in_portal": True})
        cls.cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.ticket_a = cls.env["helpdesk.ticket"].create(
            {"name": "Alpha's question", "description": "x", "partner_id": cls.portal_a.partner_id.id}
        )
        cls.ticket_b = cls.env["helpdesk.ticket"].create(
            {"name": "Bravo's question", "description": "x", "partner_id": cls.portal_b.partner_id.id}
        )
        cls.complaint_a = cls.env["helpdesk.ticket"].create(
            {
                "name": "Alpha's own complaint",
                "description": "x",
                "partner_id": cls.portal_a.partner_id.id,
                "is_complaint": True,
            }
        )
        cls.complaint_b = cls.env["helpdesk.ticket"].create(
            {
                "name": "Bravo's secret complaint",
                "description": "Only Bravo may read this",
                "partner_id": cls.portal_b.partner_id.id,
                "is_complaint": True,
            }
        )

    def _snapshot(self, *tickets):
        self.env.invalidate_all()
        return [
            (t.stage_id.id, t.closed_date, t.complaint_step, len(t.message_ids), t.customer_satisfaction)
            for t in tickets
        ]

    def _close(self, ticket, stage, method="POST"):
        data = {"ticket_id": ticket.id, "stage_id": stage.id}
        if method == "GET":
            return self.url_open(f"/ticket/close?ticket_id={ticket.id}&stage_id={stage.id}", allow_redirects=False)
        return self.url_open(
            "/ticket/close", data=dict(data, csrf_token=http.Request.csrf_token(self)), allow_redirects=False
        )

    @mute_logger("odoo.http")
    def test_a_get_request_cannot_cancel_another_customers_complaint(self):
        """The measured attack: one GET moved Bravo's complaint to Cancelled and mailed Bravo."""
        before = self._snapshot(self.complaint_b, self.ticket_b)
        self.authenticate("complaint_portal_a", "portal_a_pw")
        response = self._close(self.complaint_b, self.cancelled, method="GET")
        self.assertEqual(response.status_code, 405, "state changes are POST only")
        for ticket in (self.complaint_b, self.ticket_b):
            response = self._close(ticket, self.cancelled)
            self.assertEqual((response.status_code, response.headers.get("Location", "").endswith("/my")), (303, True))
        self.assertEqual(self._snapshot(self.complaint_b, self.ticket_b), before)

    @mute_logger("odoo.http")
    def test_a_customer_cannot_close_his_own_complaint_from_the_portal(self):
        before = self._snapshot(self.complaint_a)
        self.authenticate("complaint_portal_a", "portal_a_pw")
        page = self.url_open(f"/my/ticket/{self.complaint_a.id}")
        self.assertNotIn("/ticket/close", page.text, "no closing buttons on a complaint")
        for stage in (self.cancelled, self.done):
            response = self._close(self.complaint_a, stage)
            self.assertEqual(response.status_code, 400)
            self.assertIn("cannot be closed or cancelled from the portal", response.text)
        self.assertEqual(self._snapshot(self.complaint_a), before)

    @mute_logger("odoo.http")
    def test_a_customer_closes_his_own_ticket_only_into_a_closing_stage_of_its_team(self):
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Other desk"})
        foreign_stage = self.env["helpdesk.ticket.stage"].create(
            {
                "name": "Other desk closed",
                "closed": True,
                "close_from_portal": True,
                "team_ids": [(6, 0, other_team.ids)],
            }
        )
        not_from_portal = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        before = self._snapshot(self.ticket_a)
        self.authenticate("complaint_portal_a", "portal_a_pw")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertIn('action="/ticket/close"', page.text)
        self.assertNotIn('method="GET"', page.text)
        self.assertEqual(page.text.count('<form method="POST"'), 2, "Done and Cancelled, posted with their CSRF token")
        for stage in (foreign_stage, not_from_portal):
            self.assertEqual(self._close(self.ticket_a, stage).status_code, 400)
        self.assertEqual(self._snapshot(self.ticket_a), before)
        response = self._close(self.ticket_a, self.done)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.ticket_a.stage_id, self.done, "his own ticket, a closing stage of its team")

    @mute_logger("odoo.http")
    def test_a_follower_or_a_token_does_not_open_another_customers_ticket(self):
        self.complaint_b.message_subscribe(partner_ids=self.portal_a.partner_id.ids)
        token = self.complaint_b._portal_ensure_token()
        before = self._snapshot(self.complaint_b)
        self.authenticate("complaint_portal_a", "portal_a_pw")
        for url in (f"/my/ticket/{self.complaint_b.id}", f"/my/ticket/{self.complaint_b.id}?access_token={token}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertNotIn("secret complaint", response.text)
        attachment = self.env["ir.attachment"].create(
            {
                "name": "bravo-invoice.txt",
                "raw": b"Bravo's prices",
                "res_model": "helpdesk.ticket",
                "res_id": self.complaint_b.id,
            }
        )
        download = self.url_open(f"/web/content/{attachment.id}", allow_redirects=False)
        self.assertIn(download.status_code, (403, 404))
        self.assertNotIn("Bravo's prices", download.text)
        listing = self.url_open("/my/tickets")
        self.assertNotIn("secret complaint", listing.text)
        self.assertIn("own complaint", listing.text)
        with self.assertRaisesRegex(JsonRpcException, "NotFound"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": self.complaint_b.id,
                    "post_data": {"body": "I cancel this", "message_type": "comment"},
                    "token": token,
                },
            )
        self.assertEqual(self._snapshot(self.complaint_b), before)

    @mute_logger("odoo.http")
    def test_a_ticket_is_filed_only_into_the_users_own_company(self):
        company_b = self.env["res.company"].create({"name": "Portal Company B"})
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "Desk of B", "company_id": company_b.id, "show_in_portal": True}
        )
        category_b = self.env["helpdesk.ticket.category"].create({"name": "B only", "company_id": company_b.id})
        self.env.company.helpdesk_mgmt_portal_select_team = True
        count = self.env["helpdesk.ticket"].search_count([])
        self.authenticate("complaint_portal_a", "portal_a_pw")
        for garbage in ({"team": team_b.id}, {"category": category_b.id}, {"category": "abc"}, {"team": "1 OR 1=1"}):
            response = self.url_open(
                "/submitted/ticket",
                data=dict(
                    {"subject": "Into B", "description": "x", "csrf_token": http.Request.csrf_token(self)}, **garbage
                ),
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 400, garbage)
            self.assertIn("choose one from the list", response.text)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count, "no ticket was filed")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Into my team",
                "description": "x",
                "team": self.team.id,
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302)
        filed = self.env["helpdesk.ticket"].search([("name", "=", "Into my team")])
        self.assertEqual((filed.team_id, filed.company_id), (self.team, self.env.company))

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

        complaint.write({"complaint_step": "investigated", "remedy_offered": "New table top next week"})  # as superuser
        complaint.action_resolve()
        page = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertIn("o_portal_complaint_answer", page.text)
        self.url_open(
            f"/my/complaint/{complaint.id}/answer",
            data={"satisfaction": "satisfied", "csrf_token": http.Request.csrf_token(self)},
        )
        complaint.invalidate_recordset()
        self.assertEqual((complaint.complaint_step, complaint.customer_satisfaction), ("closed", "satisfied"))

    def test_the_deadline_shows_in_the_customers_time_zone_without_seconds(self):
        calendar = self.env.ref("resource.resource_calendar_std").copy({"name": "Brussels", "tz": "Europe/Brussels"})
        self.team.resource_calendar_id = calendar
        self.customer_a.tz = "Asia/Shanghai"
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Wobbly chair",
                "description": "x",
                "partner_id": self.portal_a.partner_id.id,
                "team_id": self.team.id,
                "is_complaint": True,
                "received_date": "2026-11-17 09:00:00",  # 10:00 in Brussels: due 17:00 there, 16:00 UTC
            }
        )
        self.assertEqual(str(complaint.first_deadline), "2026-11-17 16:00:00")
        self.authenticate("complaint_portal_a", "portal_a_pw")
        page = self.url_open(f"/my/ticket/{complaint.id}").text
        self.assertIn("11/18/2026 00:00</span>", page, "midnight in Shanghai, without seconds")
        self.assertIn("(Asia/Shanghai)", page)
        self.assertNotIn("11/17/2026 16:00:00", page)
