from datetime import datetime

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.tests import freeze_time, new_test_user, tagged

MAIL = """From: Nora North <nora@northwind.example>
To: {to}
Subject: {subject}
Message-ID: {message_id}
{thread_headers}Date: {date}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The chairs are blue, we ordered green.
"""
FIRST_ID = "<chairs-1@northwind.example>"


# "Now" is Tuesday 17 November 2026, 15:00 in Brussels (UTC+1): after the mails of the tests.
@freeze_time("2026-11-17 14:00:00")
@tagged("post_install", "-at_install")
class TestComplaintMailIntake(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "quality.example", "bounce_alias": "bounce", "catchall_alias": "catchall"}
        )
        cls.env.company.alias_domain_id = alias_domain
        calendar = cls.env.ref("resource.resource_calendar_std").copy(
            {"name": "Brussels 8-17", "tz": "Europe/Brussels"}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaints desk",
                "resource_calendar_id": calendar.id,
                "alias_name": "complaints",
                "alias_domain_id": alias_domain.id,
                "mail_complaints": True,
            }
        )
        cls.support = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Support",
                "resource_calendar_id": calendar.id,
                "alias_name": "support",
                "alias_domain_id": alias_domain.id,
            }
        )
        cls.agent = new_test_user(
            cls.env,
            login="mail_intake_agent",
            name="Hana Helpdesk",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user,crm_quality_feedback.group_quality_user",
        )

    def _receive(self, to="complaints@quality.example", date="Tue, 17 Nov 2026 08:30:00 -0500", **headers):
        message = MAIL.format(
            to=to,
            subject=headers.get("subject", "Wrong colour delivered"),
            message_id=headers.get("message_id", FIRST_ID),
            thread_headers="".join(
                f"{name}: {headers[key]}\n"
                for key, name in (("in_reply_to", "In-Reply-To"), ("references", "References"))
                if key in headers
            ),
            date=date,
        )
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search([])
        self.env["mail.thread"].message_process(None, message)
        return Ticket.search([]) - before

    def test_mail_to_the_complaint_alias_is_a_complaint_received_at_the_mails_time(self):
        ticket = self._receive()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertTrue(ticket.is_complaint)
        self.assertTrue(ticket.complaint_number.startswith("CMP/"))
        self.assertEqual(ticket.received_via, "mail")
        self.assertEqual(ticket.partner_id, self.contact)
        # 08:30 in New York is 13:30 UTC, 14:30 in Brussels: past the cutoff of the team's calendar
        self.assertEqual(ticket.received_date, datetime(2026, 11, 17, 13, 30))
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 18, 10, 0))  # Wednesday 11:00 in Brussels
        self.assertEqual(ticket.final_deadline, datetime(2026, 11, 20, 16, 0))  # Friday 17:00

    def test_mail_complaint_is_acknowledged_to_the_customer_at_receipt(self):
        ticket = self._receive()
        self.assertEqual(ticket.complaint_step, "acknowledged")
        self.assertEqual(ticket.acknowledged_date, datetime(2026, 11, 17, 14, 0))
        acknowledgement = ticket.message_ids.filtered(lambda m: ticket.complaint_number in (m.subject or ""))
        self.assertEqual(len(acknowledgement), 1)
        self.assertIn(self.contact, acknowledgement.partner_ids)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", acknowledgement.id)])
        self.assertEqual(mails.recipient_ids, self.contact)

    def test_reply_on_a_mail_complaint_is_added_to_it_and_makes_no_new_ticket(self):
        ticket = self._receive()
        reply = self._receive(
            subject="Re: Wrong colour delivered",
            message_id="<chairs-2@northwind.example>",
            in_reply_to=FIRST_ID,
            references=FIRST_ID,
            date="Tue, 17 Nov 2026 08:45:00 -0500",
        )
        self.assertFalse(reply)
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count([("team_id", "=", self.team.id)]),
            1,
        )
        self.assertIn("<chairs-2@northwind.example>", ticket.message_ids.mapped("message_id"))
        self.assertEqual(ticket.received_date, datetime(2026, 11, 17, 13, 30))
        self.assertEqual(ticket.complaint_step, "acknowledged")

    def test_mail_to_an_ordinary_team_is_an_ordinary_ticket(self):
        ticket = self._receive(to="support@quality.example")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.support)
        self.assertFalse(ticket.is_complaint)
        self.assertFalse(ticket.complaint_number)
        self.assertFalse(ticket.first_deadline)
        self.assertFalse(ticket.acknowledged_date)

    def test_mail_dated_in_the_future_is_received_when_it_arrives(self):
        ticket = self._receive(date="Mon, 1 Jan 2046 09:00:00 +0000")
        self.assertEqual(ticket.received_date, datetime(2026, 11, 17, 14, 0))
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 18, 10, 0))

    def test_alias_defaults_cannot_set_what_the_complaint_process_owns(self):
        self.team.alias_id.alias_defaults = str(
            {"team_id": self.team.id, "complaint_step": "closed", "complaint_number": "FORGED"}
        )
        ticket = self._receive()
        self.assertEqual(ticket.complaint_step, "acknowledged")
        self.assertTrue(ticket.complaint_number.startswith("CMP/"))

    def test_turning_a_ticket_into_a_complaint_keeps_its_received_time(self):
        ticket = self._receive(to="support@quality.example")
        # the customer wrote on Tuesday at 10:00 in Brussels; the agent sees it is a complaint at 15:00
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [datetime(2026, 11, 17, 9, 0), ticket.id]
        )
        ticket.invalidate_recordset(["create_date"])
        ticket.with_user(self.agent).action_turn_into_complaint()
        self.assertTrue(ticket.is_complaint)
        self.assertTrue(ticket.complaint_number.startswith("CMP/"))
        self.assertEqual(ticket.complaint_step, "received")
        self.assertEqual(ticket.received_date, datetime(2026, 11, 17, 9, 0))
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 17, 16, 0))  # 17:00 that Tuesday
