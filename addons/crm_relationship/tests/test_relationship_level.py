from odoo.exceptions import AccessError, UserError, ValidationError
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

    def test_a_customer_is_not_created_high_on_the_ladder(self):
        Partner = self.env["res.partner"]
        # the RPC calls of a salesperson (and of a manager without a reason) skipping the climb
        for user in (self.salesman, self.sales_manager):
            for level in ("trusted_partner", "partnership"):
                with self.assertRaisesRegex(ValidationError, "one rung at a time"):
                    Partner.with_user(user).create(
                        {"name": "Leapfrog Ltd", "is_company": True, "relationship_level": level}
                    )
        self.assertEqual(Partner.search_count([("name", "=", "Leapfrog Ltd")]), 0)
        first_rung = Partner.with_user(self.salesman).create(
            {"name": "Steady Ltd", "is_company": True, "relationship_level": "competent_supplier"}
        )
        self.assertEqual(first_rung.relationship_level, "competent_supplier")

    def test_a_manager_places_a_customer_on_any_rung_once_with_a_reason(self):
        Place = self.env["crm.relationship.level.place"]
        values = {
            "partner_ids": [(6, 0, self.contact.ids)],
            "relationship_level": "partnership",
            "reason": "Joint product development since 2015, before the CRM",
        }
        with self.assertRaises(AccessError):
            Place.with_user(self.salesman).create(values)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).write({"relationship_level_placed": True})
        Place.with_user(self.sales_manager).create(values).action_apply()
        self.assertEqual(
            (self.customer.relationship_level, self.customer.relationship_level_placed), ("partnership", True)
        )
        note = self.customer.message_ids.filtered(lambda m: "before the CRM" in (m.body or ""))
        self.assertEqual(note.author_id, self.sales_manager.partner_id)
        self.assertIn("Partnership", note.body)
        # once: later moves climb one rung at a time
        with self.assertRaisesRegex(UserError, "already placed"):
            Place.with_user(self.sales_manager).create(dict(values, relationship_level="encounter")).action_apply()
        self.assertEqual(self.customer.relationship_level, "partnership")
        self.customer.with_user(self.salesman).relationship_level = "encounter"
        with self.assertRaisesRegex(ValidationError, "one rung at a time"):
            self.customer.with_user(self.sales_manager).relationship_level = "trusted_partner"
