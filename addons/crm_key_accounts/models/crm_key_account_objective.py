from odoo import api, fields, models
from odoo.addons.crm_relationship.models.crm_sql import INVOICE_LINE_UNIT_COST

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
    ("orders", "Number of orders"),
    ("share_of_wallet", "Share of wallet (%)"),
    ("satisfaction", "Satisfaction"),
    ("complaints", "Complaints"),
    ("manual", "Manual"),
]
# Fewer is better for these measures: achieved when the actual stays at or under the target.
LOWER_IS_BETTER = ("complaints",)

# Revenue, margin and orders of every requested plan in one statement, from confirmed orders
# (or posted invoices net of credit notes) of the plan's customer, its contacts included.
_ORDER_ACTUALS = """
SELECT p.id, COALESCE(SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)), 0),
       COALESCE(SUM(COALESCE(so.margin, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1)), 0), COUNT(so.id)
FROM crm_key_account_plan p
JOIN res_partner rp ON rp.commercial_partner_id = p.partner_id
JOIN sale_order so ON so.partner_id = rp.id AND so.company_id = p.company_id AND so.state = 'sale'
     AND so.date_order >= p.date_start AND so.date_order < p.date_end + 1
WHERE p.id = ANY(%s)
GROUP BY p.id
"""
_INVOICE_ACTUALS = f"""
SELECT p.id, COALESCE(SUM(-aml.balance), 0),
       COALESCE(SUM(-aml.balance - SIGN(-aml.balance) * ABS(aml.quantity) * COALESCE(cost.unit_cost, 0)), 0),
       COUNT(DISTINCT am.id) FILTER (WHERE am.move_type = 'out_invoice')
FROM crm_key_account_plan p
JOIN res_partner rp ON rp.commercial_partner_id = p.partner_id
JOIN account_move am ON am.partner_id = rp.id AND am.company_id = p.company_id AND am.state = 'posted'
     AND am.move_type IN ('out_invoice', 'out_refund') AND am.invoice_date BETWEEN p.date_start AND p.date_end
JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
{INVOICE_LINE_UNIT_COST}
WHERE p.id = ANY(%s)
GROUP BY p.id
"""


class CrmKeyAccountObjective(models.Model):
    """A measurable outcome of a key-account plan: target against the actual of the plan period."""

    _name = "crm.key.account.objective"
    _description = "Key-Account Objective"
    _order = "plan_id, sequence, id"

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
    actual = fields.Float(digits=(16, 2), help="Computed from the real records of the plan period (except Manual).")
    actual_date = fields.Datetime(string="Actual Computed On", readonly=True)
    progress = fields.Float(string="Progress (%)", compute="_compute_progress", store=True, aggregator="avg")
    state = fields.Selection(
        [("in_progress", "In progress"), ("achieved", "Achieved"), ("missed", "Missed")],
        required=True,
        default="in_progress",
    )

    _sql_constraints = [
        ("target_not_negative", "CHECK(target >= 0)", "An objective's Target cannot be negative."),
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
            self._compute_actuals(objectives)
        return objectives

    def write(self, vals):
        result = super().write(vals)
        if "measure" in vals and self:
            self._compute_actuals(self)
        return result

    def _is_met(self):
        self.ensure_one()
        if self.measure in LOWER_IS_BETTER:
            return self.actual <= self.target
        return self.actual >= self.target

    @api.model
    def _compute_actuals(self, objectives=None):
        """Actuals of all (or the given) objectives with a fixed number of queries."""
        objectives = (objectives or self.search([("plan_id.state", "!=", "closed")])).filtered(
            lambda o: o.measure != "manual"
        )
        if not objectives:
            return objectives
        plans = objectives.plan_id
        self.env.flush_all()
        figures = {}
        for source, query in (("orders", _ORDER_ACTUALS), ("invoices", _INVOICE_ACTUALS)):
            plan_ids = plans.filtered(lambda p, source=source: p.revenue_source == source).ids
            if plan_ids:
                self.env.cr.execute(query, [plan_ids])
                figures.update({row[0]: row[1:] for row in self.env.cr.fetchall()})
        wallets = self._wallet_estimates(plans)
        Value = self.env["crm.customer.value"]
        extra = {}
        for measure in ("satisfaction", "complaints"):
            requests = [
                (plan.id, plan.company_id.id, plan.partner_id.id, plan.date_start, plan.date_end)
                for plan in objectives.filtered(lambda o, measure=measure: o.measure == measure).plan_id
            ]
            extra[measure] = Value._get_customer_measures(measure, requests) if requests else {}
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
