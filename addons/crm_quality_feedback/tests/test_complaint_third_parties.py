"""Contacts with third parties a complaint waited for: the record, its rules, the chatter, the
time waited and the part of a late answer spent waiting, and who may read them.

The team works Brussels office hours (08:00-12:00, 13:00-17:00, UTC+1 in November). A complaint
received on Tuesday 17 November 2026 at 15:00 (14:00 UTC), after the cutoff, is due on
Wednesday at 11:00 (10:00 UTC). Times below are UTC."""

from contextlib import contextmanager
from datetime import datetime

from psycopg2 import IntegrityError

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger


def utc(day, hour):
    return datetime(2026, 11, day, hour, 0)


@tagged("post_install", "-at_install")
class TestComplaintThirdParties(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env.ref("resource.resource_calendar_std").copy({"name": "Brussels", "tz": "Europe/Brussels"})
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Third-party desk", "resource_calendar_id": calendar.id}
        )
        cls.agent = new_test_user(
            cls.env, login="third_party_agent", name="Ada Agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.portal = new_test_user(cls.env, login="third_party_portal", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer
        cls.supplier = cls.env["res.partner"].create({"name": "Nordic Fabrics", "is_company": True})
        cls.carrier = cls.env["res.partner"].create({"name": "SwiftFreight", "is_company": True})
        cls.company_b = cls.env["res.company"].create({"name": "Third-party Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="third_party_user_b",
            groups="crm_quality_feedback.group_quality_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    @contextmanager
    def refused(self, exception, message):
        """The call raises ``exception`` with ``message``, and what it wrote is rolled back (as the
        RPC request's transaction would be)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), message)

    def _complaint(self, **values):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Seams torn on the new chairs",
                    "description": "<p>The seams tore within a week.</p>",
                    "partner_id": self.portal.partner_id.id,
                    "team_id": self.team.id,
                    "user_id": self.agent.id,
                    "is_complaint": True,
                    "received_date": utc(17, 14),
                },
                **values,
            )
        )

    def _ask(self, complaint, party, asked, answered=None, user=None, **values):
        Contact = self.env["crm.complaint.third.party.contact"].with_user(user or self.agent)
        return Contact.create(
            dict(
                {
                    "ticket_id": complaint.id,
                    "partner_id": party.id,
                    "request": f"Question to {party.name}",
                    "asked_at": asked,
                    "answered_at": answered,
                },
                **values,
            )
        )

    def _resolve(self, complaint):
        complaint.action_acknowledge()
        complaint.write({"severity": "2", "complexity": "1"})
        complaint.action_assess()
        complaint.action_investigate()
        complaint.write({"remedy_offered": "New covers sewn with the sound fabric"})
        complaint.action_resolve()

    # ------------------------------------------------------------------ the record and the waits

    @freeze_time("2026-11-18 20:00:00")
    def test_waits_from_10_to_14_and_12_to_16_make_the_complaint_wait_6_hours(self):
        complaint = self._complaint()
        self._ask(complaint, self.supplier, utc(18, 10), utc(18, 14))
        self._ask(complaint, self.carrier, utc(18, 12), utc(18, 16), role="carrier")
        self.assertEqual(complaint.third_party_hours, 6.0)
        self.assertEqual(
            complaint.third_party_contact_ids.mapped("answer_hours"), [4.0, 4.0], "each answer took 4 hours"
        )

    @freeze_time("2026-11-18 20:00:00")
    def test_an_unanswered_request_waits_until_now(self):
        complaint = self._complaint()
        contact = self._ask(complaint, self.supplier, utc(18, 15))
        self.assertEqual(complaint.third_party_hours, 5.0)
        self.assertTrue(contact.waiting)
        self.assertEqual(contact.answer_hours, 0.0)

    def test_a_complaint_10_hours_late_of_which_6_waiting_shows_6_hours_and_60_percent(self):
        with freeze_time("2026-11-17 14:00:00"):
            complaint = self._complaint()
        self.assertEqual(complaint.first_deadline, utc(18, 10))  # Wednesday 11:00 in Brussels
        with freeze_time("2026-11-18 20:00:00"):
            self._ask(complaint, self.supplier, utc(18, 10), utc(18, 14))
            self._ask(complaint, self.carrier, utc(18, 12), utc(18, 16), role="carrier")
            self._ask(complaint, self.carrier, utc(17, 15), utc(17, 17), role="carrier")  # before the deadline
            self._resolve(complaint)  # answered Wednesday 21:00 in Brussels: 10 hours late
        self.assertEqual(complaint.resolved_date, utc(18, 20))
        self.assertEqual(complaint.third_party_hours, 8.0, "2 h on Tuesday and 6 h on Wednesday")
        self.assertEqual(complaint.late_third_party_hours, 6.0, "only the waits after the deadline")
        self.env.flush_all()
        row = self.env["crm.complaint.sla.report"].search([("ticket_id", "=", complaint.id)])
        self.assertEqual(
            (row.on_time_count, row.late_hours, row.third_party_late_hours, row.third_party_late_share),
            (0, 10.0, 6.0, 60.0),
        )

    def test_a_complaint_answered_in_time_has_no_late_third_party_hours(self):
        with freeze_time("2026-11-17 14:00:00"):
            complaint = self._complaint()
        with freeze_time("2026-11-18 09:00:00"):
            self._ask(complaint, self.supplier, utc(17, 15), utc(18, 8))
            self._resolve(complaint)
        self.env.flush_all()
        row = self.env["crm.complaint.sla.report"].search([("ticket_id", "=", complaint.id)])
        self.assertEqual(
            (row.on_time_count, row.late_hours, row.third_party_late_hours, row.third_party_late_share),
            (1, 0.0, 0.0, 0.0),
        )
        self.assertEqual(complaint.third_party_hours, 17.0)

    # ------------------------------------------------------------------ the chatter

    @freeze_time("2026-11-18 20:00:00")
    def test_the_chatter_logs_each_contact_and_its_answer_as_internal_notes(self):
        complaint = self._complaint()
        contact = self._ask(complaint, self.supplier, utc(18, 10), request="Which fabric batch is sound?")
        contact.with_user(self.agent).write({"answered_at": utc(18, 13), "answer": "Batch 24-131"})
        notes = complaint.message_ids.filtered(lambda m: "Nordic Fabrics" in (m.body or ""))
        self.assertEqual(len(notes), 2)
        self.assertTrue(all(note.subtype_id == self.env.ref("mail.mt_note") for note in notes))
        self.assertEqual(notes.author_id, self.agent.partner_id)
        bodies = " ".join(notes.mapped("body"))
        self.assertIn("Which fabric batch is sound?", bodies)
        self.assertIn("after 3.0 hours: Batch 24-131", bodies)

    # ------------------------------------------------------------------ the rules

    @freeze_time("2026-11-18 20:00:00")
    def test_an_answer_before_the_question_is_refused_naming_the_fields(self):
        complaint = self._complaint()
        # the database refuses the row; a client is told the constraint's message, naming both fields
        with self.assertRaises(IntegrityError) as refused, mute_logger("odoo.sql_db"):
            self._ask(complaint, self.supplier, utc(18, 14), utc(18, 10))
        constraint = self.env["ir.model.constraint"].search([("name", "=", refused.exception.diag.constraint_name)])
        self.assertEqual(
            constraint.message,
            "Answered At cannot be before Asked At: enter when the third party answered, after it was asked.",
        )
        self.assertFalse(complaint.third_party_contact_ids)
        contact = self._ask(complaint, self.supplier, utc(18, 10))
        with self.refused(ValidationError, "Answered At .* cannot be before Asked At"):
            contact.with_user(self.agent).write({"answered_at": utc(18, 9)})
        self.assertFalse(contact.answered_at)

    @freeze_time("2026-11-18 20:00:00")
    def test_a_contact_in_the_future_is_refused(self):
        complaint = self._complaint()
        with self.refused(ValidationError, "Asked At .* is in the future"):
            self._ask(complaint, self.supplier, utc(18, 21))
        contact = self._ask(complaint, self.supplier, utc(18, 10))
        with self.refused(ValidationError, "Answered At .* is in the future"):
            contact.with_user(self.agent).write({"answered_at": utc(19, 9)})

    def test_a_contact_lives_in_its_complaints_company(self):
        complaint = self._complaint()
        with freeze_time("2026-11-18 20:00:00"):
            contact = self._ask(complaint, self.supplier, utc(18, 10))
        self.assertEqual(contact.company_id, complaint.company_id)

    # ------------------------------------------------------------------ attacks

    @freeze_time("2026-11-18 20:00:00")
    def test_a_portal_customer_cannot_read_the_third_party_contacts_of_his_own_complaint(self):
        """Third-party contacts are internal information: the customer reads his complaint, not
        what we asked our suppliers and carriers."""
        complaint = self._complaint()
        contact = self._ask(complaint, self.supplier, utc(18, 10), request="Is batch 24-117 defective?")
        self.assertEqual(complaint.with_user(self.portal).read(["name"])[0]["name"], "Seams torn on the new chairs")
        Contact = self.env["crm.complaint.third.party.contact"].with_user(self.portal)
        with self.assertRaises(AccessError):
            Contact.search([("ticket_id", "=", complaint.id)])
        with self.assertRaises(AccessError):
            contact.with_user(self.portal).read(["request"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.portal).read(["third_party_contact_ids"])
        with self.assertRaises(AccessError):
            Contact.create({"ticket_id": complaint.id, "partner_id": self.supplier.id, "request": "Forged"})
        self.assertEqual(complaint.third_party_contact_ids, contact)
        portal_messages = complaint.message_ids.filtered(lambda m: not m.is_internal and m.subtype_id.internal is False)
        self.assertFalse(any("batch 24-117" in (m.body or "") for m in portal_messages), "the note is internal")

    @freeze_time("2026-11-18 20:00:00")
    def test_another_companys_user_cannot_read_or_add_third_party_contacts(self):
        complaint = self._complaint()
        contact = self._ask(complaint, self.supplier, utc(18, 10))
        Contact = self.env["crm.complaint.third.party.contact"].with_user(self.user_b)
        self.assertFalse(Contact.search([]).filtered(lambda c: c == contact))
        self.assertEqual(Contact.search_count([("ticket_id", "=", complaint.id)]), 0)
        with self.assertRaises(AccessError):
            contact.with_user(self.user_b).read(["request"])
        with self.assertRaises(AccessError):
            contact.with_user(self.user_b).write({"answer": "Forged"})
        with self.refused(ValidationError, "belongs to a company you do not work for"):
            Contact.create({"ticket_id": complaint.id, "partner_id": self.supplier.id, "request": "Forged"})
        self.assertEqual(complaint.third_party_contact_ids, contact)
        self.assertFalse(contact.answer)

    @freeze_time("2026-11-18 20:00:00")
    def test_an_agent_cannot_forge_the_late_third_party_hours(self):
        complaint = self._complaint()
        with self.refused(UserError, "is written by its process.*Third-Party Contacts"):
            complaint.with_user(self.agent).write({"late_third_party_hours": 10.0})
        complaint.invalidate_recordset()
        self.assertEqual(complaint.late_third_party_hours, 0.0)
