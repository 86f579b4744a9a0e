from odoo.addons.crm_relationship.tests.datacard_common import DatacardCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDatacardDecisionMaker(DatacardCase):
    """The seven items of the data card once key accounts are installed: the decision maker comes
    from the stakeholder maps of the customer's key-account plans."""

    def setUp(self):
        super().setUp()
        self.customer = self.make_customer(
            "Birch Offices", ("contact_role", "address", "phone_email", "visit_notes", "strategy")
        )

    def add_decision_maker(self):
        person = self.env["res.partner"].create(
            {"name": "Dora Birch", "parent_id": self.customer.id, "function": "Managing Director"}
        )
        plan = self.env["crm.key.account.plan"].create({"partner_id": self.customer.id, "user_id": self.salesman.id})
        return self.env["crm.key.account.stakeholder"].create(
            {"plan_id": plan.id, "contact_id": person.id, "role": "decision_maker"}
        )

    def test_a_customer_with_five_of_the_seven_items_is_71_percent_complete_and_names_the_two_missing(self):
        card = self.card(self.customer)
        self.assertEqual((card.criteria_met, card.criteria_count), (5, 7))
        self.assertAlmostEqual(card.completeness, 500 / 7)
        self.assertEqual(round(self.customer.datacard_completeness), 71)
        self.assertEqual(
            self.customer.datacard_missing_ids.sorted("sequence").mapped("name"),
            ["Decision maker", "Share-of-wallet estimate of the year"],
        )

    def test_a_decision_maker_on_a_stakeholder_map_fills_the_item_and_an_influencer_does_not(self):
        stakeholder = self.add_decision_maker()
        stakeholder.role = "influencer"
        self.assertIn("decision_maker", self.missing(self.card(self.customer)))
        stakeholder.role = "decision_maker"
        card = self.card(self.customer)
        self.assertEqual((card.criteria_met, round(card.completeness)), (6, 86))
        self.assertEqual(self.missing(card), ["wallet_estimate"])

    def test_archiving_the_decision_maker_item_makes_five_of_six_83_percent(self):
        self.item("decision_maker").active = False
        card = self.card(self.customer)
        self.assertEqual((card.criteria_met, card.criteria_count, round(card.completeness)), (5, 6, 83))
        self.assertEqual(self.missing(card), ["wallet_estimate"])
