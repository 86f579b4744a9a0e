from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestContactLog(RelationshipCase):
    def _logs(self):
        return self.env["crm.contact.log"].search([("partner_id", "=", self.customer.id)])

    def test_done_call_on_the_customer_is_a_phone_contact(self):
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", summary="Ask about the spring order", user_id=self.salesman.id
        )
        activity.with_user(self.salesman).action_feedback(feedback="They will order in March")
        log = self._logs()
        self.assertEqual(len(log), 1)
        self.assertEqual(log.channel, "phone")
        self.assertEqual(log.summary, "Ask about the spring order")
        self.assertEqual(log.user_id, self.salesman)
        self.assertEqual(log.origin, "activity")
        self.assertIn("They will order in March", log.note)

    def test_done_meeting_on_an_order_of_a_contact_goes_on_the_company(self):
        order = self.place_order(self.contact, 500.0, confirm=False)
        activity = order.activity_schedule("mail.mail_activity_data_meeting", user_id=self.salesman.id)
        activity.action_done()
        log = self._logs()
        self.assertEqual(log.channel, "meeting")
        self.assertEqual(log.contact_id, self.contact)
        self.assertEqual((log.res_model, log.res_id), ("sale.order", order.id))

    def test_unmapped_activity_type_is_not_a_contact(self):
        self.customer.activity_schedule("mail.mail_activity_data_todo", user_id=self.salesman.id).action_done()
        self.assertFalse(self._logs())

    def test_mails_exchanged_with_the_customer_are_logged(self):
        order = self.place_order(self.contact, 500.0, confirm=False)
        order.message_post(
            body="Can you deliver on Friday?",
            subject="Delivery date",
            message_type="email",
            author_id=self.contact.id,
        )
        order.with_user(self.salesman).message_post(
            body="Friday is fine.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.contact.ids,
        )
        order.with_user(self.salesman).message_post(body="Check stock first", subtype_xmlid="mail.mt_note")
        logs = self._logs().sorted("id")
        self.assertEqual(logs.mapped("direction"), ["inbound", "outbound"])
        self.assertEqual(logs.mapped("channel"), ["email", "email"])
        self.assertEqual(logs[0].summary, "Delivery date")
        self.assertEqual(logs[1].user_id, self.salesman)

    def test_mail_between_colleagues_is_not_a_customer_contact(self):
        self.customer.message_post(
            body="FYI",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.sales_manager.partner_id.ids,
        )
        self.assertFalse(self._logs())

    def test_manual_entry_on_a_person_is_filed_on_its_company(self):
        log = self.env["crm.contact.log"].create(
            {"partner_id": self.contact.id, "channel": "letter", "summary": "Sent the catalogue"}
        )
        self.assertEqual(log.partner_id, self.customer)
        self.assertEqual(log.contact_id, self.contact)

    def test_days_since_last_personal_meeting(self):
        self.assertEqual(self.customer.days_since_personal_meeting, -1)
        Log = self.env["crm.contact.log"]
        now = fields.Datetime.now()
        Log.create(
            {"partner_id": self.customer.id, "channel": "meeting", "summary": "Visit", "date": now - timedelta(days=30)}
        )
        Log.create(
            {"partner_id": self.customer.id, "channel": "meeting", "summary": "Lunch", "date": now - timedelta(days=10)}
        )
        Log.create(
            {"partner_id": self.customer.id, "channel": "phone", "summary": "Call", "date": now - timedelta(days=1)}
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.days_since_personal_meeting, 10)
        self.assertEqual(self.customer.contact_log_count, 3)
        self.assertEqual(self.contact.days_since_personal_meeting, 10)
