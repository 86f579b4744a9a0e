from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .announcement_common import AnnouncementData


@tagged("post_install", "-at_install")
class TestAnnouncement(AnnouncementData, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_announcement_data()

    def assertAudience(self, announcement, partners):
        self.assertEqual(announcement._audience(), partners)
        self.assertEqual(announcement.audience_partner_ids, partners)
        self.assertEqual(announcement.audience_count, len(partners))

    # ------------------------------------------------------------------ audience

    def test_a_tag_reaches_the_tagged_customers_with_an_address_not_the_tagged_persons(self):
        announcement = self._announcement(audience_tag_ids=[Command.set(self.retail.ids)])
        self.assertAudience(announcement, self.alpha | self.bravo)

    def test_a_service_tier_reaches_exactly_the_customers_of_that_tier(self):
        self.assertAudience(self._announcement(audience_service_tier="priority"), self.alpha)
        self.assertAudience(self._announcement(audience_service_tier="key"), self.bravo)

    def test_a_product_reaches_the_customers_who_bought_it_on_a_confirmed_order(self):
        self.assertAudience(
            self._announcement(audience_product_ids=[Command.set(self.desk.ids)]), self.alpha | self.bravo
        )
        self.assertAudience(self._announcement(audience_product_ids=[Command.set(self.lamp.ids)]), self.charlie)

    def test_open_complaints_on_a_product_reach_their_customers_not_those_closed(self):
        self.assertAudience(
            self._announcement(audience_complaint_product_ids=[Command.set(self.desk.ids)]), self.charlie
        )
        self.assertAudience(self._announcement(audience_complaint_product_ids=[Command.set(self.lamp.ids)]), self.bravo)

    def test_every_criterion_filled_in_must_match(self):
        announcement = self._announcement(
            audience_tag_ids=[Command.set(self.retail.ids)], audience_product_ids=[Command.set(self.desk.ids)]
        )
        self.assertAudience(announcement, self.alpha | self.bravo)
        announcement.audience_service_tier = "key"
        self.assertAudience(announcement, self.bravo)
        announcement.audience_complaint_product_ids = [Command.set(self.desk.ids)]
        self.assertAudience(announcement, self.env["res.partner"])

    @staticmethod
    def _names(proxy):
        return sorted(proxy[index].name for index in range(len(proxy)))

    def test_the_form_previews_the_audience_as_the_criteria_are_typed(self):
        with Form(self.env["crm.announcement"].with_user(self.quality_manager)) as form:
            form.name = "New desk configurator"
            form.kind = "release"
            form.body = "<p>Configure your desk online.</p>"
            self.assertEqual(form.audience_count, 0)
            form.audience_tag_ids.add(self.retail)
            self.assertEqual(form.audience_count, 2)
            self.assertEqual(self._names(form.audience_partner_ids), ["Alpha", "Bravo"])
            form.audience_service_tier = "priority"
            self.assertEqual((form.audience_count, self._names(form.audience_partner_ids)), (1, ["Alpha"]))
        self.assertEqual((form.record.state, form.record.audience_partner_ids), ("draft", self.alpha))

    def test_the_audience_is_read_in_one_query(self):
        announcement = self._announcement(
            audience_tag_ids=[Command.set(self.retail.ids)],
            audience_service_tier="key",
            audience_product_ids=[Command.set(self.desk.ids)],
            audience_complaint_product_ids=[Command.set(self.lamp.ids)],
        )
        domain = announcement._audience_domain()
        self.env.flush_all()
        with self.assertQueryCount(1):  # tags, tier, orders and complaints in one statement
            self.assertEqual(self.env["res.partner"].search(domain), self.bravo)

    def test_without_a_criterion_nobody_is_in_the_audience_and_sending_is_refused(self):
        announcement = self._announcement()
        self.assertAudience(announcement, self.env["res.partner"])
        with self.assertRaisesRegex(UserError, "has no audience: choose Customer Tags"):
            announcement.action_send()
        self.assertEqual(announcement.state, "draft")

    # ------------------------------------------------------------------ sending

    def test_sending_mails_each_customer_once_and_logs_it_on_his_contact_log(self):
        announcement = self._announcement(audience_tag_ids=[Command.set(self.retail.ids)])
        announcement.action_send()
        self.assertEqual(announcement.state, "sent")
        self.assertTrue(announcement.sent_date)
        recipients = announcement.recipient_ids
        self.assertEqual(recipients.partner_id, self.alpha | self.bravo)
        self.assertEqual(sorted(recipients.mapped("email")), ["office@alpha.example", "office@bravo.example"])
        self.assertEqual((announcement.recipient_count, announcement.answer_count), (2, 0))
        mails = self.env["mail.mail"].search(
            [("model", "=", "crm.announcement.recipient"), ("res_id", "in", recipients.ids)]
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(recipients.mail_id, mails)
        for recipient in recipients:
            mail = recipient.mail_id
            self.assertEqual(mail.recipient_ids, recipient.partner_id)
            self.assertEqual(mail.subject, "Planning offline on Saturday")
            self.assertIn(f"/announcement/answer/{recipient.id}?access_token={recipient.access_token}", mail.body_html)
            self.assertIn("From 8:00 to 12:00.", mail.body_html)
        self.assertEqual(len(set(recipients.mapped("access_token"))), 2, "each customer has a token of his own")
        logs = self.env["crm.contact.log"].search(
            [("res_model", "=", "crm.announcement"), ("res_id", "=", announcement.id)]
        )
        self.assertEqual(
            sorted(
                (log.partner_id.name, log.channel, log.direction, log.origin, log.summary, log.user_id) for log in logs
            ),
            [
                ("Alpha", "email", "outbound", "mail", "Planning offline on Saturday", self.quality_manager),
                ("Bravo", "email", "outbound", "mail", "Planning offline on Saturday", self.quality_manager),
            ],
        )
        self.assertEqual(logs.mail_message_id, mails.mail_message_id)

    def test_sending_twice_is_refused_and_mails_nobody_again(self):
        announcement = self._announcement(audience_product_ids=[Command.set(self.desk.ids)])
        announcement.action_send()
        mails = self.env["mail.mail"].search_count([("model", "=", "crm.announcement.recipient")])
        logs = self.env["crm.contact.log"].search_count([("res_model", "=", "crm.announcement")])
        with self.assertRaisesRegex(UserError, "was already sent on .*an announcement is mailed once"):
            announcement.action_send()
        with self.assertRaisesRegex(UserError, "was already sent"):
            announcement.action_schedule()
        self.assertEqual(self.env["mail.mail"].search_count([("model", "=", "crm.announcement.recipient")]), mails)
        self.assertEqual(self.env["crm.contact.log"].search_count([("res_model", "=", "crm.announcement")]), logs)
        self.assertEqual(len(announcement.recipient_ids), 2)

    def test_a_sent_announcement_keeps_its_text_and_audience(self):
        announcement = self._announcement(audience_product_ids=[Command.set(self.lamp.ids)])
        announcement.action_send()
        with self.assertRaisesRegex(UserError, "Subject cannot change: the announcement was sent"):
            announcement.name = "Something else"
        with self.assertRaisesRegex(UserError, "Customer Tags cannot change"):
            announcement.audience_tag_ids = [Command.set(self.retail.ids)]
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            announcement.unlink()
        self.assertEqual(announcement.audience_partner_ids, self.charlie, "the audience shown is who got the mail")

    def test_the_status_moves_only_through_the_buttons(self):
        announcement = self._announcement(audience_product_ids=[Command.set(self.lamp.ids)])
        with self.assertRaisesRegex(UserError, "Status of a Customer Announcement is written by its process"):
            announcement.write({"state": "sent"})
        with self.assertRaisesRegex(UserError, "Status of a Customer Announcement is written by its process"):
            self._announcement(state="sent", audience_product_ids=[Command.set(self.lamp.ids)])
        self.assertEqual(announcement.state, "draft")
        self.assertFalse(announcement.recipient_ids)

    def test_a_scheduled_announcement_is_mailed_by_the_scheduler_once_due(self):
        announcement = self._announcement(
            audience_product_ids=[Command.set(self.lamp.ids)], scheduled_date=datetime(2031, 2, 27, 9, 0)
        )
        with self.assertRaisesRegex(UserError, "Only a scheduled announcement goes back to draft"):
            announcement.action_reset_draft()
        announcement.action_schedule()
        self.assertEqual(announcement.state, "scheduled")
        self.env["crm.announcement"]._cron_send_scheduled()
        self.assertEqual(announcement.state, "scheduled", "not due before 27 February 2031")
        announcement.scheduled_date = datetime(2020, 1, 1)
        self.env["crm.announcement"]._cron_send_scheduled()
        self.assertEqual(announcement.state, "sent")
        self.assertEqual(announcement.recipient_ids.partner_id, self.charlie)

    def test_an_announcement_whose_audience_emptied_goes_back_to_draft_and_the_others_are_still_sent(self):
        unsold = self.env["product.product"].create({"name": "Unsold stool"})
        emptied, sent = (
            self._announcement(audience_product_ids=[Command.set(self.lamp.ids)], scheduled_date=datetime(2020, 1, 1))
            for _ in range(2)
        )
        (emptied | sent).action_schedule()
        emptied.audience_product_ids = [Command.set(unsold.ids)]
        self.env["crm.announcement"]._cron_send_scheduled()
        self.assertEqual((emptied.state, sent.state), ("draft", "sent"))
        self.assertFalse(emptied.recipient_ids)
        self.assertEqual(sent.recipient_ids.partner_id, self.charlie)

    def test_scheduling_needs_a_date(self):
        announcement = self._announcement(audience_product_ids=[Command.set(self.lamp.ids)])
        with self.assertRaisesRegex(UserError, "set Send On to schedule"):
            announcement.action_schedule()

    # ------------------------------------------------------------------ rights

    def test_a_helpdesk_manager_prepares_and_sends_an_announcement(self):
        announcement = self._announcement(
            user=self.helpdesk_manager, audience_complaint_product_ids=[Command.set(self.desk.ids)]
        )
        announcement.action_send()
        self.assertEqual(announcement.recipient_ids.partner_id, self.charlie)
        self.assertEqual(announcement.answer_count, 0)

    def test_a_quality_user_reads_announcements_but_neither_creates_nor_sends_them(self):
        announcement = self._announcement(audience_product_ids=[Command.set(self.lamp.ids)])
        as_user = announcement.with_user(self.quality_user)
        self.assertEqual(as_user.audience_partner_ids, self.charlie)
        with self.assertRaises(AccessError):
            as_user.action_send()
        with self.assertRaises(AccessError):
            self._announcement(user=self.quality_user, audience_product_ids=[Command.set(self.lamp.ids)])
        with self.assertRaises(AccessError):
            as_user.write({"name": "Changed"})
        self.assertEqual((announcement.state, announcement.name), ("draft", "Planning offline on Saturday"))
        self.assertFalse(announcement.recipient_ids)

    def test_nobody_writes_a_recipient_line_or_its_answer_by_hand(self):
        announcement = self._announcement(audience_product_ids=[Command.set(self.lamp.ids)])
        announcement.action_send()
        recipient = announcement.recipient_ids
        for user in (self.quality_manager, self.helpdesk_manager):
            with self.assertRaises(AccessError):
                recipient.with_user(user).write({"partner_id": self.alpha.id})
            with self.assertRaises(AccessError):
                self.env["crm.announcement.recipient"].with_user(user).create(
                    {"announcement_id": announcement.id, "partner_id": self.alpha.id}
                )
        self.assertEqual(recipient.partner_id, self.charlie)

    def test_a_helpdesk_manager_sees_the_answers_on_the_form_without_rights_on_feedback(self):
        announcement = self._announcement(user=self.helpdesk_manager, audience_product_ids=[Command.set(self.desk.ids)])
        announcement.action_send()
        announcement.recipient_ids.filtered(lambda r: r.partner_id == self.bravo)._record_answer(
            2, "Keep Saturday free"
        )
        views = announcement.get_views([(False, "form")])
        fields = views["models"]["crm.announcement"]["fields"]
        spec = {name: {} for name in fields if name not in ("recipient_ids", "audience_partner_ids")}
        spec["recipient_ids"] = {
            "fields": {"partner_id": {"fields": {"display_name": {}}}, "answer_score": {}, "answer_comment": {}}
        }
        [values] = announcement.web_read(spec)
        self.assertEqual((values["answer_count"], values["answer_score"], values["recipient_count"]), (1, 2.0, 2))
        answers = sorted(
            (line["partner_id"]["display_name"], line["answer_score"], line["answer_comment"])
            for line in values["recipient_ids"]
        )
        self.assertEqual(answers, [("Alpha", 0, False), ("Bravo", 2, "Keep Saturday free")])
