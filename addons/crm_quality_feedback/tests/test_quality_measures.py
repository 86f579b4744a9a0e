from datetime import datetime

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestQualityMeasures(RelationshipCase):
    def _resolved_complaints(self, team, count, on_time):
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Complaint {index}",
                    "description": "x",
                    "partner_id": self.contact.id,
                    "team_id": team.id,
                    "is_complaint": True,
                    "received_date": datetime(2026, 10, 6, 8, 0),
                }
                for index in range(count)
            ]
        )
        for index, ticket in enumerate(tickets):
            ticket.write({"resolved_date": datetime(2026, 10, 6, 15, 0), "on_time": index < on_time})
        return tickets

    def _compliance(self, team, user=None):
        """The report as a manager pivots it: October 2026, by team."""
        Report = self.env["crm.complaint.sla.report"].with_user(user or self.env.user)
        return Report._read_group(
            [("team_id", "=", team.id), ("received_date", ">=", "2026-10-01"), ("received_date", "<", "2026-11-01")],
            ["team_id"],
            ["complaints:sum", "on_time_count:sum", "share_on_time:avg", "target:avg"],
        )

    def test_sla_compliance_against_the_95_percent_target(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Desk A"})
        self._resolved_complaints(team, 200, 190)
        [(_team, complaints, on_time, share, target)] = self._compliance(team)
        self.assertEqual((complaints, on_time, round(share, 1), target), (200, 190, 95.0, 95.0))

    def test_one_late_answer_more_misses_the_target(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Desk B", "complaint_sla_target": 97.0})
        self._resolved_complaints(team, 200, 189)
        [(_team, _complaints, _on_time, share, target)] = self._compliance(team)
        self.assertEqual((round(share, 1), target), (94.5, 97.0))
        self.assertLess(share, target)

    def test_quality_gap_is_perception_minus_expectation(self):
        attribute = self.env["crm.quality.attribute"].create({"name": "Delivery on the promised day"})
        gap = self.env["crm.quality.gap"].create(
            {"attribute_id": attribute.id, "source": "mystery_shopper", "expectation": 5, "perception": 3}
        )
        self.assertEqual(gap.gap, -2)

    def test_cost_of_quality_adds_up_with_the_restitution_as_external_failure(self):
        Cost = self.env["crm.quality.cost"]
        last_before = Cost.search([], order="id desc", limit=1).id
        for category, amount in (("prevention", 100.0), ("appraisal", 200.0), ("internal_failure", 300.0)):
            Cost.create({"name": category, "category": category, "amount": amount})
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Broken desk",
                "description": "x",
                "partner_id": self.contact.id,
                "is_complaint": True,
                "remedy_offered": "Credit note",
                "restitution_amount": 400.0,
            }
        )
        ticket.complaint_step = "investigated"
        ticket.action_resolve()
        totals = dict(Cost._read_group([("id", ">", last_before)], ["category"], ["amount:sum"]))
        self.assertEqual(sum(totals.values()), 1000.0)
        self.assertEqual(totals["external_failure"], 400.0)
        cost_to_serve = self.env["crm.customer.cost"].search([("origin_ref", "=", f"helpdesk.ticket,{ticket.id}")])
        self.assertEqual((cost_to_serve.partner_id, cost_to_serve.amount), (self.customer, 400.0))
