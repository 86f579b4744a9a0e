from datetime import datetime, timedelta

from lxml import etree

from odoo import fields
from odoo.addons.crm_relationship.tests.tours import JourneyCase
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

STEPS = ["received", "acknowledged", "assessed", "investigated", "resolved", "follow_up", "closed"]
LIST_COLUMNS = [
    "complaint_number",
    "commercial_partner_id",
    "name",
    "complaint_step",
    "severity",
    "user_id",
    "first_deadline",
    "complaint_sla_status",
]


def prepare_complaint(env, name, partner, step, first_deadline, on_time=False, user=None, severity="2"):
    """A complaint as its process would have left it: at a step, with its first deadline and outcome."""
    ticket = env["helpdesk.ticket"].create(
        {
            "name": name,
            "description": f"<p>{name}</p>",
            "partner_id": partner.id,
            "user_id": user.id if user else False,
            "is_complaint": True,
            "severity": severity,
        }
    )
    ticket.sudo().write({"complaint_step": step, "first_deadline": first_deadline, "on_time": on_time})
    return ticket


# 17 November 2026 is a Tuesday; 10:00 UTC is 11:00 in Brussels, where the day ends at 23:00 UTC.
@tagged("post_install", "-at_install")
@freeze_time("2026-11-17 10:00:00")
class TestComplaintScreens(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "crm_quality_feedback.group_quality_user"
        cls.owner = new_test_user(
            cls.env, login="screen_owner", name="Olive Owner", groups=groups, tz="Europe/Brussels"
        )
        cls.colleague = new_test_user(
            cls.env, login="screen_colleague", name="Colin Colleague", groups=groups, tz="Europe/Brussels"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Screens Ltd", "is_company": True})
        cls.contact = cls.env["res.partner"].create({"name": "Sam Screens", "parent_id": cls.customer.id})

    def _complaints(self):
        """One complaint per SLA outcome (and the boundaries between them), and one ordinary ticket."""
        at = datetime(2026, 11, 17)
        rows = [
            ("Past by a second", "assessed", at.replace(hour=9, minute=59, second=59), False, self.owner),
            ("Due this very second", "received", at.replace(hour=10), False, self.colleague),
            ("Due before midnight", "investigated", at.replace(hour=22, minute=59, second=59), False, self.owner),
            ("Due at midnight", "acknowledged", at.replace(hour=23), False, self.colleague),
            ("Resolved in time", "resolved", at.replace(hour=9), True, self.owner),
            ("Followed up, late", "follow_up", at.replace(day=16, hour=16), False, self.colleague),
            ("Closed late", "closed", at.replace(day=10, hour=16), False, self.owner),
        ]
        complaints = self.env["helpdesk.ticket"]
        for name, step, deadline, on_time, user in rows:
            complaints |= prepare_complaint(self.env, name, self.contact, step, deadline, on_time, user)
        ordinary = self.env["helpdesk.ticket"].create(
            {"name": "Ordinary question", "description": "<p>How do I order?</p>", "partner_id": self.contact.id}
        )
        return complaints, ordinary

    def _search_filter(self, name, user):
        """The complaints a filter of the Complaints search shows to a user (this customer's only)."""
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        arch = Ticket.get_views([(False, "search")])["views"]["search"]["arch"]
        domain = safe_eval(etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0].get("domain"), {"uid": user.id})
        return Ticket.search(domain + [("commercial_partner_id", "=", self.customer.id)]).mapped("name")

    def test_sla_outcome_of_each_complaint_at_11_in_brussels(self):
        complaints, ordinary = self._complaints()
        shown = {ticket.name: ticket.complaint_sla_status for ticket in (complaints | ordinary).with_user(self.owner)}
        self.assertEqual(
            shown,
            {
                "Past by a second": "overdue",
                "Due this very second": "due_today",
                "Due before midnight": "due_today",
                "Due at midnight": "on_track",
                "Resolved in time": "on_time",
                "Followed up, late": "late",
                "Closed late": "late",
                "Ordinary question": False,
            },
        )

    def test_filters_show_what_the_sla_column_and_the_steps_say(self):
        self._complaints()
        self.assertEqual(self._search_filter("overdue", self.owner), ["Past by a second"])
        self.assertCountEqual(
            self._search_filter("due_today", self.owner), ["Due this very second", "Due before midnight"]
        )
        self.assertCountEqual(
            self._search_filter("waiting_customer", self.owner), ["Resolved in time", "Followed up, late"]
        )
        self.assertCountEqual(
            self._search_filter("my_complaints", self.colleague),
            ["Due this very second", "Due at midnight", "Followed up, late"],
        )
        self.assertEqual(len(self._search_filter("open_complaints", self.owner)), 6, "all but the closed one")

    def test_the_day_ends_at_midnight_in_the_users_time_zone(self):
        complaint = prepare_complaint(
            self.env, "Due at 23:30 in Brussels", self.contact, "received", datetime(2026, 11, 17, 22, 30)
        )
        # 19:00 in Tokyo: the deadline is 07:30 tomorrow there
        for tz, status in (("Europe/Brussels", "due_today"), ("Asia/Tokyo", "on_track")):
            Ticket = self.env["helpdesk.ticket"].with_user(self.owner).with_context(tz=tz)
            self.assertEqual(complaint.with_env(Ticket.env).complaint_sla_status, status, tz)
            self.assertEqual(
                Ticket.search([("complaint_sla_status", "=", status), ("id", "=", complaint.id)]), complaint
            )

    def test_sla_outcome_is_read_without_a_query_per_complaint(self):
        complaints, _ordinary = self._complaints()
        counts = []
        for tickets in (complaints[:2], complaints):
            tickets.invalidate_recordset()
            before = self.env.cr.sql_log_count
            tickets.mapped("complaint_sla_status")
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "2 complaints or 7: the same queries")

    def test_complaints_menu_opens_the_quality_screens_and_helpdesk_keeps_its_own(self):
        action = self.env.ref("crm_quality_feedback.action_complaints")
        self.assertEqual(
            [(view_id, mode) for view_id, mode in action.views if view_id],
            [
                (self.env.ref("crm_quality_feedback.helpdesk_ticket_view_list_complaints").id, "list"),
                (self.env.ref("crm_quality_feedback.helpdesk_ticket_view_kanban_complaints").id, "kanban"),
                (self.env.ref("helpdesk_mgmt.ticket_view_form").id, "form"),
                (self.env.ref("crm_quality_feedback.helpdesk_ticket_view_activity_complaints").id, "activity"),
            ],
        )
        self.assertEqual(safe_eval(action.context), {"default_is_complaint": True, "search_default_open_complaints": 1})
        views = self.env["helpdesk.ticket"].with_user(self.owner).get_views(action.views)["views"]
        columns = [node.get("name") for node in etree.fromstring(views["list"]["arch"]).xpath("/list/field")]
        self.assertEqual(columns[: len(LIST_COLUMNS)], LIST_COLUMNS)
        self.assertEqual(etree.fromstring(views["kanban"]["arch"]).get("default_group_by"), "complaint_step")
        helpdesk = self.env.ref("helpdesk_mgmt.helpdesk_ticket_action")
        helpdesk_views = self.env["helpdesk.ticket"].with_user(self.owner).get_views(helpdesk.views)["views"]
        self.assertEqual(helpdesk_views["list"]["id"], self.env.ref("helpdesk_mgmt.ticket_view_tree").id)
        self.assertEqual(helpdesk_views["kanban"]["id"], self.env.ref("helpdesk_mgmt.view_helpdesk_ticket_kanban").id)

    def test_kanban_has_a_column_for_every_step_even_an_empty_one(self):
        self._complaints()
        groups = (
            self.env["helpdesk.ticket"]
            .with_user(self.owner)
            .web_read_group(
                [("is_complaint", "=", True), ("commercial_partner_id", "=", self.customer.id)],
                ["complaint_step"],
                ["complaint_step"],
            )["groups"]
        )
        self.assertEqual(
            [(group["complaint_step"], group["complaint_step_count"]) for group in groups],
            list(zip(STEPS, [1, 1, 1, 1, 1, 1, 1], strict=True)),
        )
        groups = (
            self.env["helpdesk.ticket"]
            .with_user(self.owner)
            .web_read_group(
                [("complaint_sla_status", "=", "overdue"), ("commercial_partner_id", "=", self.customer.id)],
                ["complaint_step"],
                ["complaint_step"],
            )["groups"]
        )
        self.assertEqual(
            [(group["complaint_step"], group["complaint_step_count"]) for group in groups],
            list(zip(STEPS, [0, 0, 1, 0, 0, 0, 0], strict=True)),
            "the overdue filter keeps every column, one complaint in Assessed",
        )


