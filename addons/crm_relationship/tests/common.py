from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class RelationshipCase(TransactionCase):
    """Customers, users per role and helpers that place real orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one time zone for every user of a test: the demo gives the superuser Brussels' and a
        # new user has none (UTC), so for an hour or two before midnight UTC the test's "today"
        # and the one of the user it acts as were two different days
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.plain_user = new_test_user(cls.env, login="crm_plain_user", groups="base.group_user")
        cls.salesman = new_test_user(
            cls.env, login="crm_salesman", groups="sales_team.group_sale_salesman", name="Sam Salesman"
        )
        cls.other_salesman = new_test_user(
            cls.env, login="crm_other_salesman", groups="sales_team.group_sale_salesman", name="Olga Other"
        )
        cls.sales_manager = new_test_user(
            cls.env, login="crm_sales_manager", groups="sales_team.group_sale_manager", name="Mia Manager"
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Oak desk", "list_price": 1000.0, "standard_price": 600.0, "type": "consu"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Northwind Offices", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Nora North", "parent_id": cls.customer.id, "email": "nora@northwind.example"}
        )
        cls.Value = cls.env["crm.customer.value"]

    def other_company_manager(self, login, company_name):
        """A sales manager of a new company ``company_name``, and of that company alone: the
        attacker of the company rules."""
        company = self.env["res.company"].create({"name": company_name})
        return new_test_user(
            self.env,
            login=login,
            groups="sales_team.group_sale_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def days_ago(self, days):
        return self.today - timedelta(days=days)

    def place_order(self, partner, price, cost=0.0, days_ago=10, confirm=True, pricelist=None, user=None, company=None):
        """A real sale order of one line, confirmed and back-dated, in ``company`` if given."""
        SaleOrder = self.env["sale.order"]
        vals = {
            "partner_id": partner.id,
            "user_id": (user or self.salesman).id,
            "order_line": [
                Command.create(
                    {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": price, "purchase_price": cost}
                )
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        if company:
            SaleOrder = SaleOrder.with_company(company)
            vals["company_id"] = company.id
        order = SaleOrder.create(vals)
        if confirm:
            order.action_confirm()
        # confirmation stamps "now"; the scenario needs the order in the past
        order.date_order = fields.Datetime.to_datetime(self.days_ago(days_ago)) + timedelta(hours=10)
        return order

    def refresh(self, partners=None, today=None):
        self.Value._refresh(
            companies=self.company,
            partner_ids=partners.commercial_partner_id.ids if partners else None,
            today=today or self.today,
        )

    def value_of(self, partner):
        return self.Value.search([("company_id", "=", self.company.id), ("partner_id", "=", partner.id)])

    def book_cost(self, partner, amount, cost_type="account_management", days_ago=5, company=None):
        return self.env["crm.customer.cost"].create(
            {
                "name": f"{cost_type} {amount}",
                "partner_id": partner.id,
                "cost_type": cost_type,
                "amount": amount,
                "date": self.days_ago(days_ago),
                "company_id": (company or self.company).id,
            }
        )

    def flush_tracking(self):
        """Write pending tracking messages, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
