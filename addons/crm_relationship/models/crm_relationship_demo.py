import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models

# (name, profile): the demo company's customers, one story each. Profiles drive two years of orders.
DEMO_CUSTOMERS = [
    ("Northwind Fit-Outs", "star"),
    ("Harbour Office Group", "star"),
    ("Lumen Architects", "star"),
    ("Granite Bank", "cash_cow"),
    ("Civic Hospital Trust", "cash_cow"),
    ("Metro Insurance", "cash_cow"),
    ("Atlas Logistics", "cash_cow"),
    ("Brightside Coworking", "question_mark"),
    ("Pixel & Pine Studio", "question_mark"),
    ("Greenleaf School", "question_mark"),
    ("Orbit Start-up Hub", "new"),
    ("Cedar Dental Clinics", "new"),
    ("Summit Law Partners", "new"),
    ("Old Mill Hotel", "dog"),
    ("Riverside Library", "dog"),
    ("Quayside Cafe Chain", "dog"),
    ("Tiny Print Shop", "dog"),
    ("Beacon Accountants", "at_risk"),
    ("Willow Care Homes", "at_risk"),
    ("Falcon Freight", "lost"),
    ("Delta Call Centre", "lost"),
    ("Sunrise Yoga", "one_time"),
    ("Harlow Florists", "one_time"),
    ("Vertex Engineering", "won_back"),
    ("Maple Town Council", "regular"),
    ("Nimbus Software", "regular"),
    ("Corner Bakery Group", "regular"),
    ("Keystone Realty", "regular"),
    ("Oakridge University", "regular"),
    ("Bluebell Nursery", "small"),
    ("Copper Kettle Pubs", "small"),
    ("Marina Yacht Club", "small"),
    ("Prairie Vets", "small"),
    ("Alder Pharmacy", "potential"),
    ("Iris Opticians", "potential"),
    ("Juniper Gyms", "potential"),
]

# profile: (orders in the previous year, orders this year, typical order value)
PROFILES = {
    "star": (6, 12, 4200),
    "cash_cow": (12, 12, 3800),
    "question_mark": (2, 6, 900),
    "new": (0, 5, 1100),
    "dog": (6, 3, 600),
    "at_risk": (8, 3, 1200),
    "regular": (6, 7, 1500),
    "small": (4, 4, 300),
    "one_time": (0, 1, 700),
}


class CrmRelationshipDemo(models.AbstractModel):
    """Builds the demo company's story: about forty customers across every quadrant and lifecycle
    stage, with two years of confirmed orders dated relative to today (the demo never ages)."""

    _name = "crm.relationship.demo"
    _description = "Customer Relationship Demo Story"

    @api.model
    def _generate_demo_story(self):
        rng = random.Random(18)
        now = fields.Datetime.now()
        product = self.env["product.product"].create(
            {"name": "Office furniture package", "list_price": 1000.0, "standard_price": 620.0, "type": "consu"}
        )
        salespeople = self.env.ref("base.user_admin") | self.env.ref("base.user_demo")
        customers = self.env["res.partner"]
        for index, (name, profile) in enumerate(DEMO_CUSTOMERS):
            customer = self.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": salespeople[index % 2].id,
                    "email": f"purchasing@{name.lower().replace(' ', '').replace('&', '')[:18]}.example.com",
                }
            )
            customers |= customer
            for days_ago, amount in self._demo_orders(profile, rng):
                order = self.env["sale.order"].create(
                    {
                        "partner_id": customer.id,
                        "user_id": customer.user_id.id,
                        "order_line": [
                            fields.Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": amount,
                                    "purchase_price": amount * rng.uniform(0.55, 0.8),
                                }
                            )
                        ],
                    }
                )
                order.action_confirm()
                order.date_order = datetime.combine((now - timedelta(days=days_ago)).date(), time(10))
        self._invoice_demo_orders(customers.filtered(lambda c: dict(DEMO_CUSTOMERS)[c.name] == "cash_cow"))
        self.env["crm.customer.cost"].create(
            [
                {
                    "name": "Weekly on-site visits and rush deliveries",
                    "partner_id": customers.filtered(lambda c: c.name == "Quayside Cafe Chain").id,
                    "cost_type": "account_management",
                    "amount": 2600.0,
                    "date": (now - timedelta(days=40)).date(),
                },
                {
                    "name": "Joint showroom",
                    "partner_id": customers.filtered(lambda c: c.name == "Northwind Fit-Outs").id,
                    "cost_type": "co_marketing",
                    "amount": 3000.0,
                    "date": (now - timedelta(days=90)).date(),
                },
            ]
        )
        return customers

    @api.model
    def _invoice_demo_orders(self, customers):
        """The cash cows are invoiced, one invoice per order of the last year older than a month,
        dated on the order's day: the invoice-based portfolio and key-account figures have data."""
        if not self.env["account.journal"].search_count([("type", "=", "sale")], limit=1):
            return self.env["account.move"]  # a company without a chart of accounts: orders only
        now = fields.Datetime.now()
        orders = self.env["sale.order"].search(
            [
                ("partner_id", "in", customers.ids),
                ("state", "=", "sale"),
                ("date_order", ">=", now - timedelta(days=365)),
                ("date_order", "<", now - timedelta(days=30)),
            ]
        )
        invoices = orders._create_invoices(grouped=True)
        for invoice in invoices:
            invoice.invoice_date = invoice.line_ids.sale_line_ids.order_id[:1].date_order.date()
        invoices.action_post()
        return invoices

    @staticmethod
    def _demo_orders(profile, rng):
        """(days ago, amount) of a profile's orders over two years."""
        if profile == "potential":
            return []
        if profile == "lost":
            return [(rng.randint(420, 700), rng.randint(800, 2500)) for _order in range(4)]
        if profile == "won_back":
            return [(rng.randint(500, 720), 1800), (rng.randint(450, 499), 1600), (rng.randint(5, 60), 2200)]
        previous, current, value = PROFILES[profile]
        orders = [(rng.randint(366, 725), round(value * rng.uniform(0.7, 1.3), 2)) for _order in range(previous)]
        if profile in ("star", "cash_cow"):
            # steady monthly call-offs: the stable (X) demand of the big accounts
            return orders + [(10 + 30 * month, round(value * rng.uniform(0.95, 1.05), 2)) for month in range(current)]
        first_day = 300 if profile == "at_risk" else 360
        last_day = 200 if profile == "at_risk" else 3
        orders += [
            (rng.randint(last_day, first_day), round(value * rng.uniform(0.7, 1.3), 2)) for _order in range(current)
        ]
        return orders
