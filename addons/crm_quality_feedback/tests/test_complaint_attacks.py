"""What an RPC client can send, tried as the attacker would: each test performs the call, then
asserts the refusal and that the database kept what it had."""

from contextlib import contextmanager
from datetime import datetime

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintAttacks(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env.ref("resource.resource_calendar_std").copy({"name": "Brussels", "tz": "Europe/Brussels"})
        cls.team_leader = new_test_user(
            cls.env, login="attack_leader", name="Lena Leader", groups="crm_quality_feedback.group_quality_manager"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Attack desk", "resource_calendar_id": calendar.id, "user_id": cls.team_leader.id}
        )
        cls.agent = new_test_user(cls.env, login="attack_agent", groups="helpdesk_mgmt.group_helpdesk_user")
        cls.quality_user = new_test_user(
            cls.env, login="attack_quality", groups="crm_quality_feedback.group_quality_user"
        )
        cls.portal = new_test_user(cls.env, login="attack_portal", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer

    @contextmanager
    def refused(self, exception, message):
        """The call raises ``exception`` with ``message``, and everything it wrote is rolled back
        (as the RPC request's transaction would be)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), message)

    def _complaint(self, **values):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Wrong colour delivered",
                    "description": "<p>The chairs are blue.</p>",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                    "user_id": self.agent.id,
                    "is_complaint": True,
                    "received_date": datetime(2026, 11, 17, 9, 0),
                },
                **values,
            )
        )

    def _state(self, ticket):
        ticket.invalidate_recordset()
        return ticket.read(
            [
                "complaint_step",
                "on_time",
                "complaint_number",
                "received_date",
                "first_deadline",
                "resolved_date",
                "closed_complaint_date",
                "follow_up_done",
                "follow_up_count",
                "customer_satisfaction",
            ]
        )

    # ------------------------------------------------------------------ forged steps

    def test_an_agent_cannot_write_a_complaint_closed_and_on_time(self):
        complaint = self._complaint()
        before = self._state(complaint)
        with self.refused(
            UserError, "Complaint Step of a Helpdesk Ticket is written by its process.*Satisfied or Neutral"
        ):
            complaint.with_user(self.agent).write({"complaint_step": "closed", "on_time": True})
        self.assertEqual(self._state(complaint), before)
        for field, value in (
            ("on_time", True),
            ("follow_up_done", True),
            ("follow_up_count", 0 - 1),
            ("customer_satisfaction", "satisfied"),
            ("complaint_number", "CMP/FORGED"),
            ("first_deadline", "2030-01-01 10:00:00"),
            ("resolved_date", "2026-11-17 10:00:00"),
            ("received_date", "2026-01-01 10:00:00"),
            ("acknowledged_date", "2026-11-17 10:00:00"),
            ("assessed_date", "2026-11-17 10:00:00"),
            ("closed_complaint_date", "2026-11-17 10:00:00"),
        ):
            with self.subTest(field=field), self.refused(UserError, "is written by its process"):
                complaint.with_user(self.agent).write({field: value})
        self.assertEqual(self._state(complaint), before)

    def test_an_agent_cannot_create_a_complaint_already_closed(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        count = Ticket.search_count([])
        values = {"name": "Forged", "description": "x", "partner_id": self.contact.id, "is_complaint": True}
        for forged in (
            {"complaint_step": "closed"},
            {"complaint_number": "CMP/FORGED"},
            {"on_time": True},
            {"received_date": "2020-01-01 08:00:00"},
        ):
            with self.subTest(forged=forged), self.refused(UserError, "is written by its process"):
                Ticket.create(dict(values, **forged))
        with self.refused(UserError, "Complaint Step"):
            Ticket.with_context(default_complaint_step="closed").create(values)
        self.assertEqual(Ticket.search_count([]), count, "no ticket was created")
        # the harmless case: the step's own default, as a form that saves every field sends it
        created = Ticket.create(dict(values, complaint_step="received"))
        self.assertEqual(created.complaint_step, "received")

    def test_an_import_cannot_set_a_complaints_step(self):
        complaint = self._complaint()
        before = self._state(complaint)
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        result = Ticket.load(["id", "complaint_step"], [[str(complaint.id), "closed"]])
        self.assertFalse(result["ids"])
        self.assertIn("Complaint Step", " ".join(message["message"] for message in result["messages"]))
        result = Ticket.load(
            ["name", "description", "is_complaint", "complaint_step"], [["Imported", "x", "1", "closed"]]
        )
        self.assertFalse(result["ids"])
        self.assertEqual(self._state(complaint), before)
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Imported")]))

    def test_closing_needs_the_follow_up_step_itself(self):
        complaint = self._complaint(remedy_offered="Refund")
        complaint.write({"complaint_step": "investigated"})  # the test's shortcut, as superuser
        complaint.with_user(self.agent).action_resolve()
        # a follow-up flag and an answer forged in the database do not make a resolved complaint closable
        complaint.write({"follow_up_done": True, "customer_satisfaction": "satisfied"})
        with self.refused(UserError, "step 'Resolved'; this needs a complaint at step Followed up"):
            complaint.with_user(self.agent).action_close_complaint()
        self.assertEqual(complaint.complaint_step, "resolved")

    def test_a_portal_user_cannot_run_a_step_on_his_own_complaint(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.portal).action_acknowledge()
        self.assertEqual(complaint.complaint_step, "received")

    def test_a_quality_user_cannot_declare_an_action_effective(self):
        action = self.env["crm.quality.action"].create(
            {"name": "Label the pallets", "deadline": "2026-12-15", "user_id": self.quality_user.id}
        )
        reference = action.reference
        as_owner = action.with_user(self.quality_user)
        with self.refused(UserError, "State of a Corrective or Preventive Action is written by its process"):
            as_owner.write({"state": "effective"})
        with self.refused(UserError, "Reference"):
            as_owner.write({"reference": "CAPA/FORGED"})
        with self.refused(UserError, "State"):
            self.env["crm.quality.action"].with_user(self.quality_user).create(
                {"name": "Born effective", "deadline": "2026-12-15", "state": "effective"}
            )
        self.assertEqual((action.state, action.reference), ("draft", reference))
        self.assertFalse(self.env["crm.quality.action"].search([("name", "=", "Born effective")]))
        as_owner.action_start()
        as_owner.action_done()
        as_owner.action_check_effective()
        self.assertEqual(action.state, "effective", "the buttons still move it")

    # ------------------------------------------------------------------ what a customer reads

    def test_a_portal_user_cannot_read_the_internal_fields_of_his_own_complaint(self):
        complaint = self._complaint(severity="3", impact="Line stopped", restitution_amount=50.0)
        as_portal = complaint.with_user(self.portal)
        self.assertEqual(as_portal.read(["complaint_number"])[0]["complaint_number"], complaint.complaint_number)
        for field in (
            "severity",
            "impact",
            "paraphrase",
            "cause_category_id",
            "source_department_id",
            "internal_gap",
            "restitution_amount",
            "recurring_customer_count",
            "recurring_product_count",
            "trace_ids",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                as_portal.read([field])

    def test_a_portal_follower_cannot_read_another_customers_complaint(self):
        other = self.env["res.partner"].create({"name": "Other Customer Ltd", "is_company": True})
        complaint = self._complaint(partner_id=other.id)
        complaint.message_subscribe(partner_ids=self.portal.partner_id.ids)  # helpdesk_mgmt's rule lets followers in
        with self.assertRaises(AccessError):
            complaint.with_user(self.portal).read(["name"])
        self.assertNotIn(complaint, self.env["helpdesk.ticket"].with_user(self.portal).search([]))
        thread = self.env["helpdesk.ticket"].with_user(self.portal)._get_thread_with_access(complaint.id, "read")
        self.assertFalse(thread, "no message can be posted nor attachment uploaded on it")

    # ------------------------------------------------------------------ reopening and the follow-up limit

    def _cost_booked(self, complaint):
        quality = sum(self.env["crm.quality.cost"].search([("ticket_id", "=", complaint.id)]).mapped("amount"))
        to_serve = sum(
            self.env["crm.customer.cost"]
            .search([("origin_ref", "=", f"helpdesk.ticket,{complaint.id}")])
            .mapped("amount")
        )
        return quality, to_serve

    def test_resolving_again_books_only_the_difference_of_the_restitution(self):
        complaint = self._complaint(remedy_offered="Credit note", restitution_amount=400.0)
        complaint.write({"complaint_step": "investigated"})
        as_agent = complaint.with_user(self.agent)
        as_agent.action_resolve()
        self.assertEqual(self._cost_booked(complaint), (400.0, 400.0))
        as_agent.action_answer_dissatisfied()
        self.assertEqual(complaint.complaint_step, "investigated")
        as_agent.action_resolve()
        self.assertEqual(self._cost_booked(complaint), (400.0, 400.0), "the same 400 is not booked twice")
        as_agent.action_answer_dissatisfied()
        as_agent.write({"restitution_amount": 550.0})
        as_agent.action_resolve()
        self.assertEqual(self._cost_booked(complaint), (550.0, 550.0), "only the 150 added")
        self.assertEqual(complaint.restitution_booked, 550.0)

    def test_a_restitution_already_booked_cannot_shrink(self):
        complaint = self._complaint(remedy_offered="Credit note", restitution_amount=400.0)
        complaint.write({"complaint_step": "investigated"})
        as_agent = complaint.with_user(self.agent)
        as_agent.action_resolve()
        as_agent.action_answer_dissatisfied()
        as_agent.write({"restitution_amount": 100.0})
        with self.refused(UserError, "400.0 of restitution was already booked.*Enter 400.0 or more"):
            as_agent.action_resolve()
        self.assertEqual((complaint.complaint_step, self._cost_booked(complaint)), ("investigated", (400.0, 400.0)))

    def _followed_up_twice(self):
        """An investigated complaint resolved and answered dissatisfied twice: at the follow-up limit."""
        complaint = self._complaint(remedy_offered="Refund")
        complaint.write({"complaint_step": "investigated"})
        as_agent = complaint.with_user(self.agent)
        for _round in range(2):
            as_agent.action_resolve()
            as_agent.action_answer_dissatisfied()
        return complaint

    def test_an_escalated_complaint_reads_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.team_leader.lang = "ru_RU"
        complaint = self._followed_up_twice()
        complaint.with_user(self.agent).action_resolve()
        self.assertEqual(
            [(activity.user_id, activity.summary) for activity in complaint.activity_ids],
            [
                (
                    self.team_leader,
                    "Достигнут лимит повторных контактов: жалоба передана вам, чтобы закрыть её вместе с клиентом",
                )
            ],
        )

    def test_past_the_follow_up_limit_the_complaint_is_escalated_and_closes(self):
        complaint = self._followed_up_twice()
        as_agent = complaint.with_user(self.agent)
        self.assertEqual((complaint.complaint_step, complaint.follow_up_count), ("investigated", 2))
        as_agent.action_resolve()  # used to raise "2 follow-ups already" and leave it stuck
        self.assertEqual(complaint.complaint_step, "resolved")
        escalated = complaint.activity_ids
        self.assertEqual(
            (escalated.user_id, escalated.activity_type_id.name, escalated.summary),
            (
                self.team_leader,
                "Complaint follow-up",
                "Follow-up limit reached: escalated to you to close with the customer",
            ),
        )
        self.assertFalse(
            complaint.search([("id", "=", complaint.id), ("complaint_step", "in", ("received", "investigated"))]),
            "out of the steps the daily status mail is sent for",
        )
        complaint.with_user(self.team_leader).action_answer_dissatisfied()
        self.assertEqual((complaint.complaint_step, complaint.customer_satisfaction), ("closed", "dissatisfied"))
        scores = self.env["crm.customer.feedback"].search([("ticket_id", "=", complaint.id)]).mapped("score")
        self.assertEqual(scores, [1, 1, 1], "each answer is recorded")

    # ------------------------------------------------------------------ bad configuration

    def test_key_account_hours_must_be_positive(self):
        for hours in (0.0, -4.0, 1000.0):
            with self.subTest(hours=hours), self.refused(ValidationError, "Key Accounts: Due Within"):
                self.team.write({"complaint_key_hours": hours})
        self.assertEqual(self.team.complaint_key_hours, 4.0)

    def test_a_calendar_without_working_days_gets_a_message(self):
        idle = self.env["resource.calendar"].create({"name": "Never open", "attendance_ids": False, "tz": "UTC"})
        team = self.env["helpdesk.ticket.team"].create({"name": "Idle desk", "resource_calendar_id": idle.id})
        count = self.env["helpdesk.ticket"].search_count([])
        with self.refused(UserError, "Never open has no working day.*give it working hours"):
            self._complaint(team_id=team.id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)

    def test_closing_a_complaint_without_customer_gets_a_message(self):
        complaint = self._complaint(partner_id=False, remedy_offered="Refund")
        complaint.write({"complaint_step": "investigated"})
        as_agent = complaint.with_user(self.agent)
        as_agent.action_resolve()
        with self.refused(UserError, "has no Customer: set the customer"):
            as_agent.action_answer_satisfied()
        self.assertEqual(complaint.complaint_step, "resolved")
        self.assertFalse(self.env["crm.customer.feedback"].search([("ticket_id", "=", complaint.id)]))

    # ------------------------------------------------------------------ reports stay in the user's companies

    def test_sla_compliance_only_over_the_users_companies(self):
        company_b = self.env["res.company"].create({"name": "Compliance B"})
        team_b = self.env["helpdesk.ticket.team"].create({"name": "Desk B", "company_id": company_b.id})
        for index in range(3):
            ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": f"B {index}",
                    "description": "x",
                    "company_id": company_b.id,
                    "team_id": team_b.id,
                    "is_complaint": True,
                    "received_date": datetime(2026, 10, 6, 8, 0),
                }
            )
            ticket.write({"resolved_date": datetime(2026, 10, 6, 9, 0), "on_time": True})
        own = self._complaint(remedy_offered="Refund")
        own.write({"resolved_date": datetime(2026, 11, 17, 10, 0), "on_time": True})
        Report = self.env["crm.complaint.sla.report"]
        self.assertEqual(Report.search_count([("company_id", "=", company_b.id)]), 3, "company B has three")
        as_user = Report.with_user(self.quality_user)
        seen = as_user.search([])
        self.assertIn(own, seen.ticket_id)
        self.assertEqual(seen.company_id, self.env.company, "a user of company A reads company A's complaints only")
        self.assertFalse(as_user.search([("company_id", "=", company_b.id)]))
        self.assertFalse(as_user._read_group([("team_id", "=", team_b.id)], [], ["complaints:sum"])[0][0])
        with self.assertRaises(AccessError):
            as_user.with_context(allowed_company_ids=[company_b.id]).search([])
