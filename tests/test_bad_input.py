"""Wrong values are refused with a message that names the field and the fix, and nothing is written."""

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase
from odoo.tools import mute_logger


class TestBadInput(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Bad Input Co", "is_company": True})

    def assertRefusedByDatabase(self, model, values, message_part):
        """The database refuses the row; the constraint's message (shown to the user) says why."""
        count = self.env[model].search_count([])
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env[model].create(values)
        constraint = self.env["ir.model.constraint"].search([("name", "=", caught.exception.diag.constraint_name)])
        self.assertIn(message_part, constraint.message)
        self.assertEqual(self.env[model].search_count([]), count, "nothing half-written")

    def test_negative_amounts(self):
        self.assertRefusedByDatabase(
            "crm.customer.cost",
            {"name": "minus", "partner_id": self.customer.id, "cost_type": "co_marketing", "amount": -1.0},
            "Amount",
        )
        self.assertRefusedByDatabase(
            "crm.quality.cost", {"name": "minus", "category": "appraisal", "amount": -5.0}, "Amount"
        )

    def test_ratings_out_of_range(self):
        self.assertRefusedByDatabase("crm.customer.feedback", {"partner_id": self.customer.id, "score": 7}, "Score")
        attribute = self.env["crm.quality.attribute"].create({"name": "Courtesy of the driver"})
        self.assertRefusedByDatabase(
            "crm.quality.gap", {"attribute_id": attribute.id, "expectation": 3, "perception": 6}, "Perception"
        )

    def test_end_before_start(self):
        self.assertRefusedByDatabase(
            "crm.key.account.plan",
            {"partner_id": self.customer.id, "date_start": "2026-12-31", "date_end": "2026-01-01"},
            "End date",
        )

    def test_percentages_outside_0_100(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.env["crm.customer.mix.target"].create(
                {"year": 2031, "target_new": 120, "target_repeat": -20, "target_switcher": 0, "target_last_time": 0}
            )
        with self.assertRaisesRegex(ValidationError, "Target Net Margin"):
            self.env["res.config.settings"].create({"crm_target_net_margin": 150})
        with self.assertRaisesRegex(ValidationError, "On-Time Target"):
            self.env["helpdesk.ticket.team"].create({"name": "Bad target", "complaint_sla_target": 120})

    def test_impossible_times_and_years(self):
        with self.assertRaisesRegex(ValidationError, "Same-Day Cutoff"):
            self.env["helpdesk.ticket.team"].create({"name": "Bad cutoff", "complaint_cutoff_hour": 25})
        with self.assertRaisesRegex(ValidationError, "four-digit year"):
            self.env["crm.wallet.estimate"].create(
                {"partner_id": self.customer.id, "year": 26, "estimated_total_spend": 100.0}
            )
        self.assertRefusedByDatabase("crm.portfolio.analysis", {"period_months": 0}, "Period")
