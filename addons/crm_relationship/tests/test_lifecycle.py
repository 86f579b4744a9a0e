from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestLifecycle(RelationshipCase):
    def _customer(self, name, order_days_ago=()):
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "customer_rank": 1})
        for days in order_days_ago:
            self.place_order(partner, 100.0, days_ago=days)
        return partner

    def test_stages_follow_the_order_history(self):
        potential = self._customer("Potential Ltd")
        one_time = self._customer("Once Ltd", [30])
        regular = self._customer("Regular Ltd", [90, 60, 30])
        # average interval 30 days; 90 days without an order is more than 1.5 x 30
        at_risk = self._customer("Quiet Ltd", [150, 120, 90])
        lost = self._customer("Gone Ltd", [500, 400])
        won_back = self._customer("Returned Ltd", [800, 10])
        contact_buyer = self._customer("Via Contact Ltd")
        person = self.env["res.partner"].create({"name": "Buyer", "parent_id": contact_buyer.id})
        self.place_order(person, 100.0, days_ago=20)
        self.refresh()
        self.assertEqual(potential.lifecycle_stage, "potential")
        self.assertEqual(one_time.lifecycle_stage, "one_time")
        self.assertEqual(regular.lifecycle_stage, "regular")
        self.assertEqual(at_risk.lifecycle_stage, "at_risk")
        self.assertEqual(lost.lifecycle_stage, "lost")
        self.assertEqual(won_back.lifecycle_stage, "won_back")
        self.assertEqual(contact_buyer.lifecycle_stage, "one_time")
        self.assertFalse(person.lifecycle_stage, "only the commercial entity carries a stage")

    def test_at_risk_boundary_is_strictly_above_the_factor(self):
        # interval 30 days; exactly 45 days (1.5 x 30) without an order is still regular
        partner = self._customer("Boundary Ltd", [105, 75, 45])
        self.refresh()
        self.assertEqual(partner.lifecycle_stage, "regular")
        self.refresh(today=self.days_ago(-1))
        self.assertEqual(partner.lifecycle_stage, "at_risk")

    def test_thresholds_are_settings(self):
        partner = self._customer("Seasonal Ltd", [150])
        self.refresh()
        self.assertEqual(partner.lifecycle_stage, "one_time")
        self.env["ir.config_parameter"].set_param("crm_relationship.lost_days", "100")
        self.refresh()
        self.assertEqual(partner.lifecycle_stage, "lost")

    def test_manual_stage_is_kept_by_the_scheduler(self):
        partner = self._customer("Quiet Ltd", [150, 120, 90])
        self.refresh()
        self.assertEqual(partner.lifecycle_stage, "at_risk")
        partner.lifecycle_stage = "regular"
        self.assertTrue(partner.lifecycle_stage_locked)
        self.refresh()
        self.assertEqual(partner.lifecycle_stage, "regular")
        partner.action_unlock_lifecycle()
        self.assertFalse(partner.lifecycle_stage_locked)
        self.assertEqual(partner.lifecycle_stage, "at_risk")

    def test_cron_recomputes_all_companies(self):
        partner = self._customer("Cron Ltd", [30])
        self.env.ref("crm_relationship.ir_cron_customer_value_refresh").method_direct_trigger()
        self.assertEqual(partner.lifecycle_stage, "one_time")
        self.assertEqual(self.value_of(partner).revenue, 100.0)
