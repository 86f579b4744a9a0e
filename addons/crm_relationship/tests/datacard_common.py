from datetime import timedelta

from odoo import fields

from .common import RelationshipCase


class DatacardCase(RelationshipCase):
    """Customers whose records hold chosen items of the data card, and their refreshed cards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Card = cls.env["crm.customer.datacard"]
        cls.Criterion = cls.env["crm.datacard.criterion"]
        cls.Criterion._ensure_company_criteria(cls.company)
        cls.country = cls.env.ref("base.be")
        cls.protect = cls.env.ref("crm_relationship.strategy_protect")

    def item(self, code, company=None):
        return self.Criterion.with_context(active_test=False).search(
            [("company_id", "=", (company or self.company).id), ("code", "=", code)]
        )

    def make_customer(self, name, items=(), user=None):
        """A customer whose record holds ``items`` (core item codes) and nothing else."""
        customer = self.env["res.partner"].create(
            {"name": name, "is_company": True, "customer_rank": 1, "user_id": (user or self.salesman).id}
        )
        self.fill(customer, items)
        return customer

    def fill(self, customer, items):
        if "contact_role" in items:
            self.env["res.partner"].create(
                {"name": f"{customer.name} buyer", "parent_id": customer.id, "function": "Buyer"}
            )
        if "address" in items:
            customer.write({"street": "Rue Haute 1", "city": "Brussels", "country_id": self.country.id})
        if "phone_email" in items:
            customer.email = "office@" + customer.name.lower().replace(" ", "") + ".example"
        if "visit_notes" in items:
            self.visit(customer, days_ago=10)
        if "strategy" in items:
            customer.relationship_strategy_id = self.protect
        if "wallet_estimate" in items:
            self.env["crm.wallet.estimate"].create(
                {"partner_id": customer.id, "year": self.today.year, "estimated_total_spend": 10000.0}
            )

    def visit(self, customer, days_ago, note="<p>They plan a second floor next spring.</p>"):
        return self.env["crm.contact.log"].create(
            {
                "partner_id": customer.id,
                "channel": "meeting",
                "summary": "Visit",
                "note": note,
                "date": fields.Datetime.now() - timedelta(days=days_ago),
                "user_id": customer.user_id.id,
            }
        )

    def card(self, customer, refresh=True):
        if refresh:
            self.Card._refresh(companies=self.company, today=self.today)
        return self.Card.search([("company_id", "=", self.company.id), ("partner_id", "=", customer.id)])

    def missing(self, card):
        return card.missing_criterion_ids.sorted("sequence").mapped("code")
