import random
import re
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
# Invoiced customers and how many days of their orders are invoiced: the biggest accounts (the
# key accounts of the story) for two years, the other cash cows for the last year. The
# invoice-based figures (portfolio runs, key-account plans on invoices) have data; invoicing
# every order would slow the demo load down.
INVOICED_DAYS = {"Atlas Logistics": 730, "Granite Bank": 730, "Lumen Architects": 730, "cash_cow": 365}
# What each profile buys, from the demo catalogue (crm_relationship.demo_product_*).
PRODUCTS_BY_PROFILE = {
    "star": ("fitout", "desk", "screen"),
    "cash_cow": ("fitout", "desk", "chair", "cabinet"),
    "question_mark": ("desk", "chair", "screen"),
    "new": ("desk", "chair"),
    "regular": ("chair", "cabinet", "desk"),
    "won_back": ("fitout", "cabinet"),
}
DEFAULT_PRODUCTS = ("chair", "cabinet")

# Strategies the team chose against the portfolio's suggestion, and why (a Win back needs a loss
# reason). Every other customer of the story carries the strategy its quadrant suggests.
STRATEGY_EXCEPTIONS = {
    "Falcon Freight": (
        "win_back",
        "Moved to a cheaper supplier last year; our new price list closes most of the gap.",
        "crm.lost_reason_1",
    ),
    "Delta Call Centre": ("end", "Moved their call centre abroad: no office left to furnish here.", None),
    "Orbit Start-up Hub": ("start", "New customer: the first orders decide whether they stay.", None),
    "Cedar Dental Clinics": ("start", "New customer: three clinics to furnish if the first one goes well.", None),
    "Summit Law Partners": ("start", "New customer: a partner of Granite Bank's legal team recommended us.", None),
}
# Left for the salespeople to steer (the journey "assign a strategy from the dossier" starts here).
UNSTEERED = ("Northwind Fit-Outs",)

# The relationship ladder, placed once by a manager with a reason (profile or name: level, reason).
LEVELS = {
    "Atlas Logistics": ("partnership", "Joint yearly planning of their depots' fit-outs; we hold their stock."),
    "Lumen Architects": ("partnership", "They design with our ranges and pilot our new lines."),
    "star": ("trusted_partner", "Large, growing account that consults us before each project."),
    "cash_cow": ("trusted_partner", "Steady monthly call-offs for years; they rely on our service."),
    "regular": ("competent_supplier", "Repeat buyer that knows our ranges and delivery."),
    "question_mark": ("competent_supplier", "Buys regularly; the relationship is still about products and prices."),
    "dog": ("competent_supplier", "Long-standing buyer of small orders."),
    "at_risk": ("competent_supplier", "Was a regular buyer; orders have slowed down."),
    "won_back": ("competent_supplier", "Came back after a year away; we must earn their trust again."),
}


