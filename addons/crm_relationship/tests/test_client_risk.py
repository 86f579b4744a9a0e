from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestClientRisk(RelationshipCase):
    def _risk(self, level, state="open", risk_type="risky_client"):
        return self.env["crm.client.risk"].create(
            {
                "name": f"Risk {level}",
                "partner_id": self.contact.id,
                "risk_type": risk_type,
                "level": level,
                "state": state,
            }
        )

    def test_the_customer_shows_its_highest_open_risk(self):
        self.assertFalse(self.customer.highest_open_risk_level)
        self._risk("2")
        high = self._risk("3", risk_type="product_safety")
        self._risk("4", state="closed")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.highest_open_risk_level, "3")
        self.assertEqual(self.customer.highest_open_risk_id, high)
        high.action_close()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.highest_open_risk_level, "2")

    def test_risks_are_filed_on_the_company_and_lower_health(self):
        risk = self._risk("4")
        self.assertEqual(risk.partner_id, self.customer)
        self.customer.invalidate_recordset()
        # only factor known for a new customer: a critical open risk scores 0
        self.assertEqual(self.customer.relationship_health, 0)
        risk.action_close()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.relationship_health, 100)
