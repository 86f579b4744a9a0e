from psycopg2.errors import CheckViolation

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPurchaseIntent(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Feedback = cls.env["crm.customer.feedback"]
        cls.chair = cls.env["product.product"].create({"name": "Office chair"})
        cls.key_customer = cls.env["res.partner"].create(
            {"name": "Key Customer", "is_company": True, "service_tier": "key"}
        )

    def _answers(self, partner, product, intents, date="2026-10-15"):
        return self.Feedback.create(
            [
                {
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "score": 4,
                    "date": date,
                    "purchase_intent": intent,
                }
                for intent in intents
            ]
        )

    def _share(self, groupby):
        """The pivot's Purchase intent (%) measure over this test's feedback."""
        feedback = self.Feedback.search([("product_id", "in", (self.product | self.chair).ids)])
        return dict(
            (tuple(key) if len(key) > 1 else key[0], share)
            for *key, share in self.Feedback._read_group([("id", "in", feedback.ids)], groupby, ["buy_again_share:avg"])
        )

    def test_three_yes_one_no_one_unsure_is_75_percent_for_the_product(self):
        self._answers(self.customer, self.product, ["yes", "yes", "yes", "no", "maybe"])
        self._answers(self.customer, self.chair, ["no", "no"])
        shares = self._share(["product_id"])
        self.assertEqual(shares, {self.product: 75.0, self.chair: 0.0})

    def test_each_answer_reads_100_for_yes_and_0_otherwise(self):
        answers = self._answers(self.customer, self.product, ["yes", "no", "maybe", False])
        self.assertEqual(answers.mapped("buy_again_share"), [100.0, 0.0, 0.0, 0.0])

    def test_unsure_or_unanswered_feedback_alone_has_no_share(self):
        self._answers(self.customer, self.chair, ["maybe", False])
        self.assertEqual(self._share(["product_id"]), {self.chair: False})

    def test_share_per_segment_is_the_customers_service_tier(self):
        self._answers(self.customer, self.product, ["yes", "no", "no", "no"])
        self._answers(self.key_customer, self.product, ["yes", "yes", "maybe", "no"])
        self.assertEqual(self.customer.service_tier, "standard")
        shares = self._share(["service_tier"])
        self.assertEqual(shares["standard"], 25.0)
        self.assertAlmostEqual(shares["key"], 66.7, places=1)

    def test_share_per_month_and_product(self):
        self._answers(self.customer, self.product, ["yes", "no"], date="2026-09-10")
        self._answers(self.customer, self.product, ["yes", "yes", "yes", "no"], date="2026-10-03")
        self._answers(self.customer, self.chair, ["yes"], date="2026-10-20")
        shares = self._share(["date:month", "product_id"])
        self.assertEqual(
            {(month.strftime("%Y-%m"), product.name): share for (month, product), share in shares.items()},
            {
                ("2026-09", self.product.name): 50.0,
                ("2026-10", self.product.name): 75.0,
                ("2026-10", "Office chair"): 100.0,
            },
        )

    def test_segment_follows_the_customer_when_key_account_management_promotes_it(self):
        answer = self._answers(self.customer, self.product, ["yes"])
        self.customer.service_tier = "priority"
        self.assertEqual(answer.service_tier, "priority")

    def test_satisfaction_falling_below_3_is_a_customer_event(self):
        Event = self.env["crm.relationship.event"]
        today = self.today
        self.Feedback.create({"partner_id": self.key_customer.id, "score": 4, "date": today})
        self.assertFalse(Event.search([("partner_id", "=", self.key_customer.id)]))
        # two answers of 1 with the same weight: (4 + 1 + 1) / 3 = 2.00
        self.Feedback.create([{"partner_id": self.key_customer.id, "score": 1, "date": today} for _answer in range(2)])
        event = Event.search([("partner_id", "=", self.key_customer.id)])
        self.assertEqual((event.event_type, event.from_value, event.to_value), ("satisfaction", "4.00", "2.00"))
        self.Feedback.create({"partner_id": self.key_customer.id, "score": 1, "date": today})
        self.assertEqual(
            len(Event.search([("partner_id", "=", self.key_customer.id)])), 1, "already below: no new event"
        )


@tagged("post_install", "-at_install")
class TestPerceptionGap(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Gap = cls.env["crm.quality.gap"]
        cls.attribute = cls.env["crm.quality.attribute"].create({"name": "Delivery on the promised day"})

    def test_staff_think_4_customer_perceives_2_is_a_perception_gap_of_2(self):
        gap = self.Gap.create(
            {"attribute_id": self.attribute.id, "expectation": 5, "perception": 2, "staff_estimate": 4}
        )
        self.assertEqual((gap.gap, gap.perception_gap), (-3, 2))

    def test_average_perception_gap_skips_assessments_without_staff_estimate(self):
        self.Gap.create(
            [
                {"attribute_id": self.attribute.id, "expectation": 4, "perception": 2, "staff_estimate": 5},
                {"attribute_id": self.attribute.id, "expectation": 4, "perception": 3, "staff_estimate": 3},
                {"attribute_id": self.attribute.id, "expectation": 4, "perception": 1},
            ]
        )
        [(_attribute, gap, perception_gap)] = self.Gap._read_group(
            [("attribute_id", "=", self.attribute.id)], ["attribute_id"], ["gap:avg", "perception_gap:avg"]
        )
        # expectation gaps -2, -1, -3 average -2; perception gaps 3 and 0 average 1.5
        self.assertEqual((gap, perception_gap), (-2.0, 1.5))

    def test_staff_estimate_outside_1_to_5_is_refused(self):
        with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Gap.create({"attribute_id": self.attribute.id, "expectation": 3, "perception": 3, "staff_estimate": 6})