class CrmRelationshipDemo(models.AbstractModel):
    """Builds the demo company's story: about forty customers across every quadrant and lifecycle
    stage, with two years of confirmed orders dated relative to today (the demo never ages).

    The demo data files call, in this order:

    - ``_generate_demo_story``: customers (with the XML ids ``crm_relationship.demo_customer_<name>``
      that the other modules' demo refers to), their orders over two years, the big accounts'
      invoices, and the stock Odoo demo's impossible product costs corrected;
    - ``_steer_demo_customers``: after the demo portfolio run, the strategies its quadrants suggest
      and the customers' places on the relationship ladder, as a manager would set them;
    - ``_finish_demo_story``: at the end of each module's demo, the figures that depend on the
      whole story (customer values; the other modules add theirs: key-account actuals, ...), so
      that a new database shows them at once, not after the nightly jobs.
    """

    _name = "crm.relationship.demo"
    _description = "Customer Relationship Demo Story"

    @api.model
    def _demo_customer_xmlid(self, name):
        return "demo_customer_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")

    @api.model
    def _demo_customers(self):
        """The story's customers, by name."""
        customers = {}
        for name, _profile in DEMO_CUSTOMERS:
            customer = self.env.ref(f"crm_relationship.{self._demo_customer_xmlid(name)}", raise_if_not_found=False)
            if customer:
                customers[name] = customer
        return customers

    @api.model
    def _generate_demo_story(self):
        rng = random.Random(18)
        now = fields.Datetime.now()
        catalogue = {
            code: self.env.ref(f"crm_relationship.demo_product_{code}")
            for code in ("fitout", "desk", "chair", "cabinet", "screen")
        }
        salespeople = self.env.ref("base.user_admin") | self.env.ref("base.user_demo")
        customers = self.env["res.partner"]
        order_vals, order_dates = [], []
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
            self.env["ir.model.data"].create(
                {
                    "module": "crm_relationship",
                    "name": self._demo_customer_xmlid(name),
                    "model": "res.partner",
                    "res_id": customer.id,
                    "noupdate": True,
                }
            )
            customers |= customer
            products = [catalogue[code] for code in PRODUCTS_BY_PROFILE.get(profile, DEFAULT_PRODUCTS)]
            for days_ago, amount in self._demo_orders(profile, rng):
                product = products[len(order_vals) % len(products)]
                quantity = max(1, round(amount / product.list_price))
                price = round(amount / quantity, 2)
                order_vals.append(
                    {
                        "partner_id": customer.id,
                        "user_id": customer.user_id.id,
                        "order_line": [
                            fields.Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": quantity,
                                    "price_unit": price,
                                    "purchase_price": round(price * rng.uniform(0.55, 0.8), 2),
                                }
                            )
                        ],
                    }
                )
                order_dates.append(datetime.combine((now - timedelta(days=days_ago)).date(), time(10)))
        orders = self.env["sale.order"].create(order_vals)
        orders.action_confirm()
        for order, date_order in zip(orders, order_dates, strict=True):
            order.date_order = date_order
        profiles = dict(DEMO_CUSTOMERS)

        def invoiced(order):
            name = order.partner_id.name
            days = INVOICED_DAYS.get(name) or INVOICED_DAYS.get(profiles[name])
            return days and now - timedelta(days=days) <= order.date_order < now - timedelta(days=30)

        self._invoice_demo_orders(orders.filtered(invoiced))
        self._correct_stock_demo_costs(customers)
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
    def _invoice_demo_orders(self, orders):
        """One posted invoice per order, dated on the order's day."""
        if not orders or not self.env["account.journal"].search_count([("type", "=", "sale")], limit=1):
            return self.env["account.move"]  # a company without a chart of accounts: orders only
        invoices = self.env["account.move"].create(
            [
                dict(
                    order._prepare_invoice(),
                    invoice_date=order.date_order.date(),
                    invoice_line_ids=[fields.Command.create(line._prepare_invoice_line()) for line in order.order_line],
                )
                for order in orders
            ]
        )
        invoices.action_post()
        return invoices

    @api.model
    def _correct_stock_demo_costs(self, customers):
        """Odoo's own demo sells some products below a cost it set by hand (a meeting table costing
        4,500 sold at 150): a customer's margin would fall below minus its revenue. Its lines and
        products get a believable cost instead, 65 % of the price."""
        lines = self.env["sale.order.line"].search(
            [("order_partner_id", "not in", customers.ids), ("display_type", "=", False)]
        )
        for line in lines.filtered(lambda line: line.purchase_price > line.price_unit):
            line.purchase_price = round(line.price_unit * 0.65, 2)
        products = self.env["product.product"].search([("sale_ok", "=", True)])
        for product in products.filtered(lambda p: p.list_price and p.standard_price > p.list_price):
            product.standard_price = round(product.list_price * 0.65, 2)

    @api.model
    def _steer_demo_customers(self, analysis):
        """What the sales manager did with the demo portfolio run: each customer gets the strategy
        its quadrant suggests (a few get another, with the reason), and is placed once on the
        relationship ladder, with the reason in its chatter."""
        manager = self.env.ref("base.user_admin")
        customers = self._demo_customers()
        profiles = dict(DEMO_CUSTOMERS)
        steered = self.env["res.partner"].browse(
            [c.id for name, c in customers.items() if name not in UNSTEERED and name not in STRATEGY_EXCEPTIONS]
        )
        analysis = self.env["crm.portfolio.analysis"].browse(analysis)
        lines = analysis.line_ids.filtered(lambda line: line.partner_id in steered and line.suggested_strategy_id)
        lines.with_user(manager).action_apply_suggested_strategy()
        strategies = {s.code: s for s in self.env["crm.relationship.strategy"].search([])}
        for name, (code, reason, loss_reason) in STRATEGY_EXCEPTIONS.items():
            vals = {"relationship_strategy_id": strategies[code].id, "relationship_strategy_reason": reason}
            if loss_reason:
                vals["customer_loss_reason_id"] = self.env.ref(loss_reason).id
            customers[name].with_user(manager).write(vals)
        placements = {}
        for name, customer in customers.items():
            level = LEVELS.get(name) or LEVELS.get(profiles[name])
            if level:
                placements.setdefault(level, self.env["res.partner"])
                placements[level] |= customer
        for (level, reason), partners in placements.items():
            partners.with_user(manager)._place_relationship_level(level, reason)
        # from its rung a relationship climbs one step at a time, tracked in the chatter
        customers["Harbour Office Group"].with_user(manager).relationship_level = "partnership"
        return True

    @api.model
    def _demo_relationship_events(self, analysis):
        """The customer events of the story: the lifecycle stages of three months ago recomputed,
        then today's, so that the customers that slowed down since are at risk or lost (with the
        automation rules' activities); and the demo run compared with a run of half a year before
        (quadrant moves and ABC class changes)."""
        today = fields.Date.context_today(self)
        Value = self.env["crm.customer.value"]
        Value._refresh(today=today - timedelta(days=90))
        Value._refresh(today=today)
        analysis = self.env["crm.portfolio.analysis"].browse(analysis)
        earlier = analysis.create({"company_id": analysis.company_id.id, "date": today - timedelta(days=182)})
        earlier._run()
        analysis._record_events(earlier)
        return True

    @api.model
    def _finish_demo_story(self, module=None):
        """The figures that depend on the whole story, computed at the end of the demo of
        ``module``: customer values here; modules that add to the story extend this method with
        their own (a module whose figures need the whole story waits for
        ``_demo_story_complete``)."""
        self.env["crm.customer.value"]._refresh()
        return True

    @api.model
    def _demo_story_complete(self, module=None):
        """Whether no other module adding to the story (one depending on this one) is still to be
        installed in this run than ``module``, whose demo is loading."""
        return not self.env["ir.module.module"].search_count(
            [
                ("state", "=", "to install"),
                ("name", "!=", module or "crm_relationship"),
                ("dependencies_id.name", "=", "crm_relationship"),
            ]
        )

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
