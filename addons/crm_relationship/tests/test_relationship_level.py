from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestRelationshipLevel(RelationshipCase):
    def test_new_customer_starts_at_encounter(self):
        self.assertEqual(self.customer.relationship_level, "encounter")

    def test_levels_are_climbed_one_rung_at_a_time(self):
        customer = self.customer.with_user(self.salesman)
        with self.assertRaisesRegex(ValidationError, "Competent supplier"):
            customer.relationship_level = "trusted_partner"
        self.assertEqual(customer.relationship_level, "encounter")
        customer.relationship_level = "competent_supplier"
        customer.relationship_level = "trusted_partner"
        customer.relationship_level = "partnership"
        self.assertEqual(customer.relationship_level, "partnership")

    def test_a_relationship_can_fall_back_several_rungs(self):
        self.customer.relationship_level = "competent_supplier"
        self.customer.relationship_level = "trusted_partner"
        self.customer.relationship_level = "encounter"
        self.assertEqual(self.customer.relationship_level, "encounter")

    def test_level_changes_are_tracked(self):
        self.flush_tracking()  # changes right after creation are not tracked
        self.customer.relationship_level = "competent_supplier"
        self.flush_tracking()
        tracked = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "relationship_level"
        )
        self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("Encounter", "Competent supplier"))
