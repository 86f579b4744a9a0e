"""The leaf modules meet through the core's extension points only."""

from datetime import datetime

from odoo.tests import TransactionCase


class TestCrossModule(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    def test_key_account_objectives_read_complaints_and_satisfaction_from_quality(self):
        today = datetime.now().date()
        customer = self.env["res.partner"].create({"name": "Cross Co", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Cross Buyer", "parent_id": customer.id})
        plan = self.env["crm.key.account.plan"].create(
            {
                "partner_id": customer.id,
                "date_start": today.replace(month=1, day=1),
                "date_end": today.replace(month=12, day=31),
            }
        )
        Objective = self.env["crm.key.account.objective"]
        complaints = Objective.create(
            {"plan_id": plan.id, "name": "Few complaints", "measure": "complaints", "target": 1}
        )
        satisfaction = Objective.create({"plan_id": plan.id, "name": "Happy", "measure": "satisfaction", "target": 4})
        for name in ("Late delivery", "Scratched desk"):
            self.env["helpdesk.ticket"].create(
                {"name": name, "description": name, "partner_id": contact.id, "is_complaint": True}
            )
        Feedback = self.env["crm.customer.feedback"]
        Feedback.create({"partner_id": contact.id, "respondent_role": "decision_maker", "score": 5})
        Feedback.create({"partner_id": contact.id, "respondent_role": "user", "score": 1})
        plan.action_refresh_actuals()
        self.assertEqual(complaints.actual, 2.0)
        self.assertEqual(complaints.progress, 50.0, "two complaints against a target of one")
        self.assertEqual(satisfaction.actual, 4.0)  # (3 x 5 + 1 x 1) / 4
        self.assertEqual(satisfaction.progress, 100.0)
