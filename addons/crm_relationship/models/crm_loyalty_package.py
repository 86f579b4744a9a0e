from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .crm_portfolio_line import ABC_CLASSES, BCG_QUADRANTS
from .res_partner import LIFECYCLE_STAGES, SERVICE_TIERS


class CrmLoyaltyPackage(models.Model):
    """A loyalty package ("Key client", "Regular customer"): who earns it and what it gives.

    The eligibility rules read the customer's service tier and lifecycle stage, the ABC class and
    BCG quadrant of the company's last portfolio run, the revenue of the last twelve months and the
    tenure (months since the first sale). A customer eligible for several packages gets the first
    in sequence. The privileges are Odoo's own: a pricelist, payment terms, the service tier that
    picks the complaint SLA policy, a dedicated account manager (the customer's salesperson), and
    others as text. ``crm.loyalty.membership._refresh`` grants and revokes them in bulk.
    """

    _name = "crm.loyalty.package"
    _description = "Loyalty Package"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10, help="A customer eligible for several packages gets the first one.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text(translate=True)

    eligible_service_tier = fields.Selection(
        SERVICE_TIERS, string="Service Tier", help="Only customers of this tier; empty: any tier."
    )
    eligible_lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, string="Lifecycle Stage", help="Only customers in this stage; empty: any stage."
    )
    eligible_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class or Better",
        help="B admits A and B customers of the last portfolio run; empty: any class, or none.",
    )
    eligible_bcg_quadrant = fields.Selection(
        BCG_QUADRANTS, string="BCG Quadrant", help="Only this quadrant of the last portfolio run; empty: any."
    )
    min_revenue = fields.Monetary(
        string="Minimum Revenue (12 months)", help="Revenue of the last twelve months, from the revenue source."
    )
    min_tenure_months = fields.Integer(string="Minimum Tenure (months)", help="Months since the first sale.")
    grace_days = fields.Integer(
        default=30,
        help="Days a customer keeps the package after it no longer meets the rules, before it is revoked.",
    )

    pricelist_id = fields.Many2one("product.pricelist", check_company=True)
    payment_term_id = fields.Many2one("account.payment.term", string="Payment Terms", check_company=True)
    service_tier = fields.Selection(
        SERVICE_TIERS, string="Grants Service Tier", help="The tier that picks the complaint SLA policy."
    )
    account_manager_id = fields.Many2one(
        "res.users", string="Dedicated Account Manager", check_company=True, help="Becomes the customer's salesperson."
    )
    other_privileges = fields.Text(translate=True, help="Free delivery, events, ...: shown on the package.")

    membership_ids = fields.One2many("crm.loyalty.membership", "package_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count", string="Members Now")

    _sql_constraints = [
        ("grace_days_not_negative", "CHECK(grace_days >= 0)", "Grace Days: enter 0 or more."),
        ("min_revenue_not_negative", "CHECK(min_revenue >= 0)", "Minimum Revenue: enter 0 or more."),
        ("min_tenure_not_negative", "CHECK(min_tenure_months >= 0)", "Minimum Tenure: enter 0 or more months."),
    ]

    @api.constrains("grace_days", "min_revenue", "min_tenure_months")
    def _check_not_negative(self):
        for package in self:
            for name in ("grace_days", "min_revenue", "min_tenure_months"):
                if package[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(package)s: enter 0 or more.",
                            field=self._fields[name]._description_string(self.env),
                            package=package.name,
                        )
                    )

    def _compute_member_count(self):
        counts = dict(
            self.env["crm.loyalty.membership"]._read_group(
                [("package_id", "in", self.ids), ("state", "in", ("granted", "grace"))],
                ["package_id"],
                ["__count"],
            )
        )
        for package in self:
            package.member_count = counts.get(package, 0)

    def _unmet_rules(self, features):
        """The rules ``features`` (a customer's dict from ``_customer_features``) does not meet,
        as readable phrases; empty when the customer is eligible. The phrases name the rule, not
        the customer's figure, so that the job writes the customers that fail the same rules at
        once."""
        self.ensure_one()
        unmet = []
        labels = {
            name: dict(self._fields[name]._description_selection(self.env))
            for name in ("eligible_service_tier", "eligible_lifecycle_stage", "eligible_bcg_quadrant")
        }
        if self.eligible_service_tier and features["service_tier"] != self.eligible_service_tier:
            unmet.append(
                self.env._(
                    "service tier is not %(tier)s", tier=labels["eligible_service_tier"][self.eligible_service_tier]
                )
            )
        if self.eligible_lifecycle_stage and features["lifecycle_stage"] != self.eligible_lifecycle_stage:
            unmet.append(
                self.env._(
                    "lifecycle stage is not %(stage)s",
                    stage=labels["eligible_lifecycle_stage"][self.eligible_lifecycle_stage],
                )
            )
        if self.eligible_abc_class and (features["abc_class"] or "Z") > self.eligible_abc_class:
            unmet.append(self.env._("ABC class is not %(abc)s or better", abc=self.eligible_abc_class))
        if self.eligible_bcg_quadrant and features["bcg_quadrant"] != self.eligible_bcg_quadrant:
            unmet.append(
                self.env._(
                    "BCG quadrant is not %(quadrant)s",
                    quadrant=labels["eligible_bcg_quadrant"][self.eligible_bcg_quadrant],
                )
            )
        if features["revenue"] < self.min_revenue:
            unmet.append(self.env._("revenue of the last 12 months below %(minimum)s", minimum=self.min_revenue))
        if features["tenure_months"] < self.min_tenure_months:
            unmet.append(self.env._("customer for fewer than %(minimum)s months", minimum=self.min_tenure_months))
        return unmet

    def _privileges(self):
        """The partner values the package sets (company-dependent ones for its company)."""
        self.ensure_one()
        values = {}
        if self.pricelist_id:
            values["specific_property_product_pricelist"] = self.pricelist_id.id
        if self.payment_term_id:
            values["property_payment_term_id"] = self.payment_term_id.id
        if self.service_tier:
            values["service_tier"] = self.service_tier
        if self.account_manager_id:
            values["user_id"] = self.account_manager_id.id
        return values

    def action_refresh_members(self):
        """Grant and revoke now, as the nightly job does."""
        self.env["crm.loyalty.membership"]._refresh(companies=self.company_id)
        return True

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_relationship.action_crm_loyalty_membership")
        action["domain"] = [("package_id", "=", self.id)]
        action["context"] = {"default_package_id": self.id, "search_default_current": 1}
        return action

    # ------------------------------------------------------------------ value given away

    @api.model
    def _cron_book_privilege_costs(self):
        """Monthly: the discounts of the month before, booked as cost to serve."""
        first_of_month = fields.Date.context_today(self).replace(day=1)
        self._book_privilege_costs(
            self.env["crm.revenue.source"]._period(first_of_month - relativedelta(months=1), months=1)
        )

    @api.model
    def _book_privilege_costs(self, period, companies=None):
        """Book, per member and package, the discount its pricelist gave on the member's confirmed
        orders of ``period`` while the package was held: the products' list price less the price
        paid (untaxed, in the company's currency), never below 0 on a line. One cost-to-serve line
        per customer, package and period, dated on the period's last day; a period booked once
        is not booked again."""
        domain = [("pricelist_id", "!=", False)] + ([("company_id", "in", companies.ids)] if companies else [])
        packages = self.sudo().with_context(active_test=False).search(domain)
        if not packages:
            return self.env["crm.customer.cost"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.company_id, m.partner_id, m.package_id,
                       SUM(GREATEST(sol.product_uom_qty * pt.list_price
                                    - sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1), 0))
                FROM crm_loyalty_membership m
                JOIN crm_loyalty_package k ON k.id = m.package_id
                JOIN res_partner buyer ON buyer.commercial_partner_id = m.partner_id
                JOIN sale_order so ON so.partner_id = buyer.id AND so.company_id = m.company_id
                     AND so.pricelist_id = k.pricelist_id
                JOIN sale_order_line sol ON sol.order_id = so.id AND sol.display_type IS NULL
                JOIN product_product pp ON pp.id = sol.product_id
                JOIN product_template pt ON pt.id = pp.product_tmpl_id
                WHERE m.package_id = ANY(%(packages)s) AND m.date_granted IS NOT NULL
                  AND so.state = 'sale' AND so.date_order >= %(start)s AND so.date_order < %(end)s
                  AND so.date_order >= m.date_granted
                  AND (m.date_revoked IS NULL OR m.date_revoked < m.date_granted OR so.date_order < m.date_revoked)
                GROUP BY 1, 2, 3
                HAVING SUM(GREATEST(sol.product_uom_qty * pt.list_price
                                    - sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1), 0)) > 0
                """,
                packages=packages.ids,
                start=period.start,
                end=period.end,
            )
        )
        rows = self.env.cr.fetchall()
        Cost = self.env["crm.customer.cost"].sudo()
        booked = {
            (cost.partner_id.id, cost.origin_ref.id)
            for cost in Cost.search(
                [
                    ("cost_type", "=", "loyalty_privileges"),
                    ("date", "=", period.last_day),
                    ("origin_ref", "in", [f"crm.loyalty.package,{package_id}" for package_id in packages.ids]),
                ]
            )
        }
        names = {package.id: package.name for package in packages}
        return Cost.create(
            [
                {
                    "name": self.env._(
                        "%(package)s: discount given %(start)s - %(end)s",
                        package=names[package_id],
                        start=period.start,
                        end=period.last_day,
                    ),
                    "company_id": company_id,
                    "partner_id": partner_id,
                    "cost_type": "loyalty_privileges",
                    "amount": round(amount, 2),
                    "date": period.last_day,
                    "origin_ref": f"crm.loyalty.package,{package_id}",
                    "user_id": False,
                }
                for company_id, partner_id, package_id, amount in rows
                if (partner_id, package_id) not in booked
            ]
        )
