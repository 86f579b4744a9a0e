from odoo import api, fields, models

OUTCOME_TYPES = [
    ("efficiency", "Efficiency"),
    ("effectiveness", "Effectiveness"),
    ("cost_reduction", "Cost reduction"),
    ("standardisation", "Standardisation"),
    ("service_quality", "Service quality"),
    ("maturity", "Maturity"),
    ("revenue_protection", "Revenue protection"),
    ("revenue_growth", "Revenue growth"),
]
MEASURES = [
    ("revenue", "Revenue"),
    ("margin", "Gross margin"),
    ("orders", "Number of sales (orders or invoices)"),
    ("share_of_wallet", "Share of wallet (%)"),
    ("satisfaction", "Satisfaction"),
    ("complaints", "Complaints"),
    ("manual", "Manual"),
]
# Fewer is better for these measures: achieved when the actual stays at or under the target.
LOWER_IS_BETTER = ("complaints",)


class CrmKeyAccountObjective(models.Model):
    """A measurable outcome of a key-account plan: target against the actual of the plan period."""

    _name = "crm.key.account.objective"
    _description = "Key-Account Objective"
    _inherit = ["crm.company.child.mixin"]
    _order = "plan_id, sequence, id"
    _company_parent = "plan_id"

    plan_id = fields.Many2one("crm.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True)
    user_id = fields.Many2one(related="plan_id.user_id", store=True, string="Key-Account Manager")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Objective", required=True)
    outcome_type = fields.Selection(OUTCOME_TYPES, required=True, default="revenue_growth")
    beneficiary = fields.Selection(
        [("customer", "Customer"), ("us", "Us"), ("both", "Both")], required=True, default="both"
    )
    measure = fields.Selection(MEASURES, required=True, default="revenue")
    target = fields.Float(required=True, digits=(16, 2))
    actual = fields.Float(
        digits=(16, 2),
        help="Computed from the real records of the plan period, Start and End included (except Manual): "
        "revenue, margin and sales from the plan's revenue source.",
    )
    actual_date = fields.Datetime(string="Actual Computed On", readonly=True)
    progress = fields.Float(string="Progress (%)", compute="_compute_progress", store=True, aggregator="avg")
    weight = fields.Float(
        default=1.0,
        digits=(16, 2),
        aggregator="avg",
        help="The objective's weight in the plan's attainment, 1 unless set: 2 counts twice as much as 1, "
        "0 leaves the objective out.",
    )
    state = fields.Selection(
        [("in_progress", "In progress"), ("achieved", "Achieved"), ("missed", "Missed")],
        required=True,
        default="in_progress",
    )

    _sql_constraints = [
        ("target_not_negative", "CHECK(target >= 0)", "An objective's Target cannot be negative."),
        (
            "weight_range",
            "CHECK(weight >= 0 AND weight <= 100)",
            "An objective's Weight is between 0 and 100: 1 by default, 0 to leave it out of the plan's attainment.",
        ),
    ]

    @api.depends("actual", "target", "measure")
    def _compute_progress(self):
        for objective in self:
            if objective.measure in LOWER_IS_BETTER:
                objective.progress = (
                    100.0
                    if objective.actual <= objective.target
                    else (100.0 * objective.target / objective.actual if objective.actual else 100.0)
                )
            else:
                objective.progress = 100.0 * objective.actual / objective.target if objective.target else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        objectives = super().create(vals_list)
        if objectives:  # the new objectives show their actual at once, not after the nightly refresh
            self._refresh_actuals(objectives)
        return objectives

    def write(self, vals):
        result = super().write(vals)
        if "measure" in vals and self:
            self._refresh_actuals(self)
        return result

    def _is_met(self):
        self.ensure_one()
        if self.measure in LOWER_IS_BETTER:
            return self.actual <= self.target
        return self.actual >= self.target

    @api.model
    def _refresh_actuals(self, objectives=None):
        """Write the actuals of all open (or the given) objectives with a fixed number of queries."""
        objectives = (objectives or self.search([("plan_id.state", "!=", "closed")])).filtered(
            lambda o: o.measure != "manual"
        )
        if not objectives:
            return objectives
        plans = objectives.plan_id
        figures = self._plan_figures(plans)
        wallets = self._wallet_estimates(plans)
        Value = self.env["crm.customer.value"]
        extra = {}
        for measure in ("satisfaction", "complaints"):
            requests = objectives.filtered(lambda o, measure=measure: o.measure == measure).plan_id._customer_period()
            extra[measure] = Value._crm_customer_measures(measure, requests) if requests else {}
        now = fields.Datetime.now()
        for objective in objectives:
            revenue, margin, orders = figures.get(objective.plan_id.id, (0.0, 0.0, 0))
            if objective.measure == "revenue":
                actual = revenue
            elif objective.measure == "margin":
                actual = margin
            elif objective.measure == "orders":
                actual = orders
            elif objective.measure == "share_of_wallet":
                total = wallets.get(objective.plan_id.id)
                actual = 100.0 * float(revenue) / total if total else 0.0
            else:
                actual = extra[objective.measure].get(objective.plan_id.id, 0.0)
            # assigned in the cache; the flush writes all objectives in batched UPDATEs
            objective.actual = actual
            objective.actual_date = now
        objectives.flush_model(["actual", "actual_date", "progress"])
        return objectives

    @api.model
    def _plan_figures(self, plans):
        """``{plan id: (revenue, margin, sales)}`` of each plan's customer over the plan's period,
        from the core's revenue documents of the plan's revenue source (``crm.revenue.source``).
        Sales are orders or invoices, not credit notes. One query per revenue source in use."""
        Source = self.env["crm.revenue.source"]
        figures = {}
        for source in ("orders", "invoices"):
            source_plans = plans.filtered(lambda p, source=source: p.revenue_source == source)
            figures.update(Source._revenue_figures(source, source_plans._customer_period()))
        return figures

    @api.model
    def _wallet_estimates(self, plans):
        """{plan id: estimated total spend of the customer in the plan's first year}."""
        estimates = self.env["crm.wallet.estimate"].search(
            [
                ("partner_id", "in", plans.partner_id.ids),
                ("year", "in", list({plan.date_start.year for plan in plans})),
            ]
        )
        by_key = {(e.company_id.id, e.partner_id.id, e.year): e.estimated_total_spend for e in estimates}
        return {plan.id: by_key.get((plan.company_id.id, plan.partner_id.id, plan.date_start.year)) for plan in plans}
