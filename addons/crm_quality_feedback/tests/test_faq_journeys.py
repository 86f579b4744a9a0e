from datetime import timezone
from email.utils import format_datetime

from odoo import fields
from odoo.addons.crm_relationship.tests.tours import JourneyCase
from odoo.tests import TransactionCase, new_test_user, tagged

from .faq_common import PORTAL_LOGIN, setup_faq

MAIL = """From: Nora North <nora@northwind.example>
To: complaints@faq-quality.example
Subject: Desk wobbles since the move
Message-ID: <desk-wobble-1@northwind.example>
Date: {date}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The desk wobbles on our new floor.
"""


@tagged("post_install", "-at_install")
class TestFaqJourneys(JourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_faq(cls)

    def test_a_customer_sees_an_faq_answer_and_files_his_complaint_anyway(self):
        self.start_journey(
            "/new/ticket",
            "crm_quality_portal_faq_then_complaint",
            login=PORTAL_LOGIN,
            screenshot="portal_faq_complaint",
        )
        complaint = self.env["helpdesk.ticket"].search([("name", "=", "Tour: the chair height lever is stuck")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(
            (complaint.is_complaint, complaint.received_via, complaint.contact_reason, complaint.complaint_step),
            (True, "portal", "problem", "received"),
        )
        self.assertEqual((complaint.partner_id, complaint.company_id), (self.portal_user.partner_id, self.company))
        self.assertFalse(complaint.faq_entry_id, "filed anyway: not answered by the FAQ")


@tagged("post_install", "-at_install")
class TestFaqMailComplaint(TransactionCase):
    """A complaint that arrives by mail is answered by a published FAQ entry and counted so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "faq-quality.example", "bounce_alias": "bounce", "catchall_alias": "catchall"}
        )
        cls.env.company.alias_domain_id = alias_domain
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Mailed complaints",
                "alias_name": "complaints",
                "alias_domain_id": alias_domain.id,
                "mail_complaints": True,
            }
        )
        cls.agent = new_test_user(cls.env, login="faq_mail_agent", groups="helpdesk_mgmt.group_helpdesk_user")
        cls.entry = cls.env["crm.faq.entry"].create(
            {
                "name": "Why does my desk wobble on a new floor?",
                "answer": "<p>Turn the levelling feet until all four touch the floor.</p>",
            }
        )
        cls.entry.action_review()
        cls.entry.action_publish()

    def test_a_mailed_complaint_is_answered_by_faq_and_counted(self):
        sent = fields.Datetime.now().replace(microsecond=0)
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search([])
        self.env["mail.thread"].message_process(
            None, MAIL.format(date=format_datetime(sent.replace(tzinfo=timezone.utc), usegmt=True))
        )
        complaint = Ticket.search([]) - before
        self.assertEqual(len(complaint), 1)
        self.assertEqual(
            (complaint.team_id, complaint.is_complaint, complaint.received_via, complaint.received_date),
            (self.team, True, "mail", sent),
        )
        self.assertEqual(complaint.complaint_step, "acknowledged", "acknowledged at once")
        complaint.with_user(self.agent)._answer_by_faq(self.entry)
        self.assertEqual((complaint.complaint_step, complaint.faq_entry_id), ("closed", self.entry))
        self.env.flush_all()
        row = self.env["crm.complaint.sla.report"].search([("ticket_id", "=", complaint.id)])
        self.assertEqual((row.complaints, row.faq_answered, row.on_time_count), (1, 1, 1))
