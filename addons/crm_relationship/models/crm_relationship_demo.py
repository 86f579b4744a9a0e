import random
import re
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

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

# The demo programme's evaluation: the days since its start (the baseline is as long).
DEMO_PROGRAMME_DAYS = 182

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
# The customer data cards of the story: what the salespeople filled in beyond the e-mail address
# (name: (street, city, contact person, function, days since the last visit with notes, wallet
# estimate of the year or None)). The admin's customers are kept up to date, the demo user's less.
DATACARDS = {
    "Atlas Logistics": ("12 Depot Road", "Leeds", "Ruth Mills", "Facilities Coordinator", 5, 90000),
    "Lumen Architects": ("4 Canal Wharf", "Manchester", "Olivia Grant", "Office Manager", 9, 60000),
    "Civic Hospital Trust": ("1 Infirmary Square", "Bristol", "James Hale", "Estates Director", 20, 75000),
    "Orbit Start-up Hub": ("88 Innovation Way", "Cambridge", "Priya Shah", "Community Lead", 14, 12000),
    "Maple Town Council": ("Town Hall, Market Street", "Maple", "Gareth Lewis", "Procurement Officer", 30, 20000),
    "Pixel & Pine Studio": ("7 Timber Lane", "Brighton", "Leo Marsh", "Studio Owner", 45, None),
    "Summit Law Partners": ("20 Chancery Row", "London", "Alice Byrne", "Practice Manager", None, 25000),
    "Northwind Fit-Outs": ("3 Harbour Street", "Hull", "Sean Cole", "Operations Manager", 25, 110000),
    "Granite Bank": ("100 Bank Street", "London", None, None, None, 150000),
    "Nimbus Software": ("5 Cloud Court", "Reading", "Mei Wong", "Office Manager", None, None),
    "Harbour Office Group": ("9 Quay Street", "Glasgow", None, None, 200, None),
    "Keystone Realty": ("15 Arch Avenue", "York", None, None, None, None),
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
    - ``_demo_earlier_portfolio_run``: the portfolio run of half a year ago, which the demo
      portfolio run then follows;
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
    def _demo_loyalty_packages(self):
        """Two packages, granted by the job after the demo portfolio run: "Key client" to the A
        customers of two years' standing (5 % off, 45 days to pay, the key-account service
        tier), "Regular customer" to the regular buyers of at least 2,000 a year (30 days)."""
        Package = self.env["crm.loyalty.package"]
        key_pricelist = self.env["product.pricelist"].create(
            {
                "name": self.env._("Key clients (-5 %)"),
                "item_ids": [(0, 0, {"applied_on": "3_global", "compute_price": "percentage", "percent_price": 5})],
            }
        )
        Package.create(
            [
                {
                    "name": self.env._("Key client"),
                    "sequence": 10,
                    "eligible_abc_class": "A",
                    "min_tenure_months": 12,
                    "pricelist_id": key_pricelist.id,
                    "payment_term_id": self.env.ref("account.account_payment_term_45days").id,
                    "service_tier": "key",
                    "other_privileges": self.env._(
                        "Free delivery and installation; invitation to the yearly design day."
                    ),
                },
                {
                    "name": self.env._("Regular customer"),
                    "sequence": 20,
                    "eligible_lifecycle_stage": "regular",
                    "min_revenue": 2000.0,
                    "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                },
            ]
        )
        self.env["crm.loyalty.membership"]._refresh()
        return True

    @api.model
    def _demo_relationship_programme(self):
        """The key clients' programme (design day, free delivery and installation), started six
        months ago on the portfolio run of that day and evaluated since. The story's key clients
        buy as they did before, so most of them are free riders and the return is negative: the
        next wave leaves them out."""
        today = fields.Date.context_today(self)
        start = today - timedelta(days=DEMO_PROGRAMME_DAYS)
        package = self.env["crm.loyalty.package"].search([("name", "=", self.env._("Key client"))], limit=1)
        programme = self.env["crm.relationship.programme"].create(
            {
                "name": self.env._("Key clients: design day and free installation"),
                "kind": "loyalty_package",
                "package_id": package.id,
                "date_start": start,
                "evaluation_date_from": start,
                "evaluation_date_to": today - timedelta(days=1),
                "cost_fixed": 3000.0,
                "cost_per_member": 800.0,
                "description": self.env._("Invitation to the yearly design day, free delivery and installation."),
            }
        )
        # the package was named six months ago, when the programme enrolled its members
        members = package.membership_ids.filtered(lambda m: m.state in ("granted", "grace")).partner_id
        self.env["crm.relationship.programme.member"].create(
            [{"programme_id": programme.id, "partner_id": partner.id} for partner in members]
        )
        programme.action_evaluate()
        return True

    @api.model
    def _demo_readiness_assessment(self):
        """The assessment the board read before the CRM project: scored, with its SWOT, and the
        business case projected from the story's last twelve months."""
        scores = {"people": "4", "process": "3", "technology": "2"}
        weak = self.env.ref("crm_relationship.readiness_technology_data_quality", raise_if_not_found=False)
        assessment = self.env["crm.readiness.assessment"].create(
            {
                "name": self.env._("CRM readiness before the project"),
                "date": fields.Date.context_today(self),
                "swot_strengths": "Loyal key accounts; a sales team that knows its customers personally.",
                "swot_weaknesses": "Customer data spread over spreadsheets; complaints answered ad hoc.",
                "swot_opportunities": "Cross-selling screens and cabinets to the fit-out customers.",
                "swot_threats": "Salespeople may see the contact log as control; a cheaper rival courts our cash cows.",
            }
        )
        for answer in assessment.answer_ids:
            answer.score = "1" if answer.question_id == weak else scores[answer.dimension]
        assessment.action_read_baseline()
        assessment.action_done()
        return True

    @api.model
    def _demo_sales_forecasts(self):
        """The manager's sales forecasts: one run on the first day of the month two months ago,
        whose two passed months show the actual orders and the forecast error, and today's run."""
        today = fields.Date.context_today(self)
        manager = self.env.ref("base.user_admin")
        Forecast = self.env["crm.sales.forecast"].with_user(manager)
        earlier = Forecast.create({"date": today.replace(day=1) - relativedelta(months=2)})
        current = Forecast.create({"date": today})
        (earlier | current).action_compute()
        earlier._refresh_actuals(today)
        for xmlid, forecast in (("demo_sales_forecast_earlier", earlier), ("demo_sales_forecast", current)):
            self.env["ir.model.data"].create(
                {
                    "module": "crm_relationship",
                    "name": xmlid,
                    "model": "crm.sales.forecast",
                    "res_id": forecast.id,
                    "noupdate": True,
                }
            )
        return True

    @api.model
    def _demo_earlier_portfolio_run(self):
        """The company's portfolio run of half a year ago, the day the key clients' programme
        started (its segments): made before the demo run so that the demo run follows it, with
        each customer's quadrant and ABC class then beside today's and the moves as events."""
        start = fields.Date.context_today(self) - timedelta(days=DEMO_PROGRAMME_DAYS)
        self.env["crm.portfolio.analysis"].create({"date": start}).action_compute()
        return True

    @api.model
    def _demo_relationship_events(self):
        """The customer events of the last quarter: the lifecycle stages of three months ago
        recomputed, then today's, so that the customers that slowed down since are at risk or
        lost (with the automation rules' activities)."""
        today = fields.Date.context_today(self)
        Value = self.env["crm.customer.value"]
        Value._refresh(today=today - timedelta(days=90))
        Value._refresh(today=today)
        return True

    @api.model
    def _finish_demo_story(self, module=None):
        """The figures that depend on the whole story, computed at the end of the demo of
        ``module``: customer values here; modules that add to the story extend this method with
        their own (a module whose figures need the whole story waits for
        ``_demo_story_complete``)."""
        self.env["crm.customer.value"]._refresh()
        if module and module != "crm_relationship":  # the core's chapter ends with _fill_demo_datacards
            self._refresh_demo_datacards(module)
        return True

    @api.model
    def _fill_demo_datacards(self):
        """What the salespeople filled in on their customers' data cards (``DATACARDS``): addresses,
        a contact person with a role, the notes of their last visit and the share-of-wallet estimate
        of the year; then the data cards as the nightly job leaves them."""
        customers = self._demo_customers()
        country = self.env.company.country_id or self.env.ref("base.uk")
        now = fields.Datetime.now()
        year = fields.Date.context_today(self).year
        estimated = set(self.env["crm.wallet.estimate"].search([("year", "=", year)]).partner_id.mapped("name"))
        people, visits, estimates = [], [], []
        for name, (street, city, person, function, visit_days, spend) in DATACARDS.items():
            customer = customers.get(name)
            if not customer:
                continue
            customer.write({"street": street, "city": city, "country_id": country.id})
            if person:
                people.append({"name": person, "function": function, "parent_id": customer.id})
            if visit_days is not None:
                visits.append(
                    {
                        "partner_id": customer.id,
                        "channel": "meeting",
                        "summary": "Visit: their plans for the coming months",
                        "note": "<p>Walked through their floors with the team; they want quotes for the next "
                        "refurbishment phase and a delivery slot before the holidays.</p>",
                        "date": datetime.combine((now - timedelta(days=visit_days)).date(), time(10)),
                        "user_id": customer.user_id.id,
                    }
                )
            if spend and name not in estimated:
                estimates.append({"partner_id": customer.id, "year": year, "estimated_total_spend": spend})
        self.env["res.partner"].create(people)
        self.env["crm.contact.log"].create(visits)
        self.env["crm.wallet.estimate"].create(estimates)
        self._refresh_demo_datacards("crm_relationship")
        return True

    @api.model
    def _refresh_demo_datacards(self, module):
        """The data cards from the story so far and, once it is complete, the monthly reviews of
        the salespeople below the target, as the scheduled jobs would have left them."""
        self.env["crm.customer.datacard"]._refresh()
        if self._demo_story_complete(module):
            self.env["crm.customer.datacard"]._review_salespeople()

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
