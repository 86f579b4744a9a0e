"""Internal customers: a colleague (an internal user) or an internal department (a contact of one
of our companies) complains through the same steps, under the team's internal policy, and every
report counts internal complaints apart from the external ones.

The team works Brussels office hours (08:00-12:00, 13:00-17:00, UTC+1 in November), answers
internal customers within 8 working hours and closes their complaints within 5 working days.
Tuesday 17 November 2026 15:00 in Brussels is 14:00 UTC."""

from datetime import datetime

from odoo import http
from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .test_complaint_mail_intake import MAIL


def utc(day, hour):
    return datetime(2026, 11, day, hour, 0)


class InternalComplaintSetup:
    @classmethod
    def _setup_internal(cls):
        cls.calendar = cls.env.ref("resource.resource_calendar_std").copy(
            {"name": "Brussels office", "tz": "Europe/Brussels"}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Internal service desk",
                "resource_calendar_id": cls.calendar.id,
                "complaint_internal_hours": 8.0,
                "complaint_internal_tail_days": 5,
                "complaint_internal_sla_target": 90.0,
                "show_in_portal": True,
            }
        )
        cls.colleague = new_test_user(
            cls.env,
            login="internal_colleague",
            name="Carl Colleague",
            email="carl@ourcompany.example",
            password="colleague_pw_1",
            groups="base.group_user",
        )
        cls.agent = new_test_user(
            cls.env, login="internal_agent", name="Ada Agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )


@tagged("post_install", "-at_install")
class TestInternalComplaints(InternalComplaintSetup, RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_internal()
        cls.warehouse = cls.env["res.partner"].create(
            {"name": "Warehouse", "type": "other", "parent_id": cls.env.company.partner_id.id}
        )
        cls.portal = new_test_user(cls.env, login="internal_test_portal", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer

    def _complaint(self, partner, **values):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": f"Complaint of {partner.name}",
                    "description": "<p>x</p>",
                    "partner_id": partner.id,
                    "team_id": self.team.id,
                    "user_id": self.agent.id,
                    "is_complaint": True,
                    "received_date": utc(17, 14),
                },
                **values,
            )
        )

    def _resolve(self, complaint, cause=None):
        complaint.action_acknowledge()
        complaint.write({"severity": "2", "complexity": "1", "cause_category_id": cause and cause.id})
        complaint.action_assess()
        complaint.action_investigate()
        complaint.write({"remedy_offered": "Done"})
        complaint.action_resolve()

    def test_a_colleague_or_an_internal_department_is_an_internal_customer(self):
        kinds = {
            name: self._complaint(partner).customer_kind
            for name, partner in (
                ("colleague", self.colleague.partner_id),
                ("department", self.warehouse),
                ("our company", self.env.company.partner_id),
                ("customer", self.contact),
                ("portal customer", self.portal.partner_id),
            )
        }
        self.assertEqual(
            kinds,
            {
                "colleague": "internal",
                "department": "internal",
                "our company": "internal",
                "customer": "external",
                "portal customer": "external",
            },
        )

    @freeze_time("2026-11-17 14:00:00")
    def test_an_internal_complaint_gets_the_internal_deadlines(self):
        internal = self._complaint(self.colleague.partner_id)
        external = self._complaint(self.contact)
        # 8 working hours from Tuesday 15:00: 2 h that day, 6 h on Wednesday -> Wednesday 15:00
        self.assertEqual((internal.first_deadline, internal.final_deadline), (utc(18, 14), utc(24, 16)))
        # the cutoff rule: after 14:00, due Wednesday 11:00; closed within 3 working days (Friday 17:00)
        self.assertEqual((external.first_deadline, external.final_deadline), (utc(18, 10), utc(20, 16)))

    @freeze_time("2026-11-17 14:00:00")
    def test_a_new_customer_of_the_other_kind_moves_the_deadlines(self):
        complaint = self._complaint(self.contact)
        complaint.with_user(self.agent).write({"partner_id": self.colleague.partner_id.id})
        self.assertEqual(complaint.customer_kind, "internal")
        self.assertEqual(complaint.first_deadline, utc(18, 14))
        self.team.complaint_internal_hours = 4.0
        # 4 working hours from Tuesday 15:00: 2 h that day, 2 h on Wednesday -> Wednesday 10:00
        self.assertEqual(complaint.first_deadline, utc(18, 9), "a new team policy moves the open complaints")

    def test_an_agent_cannot_forge_the_customer_kind(self):
        complaint = self._complaint(self.contact)
        with self.assertRaisesRegex(UserError, "Customer Kind of a Helpdesk Ticket is written by its process"):
            complaint.with_user(self.agent).write({"customer_kind": "internal"})
        with self.assertRaisesRegex(UserError, "Customer Kind .* is written by its process"):
            self.env["helpdesk.ticket"].with_user(self.agent).create(
                {
                    "name": "Forged",
                    "description": "x",
                    "partner_id": self.contact.id,
                    "is_complaint": True,
                    "customer_kind": "internal",
                }
            )
        complaint.invalidate_recordset()
        self.assertEqual(complaint.customer_kind, "external")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([("name", "=", "Forged")]), 0)

    def test_the_sla_report_splits_internal_and_external_complaints_with_exact_counts(self):
        with freeze_time("2026-11-17 14:00:00"):
            internal_on_time = self._complaint(self.colleague.partner_id)
            internal_late = self._complaint(self.warehouse)
            external_on_time = self._complaint(self.contact)
            external_late = self._complaint(self.portal.partner_id)
        with freeze_time("2026-11-18 09:00:00"):  # before both first deadlines (10:00 and 14:00 UTC)
            self._resolve(internal_on_time)
            self._resolve(external_on_time)
        with freeze_time("2026-11-18 20:00:00"):  # late for both: 6 h internal, 10 h external
            self._resolve(internal_late)
            self._resolve(external_late)
        self.env.flush_all()
        Report = self.env["crm.complaint.sla.report"]
        domain = [("team_id", "=", self.team.id)]
        rows = Report._read_group(
            domain,
            ["customer_kind"],
            ["complaints:sum", "on_time_count:sum", "share_on_time:avg", "target:avg", "late_hours:sum"],
        )
        self.assertEqual(
            sorted(rows),
            [("external", 2, 1, 50.0, 95.0, 10.0), ("internal", 2, 1, 50.0, 90.0, 6.0)],
        )
        self.assertEqual(
            Report.search(domain + [("customer_kind", "=", "internal")]).ticket_id,
            internal_on_time | internal_late,
        )

    def test_the_pareto_ranks_internal_and_external_complaints_apart(self):
        Category = self.env["crm.complaint.cause.category"]
        booking = Category.create({"name": "Booking tool"})
        packing = Category.create({"name": "Packing"})
        # a company of its own, so that no other complaint takes a share
        company = self.env["res.company"].create({"name": "Pareto Split Company"})
        for partner, cause in (
            (self.colleague.partner_id, booking),
            (self.warehouse, booking),
            (self.contact, booking),
            (self.contact, packing),
            (self.portal.partner_id, packing),
        ):
            self._complaint(partner, cause_category_id=cause.id, company_id=company.id, team_id=False)
        self.env.flush_all()
        rows = self.env["crm.complaint.pareto.report"].search(
            [
                ("company_id", "=", company.id),
                ("dimension", "=", "cause_category"),
                ("cause_category_id", "in", (booking | packing).ids),
            ]
        )
        self.assertEqual(
            sorted((r.customer_kind, r.category, r.rank, r.complaints, r.share, r.cumulative_share) for r in rows),
            [
                ("external", "Booking tool", 2, 1, 100 / 3, 100.0),
                ("external", "Packing", 1, 2, 200 / 3, 200 / 3),
                ("internal", "Booking tool", 1, 2, 100.0, 100.0),
            ],
        )


