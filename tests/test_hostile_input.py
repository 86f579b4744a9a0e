"""Hostile input: every model of ours, every role that may write it, bad values on create and
write. Each is refused with a message naming the field, stored because the table ``ACCEPTED`` of
``hostile_sweep`` says it is a valid value, or refused by Odoo's own field conversion; nothing
else, and the database is unchanged after a refusal."""

from hostile_sweep import HostileSweep

from odoo import http
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger


class TestHostileInput(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    def test_every_hostile_value_is_refused_naming_the_field_or_accepted_by_the_table(self):
        with mute_logger("odoo.sql_db", "odoo.models", "odoo.models.unlink"):
            sweep = HostileSweep(self).run()
        print(sweep.summary())  # the figures are the test's report
        self.assertGreater(sum(sweep.outcomes.values()), 300, "the sweep tried a few hundred values at least")
        self.assertFalse(sweep.defects, "new defects:\n" + "\n".join(map(str, sweep.defects)))
        self.assertFalse(sweep.stale_open_rows(), "fixed: delete these rows of OPEN")


class TestHostilePortalComplaint(HttpCase):
    """The portal complaint form, posted by hand with garbage: never a server error (500), never a
    complaint filed in another company."""

    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    def test_hostile_values_posted_to_the_complaint_form_give_no_server_error(self):
        customer = self.env["res.partner"].create({"name": "Hostile Portal Co", "is_company": True})
        portal = new_test_user(self.env, login="hostile_portal", groups="base.group_portal", password="hostile_pw")
        portal.partner_id.parent_id = customer
        self.env.company.helpdesk_mgmt_portal_select_team = True
        other_company = self.env["res.company"].create({"name": "Hostile Portal Other Co"})
        other_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Other company's team", "company_id": other_company.id, "show_in_portal": True}
        )
        other_category = self.env["helpdesk.ticket.category"].create(
            {"name": "Other company's category", "company_id": other_company.id}
        )
        self.authenticate("hostile_portal", "hostile_pw")
        hostile = [
            {"team": str(other_team.id)},
            {"category": str(other_category.id)},
            {"category": "abc"},
            {"team": "abc"},
            {"subject": "x" * 10_000},
            {"contact_reason": "<script>alert(1)</script>", "remedy_sought": "<script>alert(1)</script>"},
            {"category": "-1", "team": "99999999999"},
        ]
        failures = []
        for values in hostile:
            data = {
                "subject": "Hostile portal complaint",
                "description": "<script>alert(1)</script>",
                "is_complaint": "1",
                "csrf_token": http.Request.csrf_token(self),
                **values,
            }
            with mute_logger("odoo.http", "odoo.sql_db"):
                response = self.url_open("/submitted/ticket", data=data, allow_redirects=False)
            print(f"portal complaint form {sorted(values)}: HTTP {response.status_code}")
            if response.status_code >= 500:
                failures.append((sorted(values), response.status_code))
        foreign = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("partner_id", "=", portal.partner_id.id), ("company_id", "=", other_company.id)])
        )
        self.assertFalse(failures, "the form answered with a server error")
        self.assertFalse(foreign, "a portal user filed a complaint in a company that is not his")
