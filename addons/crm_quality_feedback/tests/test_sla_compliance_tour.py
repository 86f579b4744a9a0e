from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.crm_relationship.tests.tours import JourneyCase
from odoo.tests import tagged

from .test_complaint_screens import prepare_complaint

TEAM = "Tour SLA desk"
MEASURES = ["complaints", "on_time_count", "share_on_time", "target"]


@tagged("post_install", "-at_install")
class TestSlaComplianceJourney(JourneyCase):
    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.team = self.env["helpdesk.ticket.team"].create({"name": TEAM, "complaint_sla_target": 90.0})
        now = fields.Datetime.now()
        local = fields.Datetime.context_timestamp(self.admin.with_context(tz=self.admin.tz), now)
        if {now.month, local.month, (local + timedelta(hours=1)).month} != {now.month}:
            self.skipTest("too close to the turn of the month for 'this month' to mean one month everywhere")
        customer = self.env.ref("base.res_partner_2")
        # received, answer due, resolved, on time: two this month (one late), one two months ago
        rows = [
            ("Tour SLA: answered in time", now, now + timedelta(hours=4), now, True),
            ("Tour SLA: answered late", now, now - timedelta(hours=1), now, False),
            ("Tour SLA: answered in time, earlier", now - relativedelta(months=2), None, None, True),
        ]
        self.complaints = self.env["helpdesk.ticket"]
        for name, received, deadline, resolved, on_time in rows:
            deadline = deadline or received + timedelta(hours=4)
            complaint = prepare_complaint(self.env, name, customer, "resolved", deadline, on_time, self.admin)
            complaint.sudo().write(
                {
                    "team_id": self.team.id,
                    "received_date": received,
                    "resolved_date": resolved or received + timedelta(hours=2),
                }
            )
            self.complaints |= complaint

    def _report(self, domain):
        """The report's figures for the test's team, as the pivot's Total column adds them up."""
        Report = self.env["crm.complaint.sla.report"].with_user(self.admin)
        groups = Report.read_group(domain + [("team_id", "=", self.team.id)], MEASURES, ["team_id"], lazy=False)
        self.assertEqual(len(groups), 1)
        return {measure: groups[0][measure] for measure in MEASURES}

    def test_a_quality_manager_reads_sla_compliance_by_team_and_month(self):
        self.env.flush_all()
        this_month = fields.Date.today().replace(day=1)
        resolved_here = self.complaints.filtered("resolved_date")
        # the report counts resolved complaints received in the period, as the complaints table says
        shown = self._report([("received_date", ">=", this_month)])
        received_this_month = resolved_here.filtered(lambda c: c.received_date.date() >= this_month)
        on_time = received_this_month.filtered("on_time")
        self.assertEqual(
            shown,
            {
                "complaints": len(received_this_month),
                "on_time_count": len(on_time),
                "share_on_time": 100.0 * len(on_time) / len(received_this_month),
                "target": self.team.complaint_sla_target,
            },
        )
        self.assertEqual((shown["complaints"], shown["share_on_time"]), (2, 50.0), "what the tour reads this month")
        self.start_journey("/odoo", "crm_quality_sla_compliance_screen", login="admin", screenshot="sla_compliance")
        every_month = self._report([])
        self.assertEqual(every_month["complaints"], len(resolved_here))
        self.assertAlmostEqual(every_month["share_on_time"], 100.0 * len(resolved_here.filtered("on_time")) / 3)
        self.assertAlmostEqual(every_month["share_on_time"], 66.67, places=2, msg="the tour reads 66.7")
        # a report only reads: the complaints are as they were
        self.assertEqual(set(self.complaints.mapped("complaint_step")), {"resolved"})