@freeze_time("2026-11-17 14:00:00")
@tagged("post_install", "-at_install")
class TestInternalComplaintByMail(InternalComplaintSetup, RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_internal()
        alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "quality.example", "bounce_alias": "bounce", "catchall_alias": "catchall"}
        )
        cls.env.company.alias_domain_id = alias_domain
        cls.team.write({"alias_name": "internal-desk", "alias_domain_id": alias_domain.id, "mail_complaints": True})

    def test_a_colleagues_mail_to_the_complaint_alias_is_an_internal_complaint(self):
        message = MAIL.format(
            to="internal-desk@quality.example",
            subject="Showroom booked twice",
            message_id="<showroom-1@ourcompany.example>",
            thread_headers="",
            date="Tue, 17 Nov 2026 15:00:00 +0100",
        ).replace("Nora North <nora@northwind.example>", "Carl Colleague <carl@ourcompany.example>")
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search([])
        self.env["mail.thread"].message_process(None, message)
        ticket = Ticket.search([]) - before
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.colleague.partner_id)
        self.assertEqual(
            (ticket.is_complaint, ticket.customer_kind, ticket.received_via, ticket.complaint_step),
            (True, "internal", "mail", "acknowledged"),
        )
        self.assertEqual((ticket.received_date, ticket.first_deadline), (utc(17, 14), utc(18, 14)))


@tagged("post_install", "-at_install")
class TestInternalComplaintOnThePortal(InternalComplaintSetup, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_internal()

    def test_a_colleague_files_and_follows_his_complaint_on_the_portal_as_a_customer_does(self):
        self.authenticate("internal_colleague", "colleague_pw_1")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Showroom booked twice",
                "description": "Two visits at the same hour",
                "team": self.team.id,
                "is_complaint": "1",
                "contact_reason": "problem",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["helpdesk.ticket"].search([("name", "=", "Showroom booked twice")])
        self.assertEqual(
            (complaint.is_complaint, complaint.received_via, complaint.partner_id, complaint.customer_kind),
            (True, "portal", self.colleague.partner_id, "internal"),
        )
        self.assertTrue(complaint.complaint_number)
        listing = self.url_open("/my/tickets")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Showroom booked twice", listing.text)
        page = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.complaint_number, page.text)

    def test_the_portal_page_of_a_complaint_does_not_show_its_third_party_contacts(self):
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Projector broken",
                "description": "x",
                "partner_id": self.colleague.partner_id.id,
                "team_id": self.team.id,
                "is_complaint": True,
            }
        )
        self.env["crm.complaint.third.party.contact"].create(
            {
                "ticket_id": complaint.id,
                "partner_id": self.env["res.partner"].create({"name": "Beamer Repairs Ltd"}).id,
                "request": "Secret question about the warranty of serial 4471",
            }
        )
        self.authenticate("internal_colleague", "colleague_pw_1")
        page = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Projector broken", page.text)
        self.assertNotIn("serial 4471", page.text)
        self.assertNotIn("Beamer Repairs", page.text)
