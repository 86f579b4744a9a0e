from datetime import datetime

from odoo import fields
from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestComplaintFollowThrough(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref("resource.resource_calendar_std").copy({"name": "Brussels", "tz": "Europe/Brussels"})
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Quality desk", "resource_calendar_id": cls.calendar.id}
        )

    def _complaint(self, received=None, **values):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Late delivery",
                    "description": "x",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                    "is_complaint": True,
                    "received_date": received or fields.Datetime.now(),
                },
                **values,
            )
        )

    def test_root_cause_trace_shows_an_internal_gap(self):
        ticket = self._complaint(customer_department_id=self.env.ref("crm_quality_feedback.department_sales").id)
        Trace = self.env["crm.complaint.trace"]
        Trace.create(
            {
                "ticket_id": ticket.id,
                "department_id": self.env.ref("crm_quality_feedback.department_sales").id,
                "activity": "Took the order",
                "adds_value": "value",
            }
        )
        self.assertFalse(ticket.internal_gap)
        Trace.create(
            {
                "ticket_id": ticket.id,
                "department_id": self.env.ref("crm_quality_feedback.department_warehouse").id,
                "activity": "Picked by label only",
                "adds_value": "cost",
                "is_source": True,
            }
        )
        self.assertEqual(ticket.source_department_id, self.env.ref("crm_quality_feedback.department_warehouse"))
        self.assertTrue(ticket.internal_gap, "caused in the warehouse, the customer dealt with sales")

    def test_recurring_complaints_of_the_customer_and_product(self):
        first = self._complaint(product_id=self.product.id)
        self._complaint(product_id=self.product.id)
        other_customer = self.env["res.partner"].create({"name": "Other buyer"})
        self._complaint(partner_id=other_customer.id, product_id=self.product.id)
        first.invalidate_recordset()
        self.assertEqual((first.recurring_customer_count, first.recurring_product_count), (1, 2))

    def test_status_mail_while_past_the_first_deadline(self):
        late = self._complaint(received=datetime(2026, 11, 2, 9, 0))
        on_track = self._complaint()
        Ticket = self.env["helpdesk.ticket"]
        Ticket._cron_complaint_status_mails()
        if fields.Date.context_today(Ticket).weekday() >= 5:
            self.assertFalse(late.last_status_mail_date, "no status mail on a day off")
            return
        self.assertEqual(late.last_status_mail_date, fields.Date.context_today(Ticket))
        self.assertIn("where it stands", late.message_ids[0].subject)
        self.assertFalse(on_track.last_status_mail_date)
        messages = len(late.message_ids)
        Ticket._cron_complaint_status_mails()
        self.assertEqual(len(late.message_ids), messages, "one status mail a day")

    def test_a_calendar_change_moves_the_open_deadlines(self):
        ticket = self._complaint(received=datetime(2026, 11, 17, 9, 0))  # Tuesday 10:00 in Brussels
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 17, 16, 0))
        # the team now works until 18:00 on Tuesdays
        tuesday_afternoon = self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "1" and a.day_period == "afternoon"
        )
        self.calendar.write({"attendance_ids": [(1, tuesday_afternoon.id, {"hour_to": 18.0})]})
        ticket.invalidate_recordset()
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 17, 17, 0))

    def test_the_feedback_request_reads_in_the_salespersons_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search([("name", "=", "crm_quality_feedback")])._update_translations(["ru_RU"])
        self.salesman.lang = "ru_RU"
        due = self.place_order(self.customer, 500.0, days_ago=8)
        self.env["sale.order"]._cron_request_feedback()
        self.assertEqual(
            [(request.user_id, request.summary) for request in due.activity_ids],
            [(self.salesman, "Спросите клиента, как прошёл заказ (удовлетворён ли он, купит ли снова?)")],
        )

    def test_feedback_is_requested_some_days_after_the_order(self):
        recent = self.place_order(self.customer, 500.0, days_ago=2)
        due = self.place_order(self.customer, 500.0, days_ago=8)
        self.env["sale.order"]._cron_request_feedback()
        self.assertTrue(due.feedback_requested)
        self.assertFalse(recent.feedback_requested)
        request = due.activity_ids.filtered(lambda a: a.activity_type_id.name == "Ask for feedback")
        self.assertEqual(request.user_id, self.salesman)
        self.assertEqual(request.summary, "Ask the customer how the order went (satisfaction, will they buy again?)")
        self.env["sale.order"]._cron_request_feedback()
        self.assertEqual(len(due.activity_ids.filtered(lambda a: a.activity_type_id.name == "Ask for feedback")), 1)
