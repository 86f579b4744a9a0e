from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase

OUR_MODELS = (
    "crm.relationship.strategy",
    "crm.customer.value",
    "crm.customer.cost",
    "crm.wallet.estimate",
    "crm.wallet.competitor",
    "crm.contact.log",
    "crm.client.risk",
)


@tagged("post_install", "-at_install")
class TestRelationshipSecurity(RelationshipCase):
    def test_plain_internal_user_cannot_read_relationship_data(self):
        for model in OUR_MODELS:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.plain_user).search([])

    def test_salesperson_reads_costs_but_only_a_manager_books_them(self):
        cost = self.book_cost(self.customer, 100.0)
        self.assertEqual(self.env["crm.customer.cost"].with_user(self.salesman).browse(cost.id).amount, 100.0)
        with self.assertRaises(AccessError):
            self.env["crm.customer.cost"].with_user(self.salesman).create(
                {"name": "x", "partner_id": self.customer.id, "cost_type": "co_marketing", "amount": 5.0}
            )
        with self.assertRaises(AccessError):
            cost.with_user(self.salesman).amount = 1.0
        cost.with_user(self.sales_manager).amount = 150.0
        self.assertEqual(cost.amount, 150.0)

    def test_salesperson_edits_own_contacts_only(self):
        Log = self.env["crm.contact.log"]
        mine = Log.with_user(self.salesman).create({"partner_id": self.customer.id, "summary": "Mine"})
        theirs = Log.with_user(self.other_salesman).create({"partner_id": self.customer.id, "summary": "Theirs"})
        mine.summary = "Mine, corrected"
        self.assertEqual(theirs.with_user(self.salesman).summary, "Theirs", "reading a colleague's entry is fine")
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).summary = "Changed"
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).unlink()
        theirs.with_user(self.sales_manager).summary = "Checked by the manager"

    def test_salesperson_cannot_change_strategies_configuration(self):
        protect = self.env.ref("crm_relationship.strategy_protect")
        with self.assertRaises(AccessError):
            protect.with_user(self.salesman).name = "Guard"

    def test_other_company_data_is_invisible(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        user_a = new_test_user(
            self.env,
            login="crm_company_a_manager",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        cost_b = self.book_cost(self.customer, 999.0, company=company_b)
        risk_b = self.env["crm.client.risk"].create(
            {"name": "B risk", "partner_id": self.customer.id, "risk_type": "risky_client", "company_id": company_b.id}
        )
        log_b = self.env["crm.contact.log"].create(
            {"partner_id": self.customer.id, "summary": "B call", "company_id": company_b.id}
        )
        self.place_order(self.customer, 100.0)
        self.Value._refresh(companies=self.company | company_b)
        value_b = self.Value.search([("company_id", "=", company_b.id), ("partner_id", "=", self.customer.id)])
        self.assertEqual(value_b.cost_to_serve, 999.0)
        for record in (cost_b, risk_b, log_b, value_b):
            with self.subTest(model=record._name):
                self.assertFalse(record.with_user(user_a).search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(user_a).read(["id", "display_name"])
        customer_a = self.customer.with_user(user_a)
        self.assertEqual(customer_a.value_cost_to_serve, 0.0, "company A's dossier ignores company B's costs")
        self.assertEqual(customer_a.contact_log_count, 0)