@tagged("post_install", "-at_install")
class TestComplaintScreenJourneys(JourneyCase):
    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        now, end_of_today = self.env["helpdesk.ticket"].with_user(self.admin)._complaint_sla_instants()
        if end_of_today - now < timedelta(minutes=10):
            self.skipTest("too close to midnight for a complaint due later today")
        customer = self.env.ref("base.res_partner_2")
        self.overdue = prepare_complaint(
            self.env,
            "Tour: chairs past their first deadline",
            customer,
            "acknowledged",
            now - timedelta(hours=2),
            user=self.admin,
            severity="4",
        )
        self.overdue.activity_schedule("mail.mail_activity_data_call", summary="Call the customer back")
        self.due_today = prepare_complaint(
            self.env,
            "Tour: answer due later today",
            customer,
            "received",
            now + (end_of_today - now) / 2,
            user=self.admin,
            severity="3",
        )

    def _overdue_in_database(self):
        """What Overdue means, read straight from the table: before resolution, past the first deadline."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM helpdesk_ticket
             WHERE is_complaint AND active
               AND complaint_step IN ('received', 'acknowledged', 'assessed', 'investigated')
               AND first_deadline < %s
            """,
            [fields.Datetime.now()],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def test_a_quality_user_reads_the_complaint_list(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.admin)
        open_complaints = Ticket.search([("is_complaint", "=", True), ("complaint_step", "!=", "closed")])
        self.assertIn(self.overdue, open_complaints)
        self.assertEqual(self.overdue.with_user(self.admin).complaint_sla_status, "overdue")
        self.assertEqual(self.due_today.with_user(self.admin).complaint_sla_status, "due_today")
        self.start_journey("/odoo", "crm_quality_complaint_list_screen", login="admin", screenshot="complaint_list")
        # the screens only read: nothing moved
        self.assertEqual((self.overdue.complaint_step, self.due_today.complaint_step), ("acknowledged", "received"))

    def test_a_quality_user_finds_the_overdue_complaints_on_the_board(self):
        overdue = self._overdue_in_database()
        self.assertIn(self.overdue.id, overdue)
        shown = self.env["helpdesk.ticket"].with_user(self.admin).search([("complaint_sla_status", "=", "overdue")])
        self.assertEqual(set(shown.ids), overdue, "the Overdue filter shows exactly the overdue complaints")
        self.assertNotIn(self.due_today, shown)
        self.start_journey("/odoo", "crm_quality_complaint_kanban_screen", login="admin", screenshot="complaint_kanban")
