from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import LazyTranslate

from .crm_relationship_strategy import STRATEGY_CODES

_lt = LazyTranslate(__name__)

BCG_QUADRANTS = [
    ("star", "Star"),
    ("cash_cow", "Cash cow"),
    ("question_mark", "Question mark"),
    ("dog", "Dog"),
]
ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
XYZ_RELATIONSHIP = [("X", "X - regular"), ("Y", "Y - one-time"), ("Z", "Z - potential"), ("L", "Lost")]
XYZ_STABILITY = [("X", "X - stable"), ("Y", "Y - variable"), ("Z", "Z - irregular")]
RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential loyalist"),
    ("new_customers", "New customers"),
    ("need_attention", "Need attention"),
    ("about_to_sleep", "About to sleep"),
    ("at_risk", "At risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]
MIX_CATEGORIES = [
    ("new", "New"),
    ("repeat", "Repeat"),
    ("switcher", "Switcher"),
    ("last_time", "Last-time"),
]
# The recommended approach of each ABC x XYZ (demand stability) cell.
ABC_XYZ_APPROACH = {
    ("A", "X"): _lt("Key customers with steady demand: automate replenishment, protect with key-account care."),
    ("A", "Y"): _lt("Key customers with variable demand: plan together, keep safety stock."),
    ("A", "Z"): _lt("Key customers with irregular demand: forecast with them, agree call-offs."),
    ("B", "X"): _lt("Steady mid-value customers: standard service, look for up-sell."),
    ("B", "Y"): _lt("Variable mid-value customers: regular reviews, flexible offers."),
    ("B", "Z"): _lt("Irregular mid-value customers: serve to order, watch the cost to serve."),
    ("C", "X"): _lt("Small steady customers: self-service and automation."),
    ("C", "Y"): _lt("Small variable customers: low-touch channels, bundle orders."),
    ("C", "Z"): _lt("Small irregular customers: serve to order at minimum cost, or reconsider."),
}


class CrmPortfolioLine(models.Model):
    """One customer's figures and classes in one portfolio analysis run. Never recomputed."""

    _name = "crm.portfolio.line"
    _inherit = ["crm.commercial.partner.mixin"]
    _description = "Client Portfolio Analysis Line"
    _order = "revenue desc, id"
    _rec_name = "partner_id"
    # a run writes tens of thousands of lines at once; who ran it and when is on the run itself
    _log_access = False

    # indexed by the unique (analysis, customer) constraint below
    analysis_id = fields.Many2one("crm.portfolio.analysis", required=True, ondelete="cascade")
    analysis_date = fields.Date(related="analysis_id.date", store=True)
    # read from the run, not stored: a run writes one line per customer, and every stored link
    # is one more foreign-key check per line (a sixth of the run's time at 20,000 customers)
    company_id = fields.Many2one(related="analysis_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index="btree_not_null")
    team_id = fields.Many2one("crm.team", string="Sales Team", index="btree_not_null")
    lifecycle_stage = fields.Selection(
        selection=lambda self: self.env["res.partner"]._fields["lifecycle_stage"].selection,
        help="The customer's lifecycle stage when the analysis ran.",
    )

    revenue = fields.Monetary(
        help="Revenue of the analysis period, in company currency, from the run's revenue source (net of credit notes)."
    )
    revenue_previous = fields.Monetary(string="Previous Revenue", help="Revenue of the equal period before.")
    growth = fields.Float(string="Growth (%)", digits=(16, 1), help="Empty for a customer new in the period.")
    is_new = fields.Boolean(string="New Customer", help="No revenue in the previous period: counts as high growth.")
    relative_value = fields.Float(digits=(16, 3), help="Revenue against the reference customer (largest or median).")
    margin = fields.Monetary(string="Gross Margin")
    cost_to_serve = fields.Monetary()
    net_profit = fields.Monetary()
    in_matrix = fields.Boolean(
        string="Classified", help="False when the customer had no revenue in either period: left out of BCG and ABC."
    )
    bcg_quadrant = fields.Selection(BCG_QUADRANTS, string="BCG Quadrant")
    previous_bcg_quadrant = fields.Selection(BCG_QUADRANTS, string="Previous Quadrant")
    quadrant_changed = fields.Boolean(string="Moved Between Quadrants")
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class")
    previous_abc_class = fields.Selection(
        ABC_CLASSES,
        string="Previous ABC Class",
        help="The customer's ABC class in the run this one follows: the company's last done run dated on or "
        "before it, on the same revenue source.",
    )
    abc_class_changed = fields.Boolean(string="Moved Between ABC Classes")
    cumulative_share = fields.Float(
        string="Cumulative Share Before (%)", digits=(16, 2), help="Share of the total held by the customers ahead."
    )
    xyz_relationship = fields.Selection(XYZ_RELATIONSHIP, string="XYZ (Relationship)")
    xyz_stability = fields.Selection(XYZ_STABILITY, string="XYZ (Demand Stability)")
    variation_coefficient = fields.Float(string="Variation of Monthly Revenue (%)", digits=(16, 1))
    recency_days = fields.Integer(
        string="Days Since Last Sale", help="Days from the last order (or invoice) of the period to the analysis date."
    )
    frequency = fields.Integer(
        string="Sales", help="Orders (or invoices, by the run's revenue source) of the period; credit notes excluded."
    )
    r_score = fields.Integer(string="R")
    f_score = fields.Integer(string="F")
    m_score = fields.Integer(string="M")
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="RFM Segment")
    mix_category = fields.Selection(MIX_CATEGORIES, string="Customer Mix")
    # the suggestion is kept as the strategy's code (unique per strategy, the key of its rules)
    # and shown as the strategy: no foreign-key check per line
    suggested_strategy = fields.Selection(STRATEGY_CODES, string="Suggestion")
    suggested_strategy_id = fields.Many2one(
        "crm.relationship.strategy",
        compute="_compute_suggested_strategy_id",
        search="_search_suggested_strategy_id",
    )
    current_strategy_id = fields.Many2one(related="partner_id.relationship_strategy_id", string="Current Strategy")

    _sql_constraints = [
        (
            "customer_once_per_run",
            "UNIQUE(analysis_id, partner_id)",
            "A Customer appears once in an analysis run: its documents are summed on one line.",
        ),
    ]

    @api.depends("suggested_strategy")
    def _compute_suggested_strategy_id(self):
        codes = list(set(self.mapped("suggested_strategy")) - {False})
        strategies = (
            self.env["crm.relationship.strategy"].with_context(active_test=False).search([("code", "in", codes)])
        )
        by_code = {strategy.code: strategy for strategy in strategies}
        for line in self:
            line.suggested_strategy_id = by_code.get(line.suggested_strategy, strategies.browse())

    def _search_suggested_strategy_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            return [("suggested_strategy", operator, False)]
        positive = (
            expression.TERM_OPERATORS_NEGATION[operator] if operator in expression.NEGATIVE_TERM_OPERATORS else operator
        )
        field = "name" if isinstance(value, str) else "id"
        strategies = (
            self.env["crm.relationship.strategy"].with_context(active_test=False).search([(field, positive, value)])
        )
        codes = strategies.mapped("code")
        if positive != operator:
            return ["|", ("suggested_strategy", "not in", codes), ("suggested_strategy", "=", False)]
        return [("suggested_strategy", "in", codes)]

    def action_apply_suggested_strategy(self):
        """Give each selected customer its suggested strategy, through the partner's strategy rules."""
        reason = self.env._("Suggested by the portfolio analysis")
        for strategy in self.suggested_strategy_id:
            lines = self.filtered(lambda line, strategy=strategy: line.suggested_strategy_id == strategy)
            partners = lines.partner_id.filtered(lambda p, strategy=strategy: p.relationship_strategy_id != strategy)
            partners.write(
                {
                    "relationship_strategy_id": strategy.id,
                    "relationship_strategy_reason": f"{reason}: {lines[:1].analysis_id.display_name}",
                }
            )
        return True
