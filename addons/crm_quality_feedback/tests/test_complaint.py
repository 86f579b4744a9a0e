from datetime import datetime

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaint(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env.ref("resource.resource_calendar_std").copy(
            {"name": "Brussels 8-17", "tz": "Europe/Brussels"}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Complaints desk", "resource_calendar_id": calendar.id}
        )
        cls.agent = new_test_user(
            cls.env, login="quality_agent", name="Quinn Quality", groups="crm_quality_feedback.group_quality_user"
        )

    def _complaint(self, received, partner=None, **values):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Wrong colour delivered",
                    "description": "<p>The chairs are blue, we ordered green.</p>",
                    "partner_id": (partner or self.contact).id,
                    "team_id": self.team.id,
                    "user_id": self.agent.id,
                    "is_complaint": True,
                    "received_date": received,
                },
                **values,
            )
        )

    # Brussels is UTC+1 in November 2026; 17 November is a Tuesday.
    def test_received_before_the_cutoff_is_due_at_the_end_of_that_working_day(self):
        ticket = self._complaint(datetime(2026, 11, 17, 9, 0))  # 10:00 in Brussels
        self.assertTrue(ticket.complaint_number.startswith("CMP/"))
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 17, 16, 0))  # 17:00 the same day
        self.assertEqual(ticket.final_deadline, datetime(2026, 11, 20, 16, 0))  # three working days later

    def test_received_at_13_59_is_due_at_17_that_day(self):
        ticket = self._complaint(datetime(2026, 11, 17, 12, 59))  # Tuesday 13:59 in Brussels
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 17, 16, 0))

    def test_received_at_15_30_is_due_next_working_day_at_11(self):
        ticket = self._complaint(datetime(2026, 11, 17, 14, 30))  # Tuesday 15:30
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 18, 10, 0))  # Wednesday 11:00

    def test_received_at_the_cutoff_is_due_next_working_day_at_11(self):
        ticket = self._complaint(datetime(2026, 11, 17, 13, 0))  # 14:00 in Brussels
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 18, 10, 0))  # Wednesday 11:00

    def test_friday_afternoon_is_due_monday_at_11(self):
        ticket = self._complaint(datetime(2026, 11, 20, 14, 0))  # Friday 15:00
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 23, 10, 0))  # Monday 11:00
        self.assertEqual(ticket.final_deadline, datetime(2026, 11, 25, 16, 0))  # Wednesday 17:00

    def test_weekend_complaint_is_due_at_the_end_of_monday(self):
        ticket = self._complaint(datetime(2026, 11, 21, 9, 0))  # Saturday
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 23, 16, 0))
        self.assertEqual(ticket.final_deadline, datetime(2026, 11, 26, 16, 0))

    def test_key_accounts_get_the_faster_policy(self):
        self.customer.service_tier = "key"
        ticket = self._complaint(datetime(2026, 11, 17, 9, 0))  # 10:00, four working hours around lunch
        self.assertEqual(ticket.first_deadline, datetime(2026, 11, 17, 14, 0))  # 15:00 in Brussels

    def test_the_complaint_goes_through_every_step_before_closing(self):
        ticket = self._complaint(datetime(2026, 11, 17, 9, 0))
        with self.assertRaisesRegex(UserError, "Investigated"):
            ticket.action_resolve()
        ticket.action_acknowledge()
        self.assertTrue(ticket.acknowledged_date)
        self.assertIn(ticket.complaint_number, ticket.message_ids[0].subject or "")
        with self.assertRaisesRegex(UserError, "Severity"):
            ticket.action_assess()
        ticket.write({"severity": "3", "complexity": "2"})
        ticket.action_assess()
        ticket.action_investigate()
        with self.assertRaisesRegex(UserError, "Remedy Offered"):
            ticket.action_resolve()
        ticket.write({"remedy_offered": "Exchange of the six chairs", "restitution_amount": 250.0})
        ticket.action_resolve()
        self.assertEqual(ticket.complaint_step, "resolved")
        follow_up = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("crm_quality_feedback.mail_activity_type_complaint_follow_up")
        )
        self.assertEqual(len(follow_up), 1)
        self.assertGreater(follow_up.date_deadline, self.today)
        self.assertLess(follow_up.date_deadline.weekday(), 5, "due on a working day")
        with self.assertRaisesRegex(UserError, "needs a complaint at step Followed up"):
            ticket.action_close_complaint()

        follow_up.action_done()
        self.assertEqual(ticket.complaint_step, "follow_up")
        with self.assertRaisesRegex(UserError, "Record the customer's answer"):
            ticket.action_close_complaint()
        ticket.action_answer_dissatisfied()
        self.assertEqual((ticket.complaint_step, ticket.reopen_count), ("investigated", 1), "dissatisfied reopens")

        ticket.action_resolve()
        ticket.activity_ids.filtered(lambda a: a.activity_type_id.name == "Complaint follow-up").action_done()
        ticket.action_answer_satisfied()
        self.assertEqual(ticket.complaint_step, "closed")
        feedback = self.env["crm.customer.feedback"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(sorted(feedback.mapped("score")), [1, 5])
        self.assertEqual(feedback.partner_id, self.customer)

    def test_two_follow_ups_by_the_owner_then_the_team_leader_is_asked(self):
        self.team.user_id = self.salesman
        ticket = self._complaint(datetime(2026, 11, 17, 9, 0), severity="2", complexity="1", remedy_offered="Refund")
        ticket.write({"complaint_step": "investigated"})
        callers = []
        for _round in range(3):
            ticket.action_resolve()
            callers.append(ticket.activity_ids.user_id)
            ticket.action_answer_dissatisfied()
        self.assertEqual(callers, [self.agent, self.agent, self.salesman])
        self.assertEqual((ticket.complaint_step, ticket.reopen_count), ("closed", 2))

    def test_restitution_books_quality_cost_and_cost_to_serve(self):
        ticket = self._complaint(datetime(2026, 11, 17, 9, 0), remedy_offered="Credit", restitution_amount=400.0)
        ticket.write({"complaint_step": "investigated"})
        ticket.action_resolve()
        quality_cost = self.env["crm.quality.cost"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(
            (quality_cost.category, quality_cost.amount, quality_cost.partner_id),
            ("external_failure", 400.0, self.customer),
        )
        self.place_order(self.customer, 1000.0, cost=500.0)
        self.refresh(self.customer)
        value = self.value_of(self.customer)
        self.assertEqual(value.cost_to_serve, 400.0)
        self.assertEqual(value.net_profit, 100.0)

    def test_an_owner_transfer_is_logged(self):
        ticket = self._complaint(datetime(2026, 11, 17, 9, 0))
        ticket.user_id = self.salesman
        self.assertIn("transferred from Quinn Quality to Sam Salesman", ticket.message_ids[0].body)

    def test_weighted_b2b_satisfaction(self):
        Feedback = self.env["crm.customer.feedback"]
        boss = self.env["res.partner"].create({"name": "Boss", "parent_id": self.customer.id})
        Feedback.create({"partner_id": boss.id, "respondent_role": "decision_maker", "score": 4})
        Feedback.create({"partner_id": self.contact.id, "respondent_role": "user", "score": 2})
        self.customer.invalidate_recordset()
        # (3 x 4 + 1 x 2) / (3 + 1)
        self.assertEqual(self.customer.customer_satisfaction_score, 3.5)

    def test_complaints_count_against_the_salesperson(self):
        self._complaint(datetime.now())
        counts = self.env["crm.sales.measure.report"]._read_group(
            [("date", ">=", self.days_ago(5)), ("kind", "=", "complaint")], ["user_id"], ["complaints:sum"]
        )
        self.assertEqual(dict(counts).get(self.salesman), 1, "the customer's salesperson")

    def test_complaint_counts_stay_within_the_users_companies(self):
        """The dossier's and the ticket's counts are read with sudo: they must not count (and so
        reveal) another company's complaints about a shared customer."""
        company_b = self.env["res.company"].create({"name": "Complaints Company B"})
        team_b = self.env["helpdesk.ticket.team"].create({"name": "Desk B", "company_id": company_b.id})
        now = datetime.now()
        own = self._complaint(now)
        self._complaint(now, name="Second complaint in A")
        for title in ("B: late", "B: broken"):
            self.env["helpdesk.ticket"].create(
                {
                    "name": title,
                    "description": "<p>In company B.</p>",
                    "partner_id": self.contact.id,
                    "company_id": company_b.id,
                    "team_id": team_b.id,
                    "is_complaint": True,
                    "received_date": now,
                }
            )
        self.assertEqual(self.salesman.company_ids, self.company)
        self.assertEqual(self.customer.with_user(self.salesman).open_complaint_count, 2, "company A's two only")
        self.assertEqual(own.with_user(self.agent).recurring_customer_count, 1, "the other one of company A")
