import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .crm_portfolio_line import ABC_XYZ_APPROACH
from .crm_sql import INVOICE_LINE_UNIT_COST

_logger = logging.getLogger(__name__)

# One document per row, in company currency, for the chosen revenue source: confirmed
# orders, or posted customer invoices net of credit notes (cost from the linked order lines).
# The source is picked in Python, not by a UNION ALL behind a constant filter: the planner then
# knows how many customers it groups and keeps the aggregation in memory.
_ORDER_ROWS = """
    SELECT rp.commercial_partner_id AS partner_id, so.date_order AS ts, TRUE AS is_sale,
           -- most orders are in company currency: no numeric division for those (and no IN list:
           -- these expressions are evaluated once per aggregate that reads them)
           CASE WHEN so.currency_rate = 1 OR so.currency_rate = 0 OR so.currency_rate IS NULL
                THEN so.amount_untaxed ELSE so.amount_untaxed / so.currency_rate END AS amount,
           CASE WHEN so.currency_rate = 1 OR so.currency_rate = 0 OR so.currency_rate IS NULL
                THEN COALESCE(so.margin, 0) ELSE COALESCE(so.margin, 0) / so.currency_rate END AS margin
    FROM sale_order so
    JOIN res_partner rp ON rp.id = so.partner_id
    WHERE so.state = 'sale' AND so.company_id = %(company_id)s AND so.date_order < %(date_to)s::timestamp
"""
_INVOICE_ROWS = f"""
    SELECT rp.commercial_partner_id AS partner_id, am.invoice_date::timestamp AS ts,
           am.move_type = 'out_invoice' AS is_sale,
           SUM(-aml.balance) AS amount,
           SUM(-aml.balance - SIGN(-aml.balance) * ABS(aml.quantity) * COALESCE(cost.unit_cost, 0)) AS margin
    FROM account_move_line aml
    JOIN account_move am ON am.id = aml.move_id
    JOIN res_partner rp ON rp.id = am.partner_id
    {INVOICE_LINE_UNIT_COST}
    WHERE am.move_type IN ('out_invoice', 'out_refund') AND am.state = 'posted'
      AND am.company_id = %(company_id)s AND aml.display_type = 'product' AND am.invoice_date < %(date_to)s
    GROUP BY am.id, rp.commercial_partner_id
"""
REVENUE_ROWS = {"orders": _ORDER_ROWS, "invoices": _INVOICE_ROWS}

# Statement 1: one pass over the documents, grouped by customer only, into a temporary table.
# On its own (not inside the INSERT below) PostgreSQL may run it with parallel workers.
# Periods and months are plain timestamp comparisons: the planner inlines the row query into
# every FILTER, so a computed month number (width_bucket) would be evaluated once per aggregate.
_AGGREGATE_QUERY = """
CREATE TEMPORARY TABLE crm_portfolio_agg ON COMMIT DROP AS
SELECT partner_id,
       SUM(amount) FILTER (WHERE ts >= %(date_from)s::timestamp) AS revenue,
       SUM(amount) FILTER (WHERE ts >= %(previous_from)s::timestamp AND ts < %(date_from)s::timestamp)
           AS revenue_previous,
       SUM(margin) FILTER (WHERE ts >= %(date_from)s::timestamp) AS margin,
       COUNT(*) FILTER (WHERE ts >= %(date_from)s::timestamp AND is_sale) AS frequency,
       MAX(ts) FILTER (WHERE ts >= %(date_from)s::timestamp AND is_sale) AS last_ts,
       MIN(ts) FILTER (WHERE is_sale) AS first_ts,
       __MONTHLY_SUMS__
FROM (__REVENUE_ROWS__) revenue_rows
GROUP BY partner_id
"""

# Statement 2: every method's classes from those sums, written as the run's lines.
_ANALYSIS_QUERY = """
WITH ledger AS (
    SELECT partner_id, SUM(amount) AS amount FROM crm_customer_cost
    WHERE company_id = %(company_id)s AND date >= %(date_from)s::date AND date < %(date_to)s::date
    GROUP BY partner_id
),
extra AS (
    SELECT partner_id, SUM(amount) AS amount
    FROM unnest(%(extra_partner_ids)s::int[], %(extra_amounts)s::numeric[]) AS e(partner_id, amount)
    GROUP BY partner_id
),
potential AS (
    -- potential customers: never ordered anywhere (a shared partner buying from a sister
    -- company is that company's customer, not our potential one)
    SELECT p.id AS partner_id FROM res_partner p
    WHERE p.id = p.commercial_partner_id AND p.active AND p.customer_rank > 0
      AND (p.company_id = %(company_id)s OR (p.company_id IS NULL AND p.lifecycle_stage = 'potential'))
),
teams AS (
    -- a customer's team is its salesperson's (first) sales team
    SELECT DISTINCT ON (user_id) user_id, crm_team_id AS team_id
    FROM crm_team_member WHERE active ORDER BY user_id, id
),
base AS (
    SELECT p.id AS partner_id, p.user_id, t.team_id, p.lifecycle_stage,
           COALESCE(a.revenue, 0) AS revenue, COALESCE(a.revenue_previous, 0) AS revenue_previous,
           COALESCE(a.margin, 0) AS margin, COALESCE(a.frequency, 0) AS frequency, a.last_ts, a.first_ts,
           COALESCE(g.amount, 0) + COALESCE(x.amount, 0) AS cost_to_serve,
           __SUM_SQUARES__ AS sum_squares,
           (COALESCE(a.revenue, 0) > 0 OR COALESCE(a.revenue_previous, 0) > 0) AS in_matrix,
           CASE WHEN %(abc_basis)s = 'margin' THEN COALESCE(a.margin, 0) ELSE COALESCE(a.revenue, 0) END AS abc_value
    FROM crm_portfolio_agg a
    FULL JOIN potential c ON c.partner_id = a.partner_id
    JOIN res_partner p ON p.id = COALESCE(a.partner_id, c.partner_id)
    LEFT JOIN ledger g ON g.partner_id = p.id
    LEFT JOIN extra x ON x.partner_id = p.id
    LEFT JOIN teams t ON t.user_id = p.user_id
),
reference AS (
    SELECT __REFERENCE_VALUE__ AS reference_value, SUM(GREATEST(abc_value, 0)) AS abc_total
    FROM base WHERE in_matrix
),
quintiles AS MATERIALIZED (
    -- An RFM score is 1 + floor(5 (rank - 1) / n), rank - 1 being the number of customers with a
    -- lower value: it rises by one at four values of the sorted list (positions ceil(k n / 5)),
    -- and ties share a score. Four comparisons per customer instead of sorting all their rows.
    SELECT r[(n + 4) / 5] AS r1, r[(2 * n + 4) / 5] AS r2, r[(3 * n + 4) / 5] AS r3, r[(4 * n + 4) / 5] AS r4,
           f[(n + 4) / 5] AS f1, f[(2 * n + 4) / 5] AS f2, f[(3 * n + 4) / 5] AS f3, f[(4 * n + 4) / 5] AS f4,
           m[(n + 4) / 5] AS m1, m[(2 * n + 4) / 5] AS m2, m[(3 * n + 4) / 5] AS m3, m[(4 * n + 4) / 5] AS m4
    FROM (SELECT COUNT(*)::int AS n, array_agg(last_ts::date ORDER BY last_ts::date) AS r,
                 array_agg(frequency ORDER BY frequency) AS f, array_agg(revenue ORDER BY revenue) AS m
          FROM base WHERE frequency > 0) sorted
),
-- The stages below hand each value on as a column, computed once per customer: an inlined stage
-- would repeat its expression at every reference (hence OFFSET 0), a MATERIALIZED one would copy
-- every row into a tuplestore and back.
ranked AS (
    SELECT b.*,
           CASE WHEN b.frequency > 0 THEN 1 + (q.r1 < b.last_ts::date)::int + (q.r2 < b.last_ts::date)::int
                + (q.r3 < b.last_ts::date)::int + (q.r4 < b.last_ts::date)::int END AS r_score,
           CASE WHEN b.frequency > 0 THEN 1 + (q.f1 < b.frequency)::int + (q.f2 < b.frequency)::int
                + (q.f3 < b.frequency)::int + (q.f4 < b.frequency)::int END AS f_score,
           CASE WHEN b.frequency > 0 THEN 1 + (q.m1 < b.revenue)::int + (q.m2 < b.revenue)::int
                + (q.m3 < b.revenue)::int + (q.m4 < b.revenue)::int END AS m_score,
           CASE WHEN b.in_matrix THEN b.revenue / NULLIF(r.reference_value, 0) END AS relative_value,
           CASE WHEN b.in_matrix AND b.revenue_previous > 0
                THEN 100.0 * (b.revenue - b.revenue_previous) / b.revenue_previous END AS growth,
           (b.in_matrix AND b.revenue_previous <= 0 AND b.revenue > 0) AS is_new,
           CASE WHEN b.in_matrix THEN 100.0 * b.abc_before / NULLIF(r.abc_total, 0) END AS cumulative_share,
           -- in float8: numeric powers and roots cost milliseconds per thousand customers
           CASE WHEN b.revenue > 0 THEN 100.0 * SQRT(GREATEST(
                   b.sum_squares / %(months)s - (b.revenue::float8 / %(months)s) ^ 2, 0))
                   / (b.revenue::float8 / %(months)s)
                END AS variation_coefficient
    FROM (
        -- the value of the matrix customers ahead (largest first), the reference rows joined only after
        -- the sort; a FILTER rather than a partition, so that the sort leads with the amount
        SELECT base.*, COALESCE(SUM(GREATEST(abc_value, 0)) FILTER (WHERE in_matrix) OVER (
                   ORDER BY abc_value DESC, partner_id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS abc_before
        FROM base
    ) b CROSS JOIN reference r CROSS JOIN quintiles q
),
classified AS (
    SELECT k.*,
           CASE WHEN NOT k.in_matrix THEN NULL
                WHEN k.relative_value >= %(share_threshold)s
                     AND (k.is_new OR k.growth >= %(growth_threshold)s) THEN 'star'
                WHEN k.relative_value >= %(share_threshold)s THEN 'cash_cow'
                WHEN k.is_new OR k.growth >= %(growth_threshold)s THEN 'question_mark'
                ELSE 'dog' END AS quadrant,
           CASE WHEN NOT k.in_matrix THEN NULL
                WHEN k.cumulative_share < %(abc_a)s THEN 'A'
                WHEN k.cumulative_share < %(abc_b)s THEN 'B'
                ELSE 'C' END AS abc_class
    FROM ranked k
    OFFSET 0
),
segmented AS (
    -- the mean of F and M rounded half up, in integers
    SELECT c.*, (c.f_score + c.m_score + 1) / 2 AS fm FROM classified c OFFSET 0
)
INSERT INTO crm_portfolio_line (
    analysis_id, analysis_date, partner_id, user_id, team_id, lifecycle_stage,
    revenue, revenue_previous, growth, is_new, relative_value, margin, cost_to_serve, net_profit,
    in_matrix, bcg_quadrant, previous_bcg_quadrant, quadrant_changed, abc_class, cumulative_share,
    xyz_relationship, xyz_stability, variation_coefficient, recency_days, frequency,
    r_score, f_score, m_score, rfm_segment, mix_category, suggested_strategy)
SELECT %(analysis_id)s, %(analysis_date)s, s.partner_id, s.user_id, s.team_id, s.lifecycle_stage,
       s.revenue, s.revenue_previous, s.growth, s.is_new, s.relative_value, s.margin, s.cost_to_serve,
       s.margin - s.cost_to_serve,
       s.in_matrix, s.quadrant, prev.bcg_quadrant,
       COALESCE(prev.bcg_quadrant IS DISTINCT FROM s.quadrant AND prev.bcg_quadrant IS NOT NULL
                AND s.quadrant IS NOT NULL, FALSE),
       s.abc_class, s.cumulative_share,
       CASE WHEN s.lifecycle_stage IN ('regular', 'at_risk', 'won_back') THEN 'X'
            WHEN s.lifecycle_stage = 'one_time' THEN 'Y'
            WHEN s.lifecycle_stage = 'lost' THEN 'L'
            WHEN s.lifecycle_stage = 'potential' OR s.first_ts IS NULL THEN 'Z'
            WHEN s.frequency > 1 THEN 'X' ELSE 'Y' END,
       CASE WHEN s.variation_coefficient IS NULL THEN NULL
            WHEN s.variation_coefficient <= %(xyz_x)s THEN 'X'
            WHEN s.variation_coefficient <= %(xyz_y)s THEN 'Y' ELSE 'Z' END,
       s.variation_coefficient,
       CASE WHEN s.last_ts IS NOT NULL THEN %(analysis_date)s::date - s.last_ts::date END,
       s.frequency,
       s.r_score, s.f_score, s.m_score,
       CASE WHEN s.r_score IS NULL THEN NULL
            WHEN s.r_score >= 4 AND s.fm >= 4 THEN 'champions'
            WHEN s.r_score >= 3 AND s.fm >= 4 THEN 'loyal'
            WHEN s.r_score >= 4 AND s.fm >= 2 THEN 'potential_loyalist'
            WHEN s.r_score >= 4 THEN 'new_customers'
            WHEN s.r_score = 3 AND s.fm >= 2 THEN 'need_attention'
            WHEN s.r_score = 3 THEN 'about_to_sleep'
            WHEN s.fm >= 4 THEN 'at_risk'
            WHEN s.fm >= 2 THEN 'hibernating'
            ELSE 'lost' END,
       CASE WHEN s.revenue <= 0 THEN NULL
            WHEN s.lifecycle_stage IN ('at_risk', 'lost') THEN 'last_time'
            WHEN s.first_ts >= %(date_from)s THEN 'new'
            WHEN s.revenue_previous > 0 THEN 'repeat'
            ELSE 'switcher' END,
       CASE WHEN s.quadrant = 'dog' AND s.margin - s.cost_to_serve < 0
                 AND s.lifecycle_stage IN ('at_risk', 'lost') AND loss.code IS NOT NULL
            THEN loss.code ELSE suggested.code END
FROM segmented s
LEFT JOIN crm_portfolio_line prev ON prev.analysis_id = %(previous_analysis_id)s AND prev.partner_id = s.partner_id
LEFT JOIN crm_portfolio_strategy_map m ON m.quadrant = s.quadrant AND m.active
LEFT JOIN crm_relationship_strategy suggested ON suggested.id = m.strategy_id
LEFT JOIN crm_relationship_strategy loss ON loss.id = m.loss_inactive_strategy_id
"""


# A run sums every month of its period in one column each: ten years is the most it analyses.
MAX_PERIOD_MONTHS = 120


def check_period_months(env, months, label):
    """Refuse a portfolio period outside 1 to MAX_PERIOD_MONTHS months; ``label`` names the field."""
    if not 1 <= months <= MAX_PERIOD_MONTHS:
        raise ValidationError(
            env._(
                "%(field)s must be between 1 and %(max)s (ten years): %(months)s months cannot be analysed. "
                "Enter a shorter period.",
                field=label,
                max=MAX_PERIOD_MONTHS,
                months=months,
            )
        )


def _param(env, key, default):
    return env["ir.config_parameter"].sudo().get_param(f"crm_relationship.portfolio_{key}", default)


class CrmPortfolioAnalysis(models.Model):
    """A dated client portfolio analysis run: BCG, ABC, XYZ, RFM and customer mix.

    The settings are copied onto the run when it is created, so an old run can be
    read (and recomputed) exactly as it was; its lines are never touched by later runs.
    """

    _name = "crm.portfolio.analysis"
    _description = "Client Portfolio Analysis"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False, precompute=True, required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Analysis Date", required=True, default=fields.Date.context_today, tracking=True)
    period_months = fields.Integer(
        string="Period (months)", required=True, default=lambda self: int(_param(self.env, "period_months", 12))
    )
    revenue_source = fields.Selection(
        [("orders", "Confirmed sales orders"), ("invoices", "Posted customer invoices, net of credit notes")],
        required=True,
        default=lambda self: _param(self.env, "revenue_source", "orders"),
    )
    bcg_reference = fields.Selection(
        [("largest", "Largest customer"), ("median", "Median customer")],
        string="Relative Value Against",
        required=True,
        default=lambda self: _param(self.env, "bcg_reference", "largest"),
    )
    share_threshold = fields.Float(
        string="High Relative Value From",
        digits=(16, 3),
        default=lambda self: float(_param(self.env, "share_threshold", 0.5)),
        help="0.5 against the largest customer, 1.0 against the median customer by default.",
    )
    growth_threshold = fields.Float(
        string="High Growth From (%)", default=lambda self: float(_param(self.env, "growth_threshold", 10.0))
    )
    abc_basis = fields.Selection(
        [("revenue", "Revenue"), ("margin", "Gross margin")],
        string="ABC On",
        required=True,
        default=lambda self: _param(self.env, "abc_basis", "revenue"),
    )
    abc_a_threshold = fields.Float(string="A Up To (%)", default=lambda self: float(_param(self.env, "abc_a", 80.0)))
    abc_b_threshold = fields.Float(string="B Up To (%)", default=lambda self: float(_param(self.env, "abc_b", 95.0)))
    xyz_x_threshold = fields.Float(
        string="X Up To (% variation)", default=lambda self: float(_param(self.env, "xyz_x", 10.0))
    )
    xyz_y_threshold = fields.Float(
        string="Y Up To (% variation)", default=lambda self: float(_param(self.env, "xyz_y", 25.0))
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], required=True, default="draft", tracking=True)
    date_from = fields.Date(string="Period Start", compute="_compute_period", store=True)
    date_done = fields.Datetime(string="Computed On", readonly=True, copy=False)
    user_id = fields.Many2one("res.users", string="Run By", default=lambda self: self.env.user, readonly=True)
    line_ids = fields.One2many("crm.portfolio.line", "analysis_id", string="Customers", readonly=True)
    line_count = fields.Integer(string="Customers Analysed", readonly=True, copy=False)
    revenue_total = fields.Monetary(readonly=True, copy=False)
    mix_new_actual = fields.Float(string="New (%)", readonly=True, copy=False, digits=(16, 1))
    mix_repeat_actual = fields.Float(string="Repeat (%)", readonly=True, copy=False, digits=(16, 1))
    mix_switcher_actual = fields.Float(string="Switchers (%)", readonly=True, copy=False, digits=(16, 1))
    mix_last_time_actual = fields.Float(string="Last-time (%)", readonly=True, copy=False, digits=(16, 1))
    mix_target_id = fields.Many2one("crm.customer.mix.target", compute="_compute_mix_target")
    mix_new_target = fields.Float(compute="_compute_mix_variance", string="New Target (%)", digits=(16, 1))
    mix_repeat_target = fields.Float(compute="_compute_mix_variance", string="Repeat Target (%)", digits=(16, 1))
    mix_switcher_target = fields.Float(compute="_compute_mix_variance", string="Switchers Target (%)", digits=(16, 1))
    mix_last_time_target = fields.Float(compute="_compute_mix_variance", string="Last-time Target (%)", digits=(16, 1))
    mix_new_variance = fields.Float(compute="_compute_mix_variance", string="New Variance", digits=(16, 1))
    mix_repeat_variance = fields.Float(compute="_compute_mix_variance", string="Repeat Variance", digits=(16, 1))
    mix_switcher_variance = fields.Float(compute="_compute_mix_variance", string="Switchers Variance", digits=(16, 1))
    mix_last_time_variance = fields.Float(compute="_compute_mix_variance", string="Last-time Variance", digits=(16, 1))

    _sql_constraints = [
        ("period_positive", "CHECK(period_months > 0)", "The analysis Period must be at least one month."),
    ]

    @api.depends("date", "company_id")
    def _compute_name(self):
        for analysis in self:
            analysis.name = self.env._("Portfolio %(date)s", date=analysis.date or "")

    @api.depends("date", "period_months")
    def _compute_period(self):
        for analysis in self:
            analysis.date_from = analysis._period_bounds()[0] if analysis.date and analysis.period_months else False

    @api.depends("date", "company_id")
    def _compute_mix_target(self):
        targets = self.env["crm.customer.mix.target"].search(
            [("company_id", "in", self.company_id.ids), ("year", "in", list({a.date.year for a in self if a.date}))]
        )
        for analysis in self:
            analysis.mix_target_id = targets.filtered(
                lambda t, a=analysis: t.company_id == a.company_id and a.date and t.year == a.date.year
            )[:1]

    @api.depends("mix_target_id", *(f"mix_{code}_actual" for code in ("new", "repeat", "switcher", "last_time")))
    def _compute_mix_variance(self):
        """Variance = target - actual: how far the mix still is from the target (25/45/20/10
        against 25/40/15/20 gives 0/+5/+5/-10)."""
        for analysis in self:
            target = analysis.mix_target_id
            for code in ("new", "repeat", "switcher", "last_time"):
                analysis[f"mix_{code}_target"] = target[f"target_{code}"] if target else 0.0
                analysis[f"mix_{code}_variance"] = (
                    round(target[f"target_{code}"] - analysis[f"mix_{code}_actual"], 1) if target else 0.0
                )

    @api.constrains("abc_a_threshold", "abc_b_threshold", "xyz_x_threshold", "xyz_y_threshold", "share_threshold")
    def _check_thresholds(self):
        for analysis in self:
            if not 0 < analysis.abc_a_threshold < analysis.abc_b_threshold <= 100:
                raise ValidationError(
                    self.env._("ABC thresholds must satisfy 0 < A Up To < B Up To <= 100 (80 and 95 by default).")
                )
            if not 0 <= analysis.xyz_x_threshold < analysis.xyz_y_threshold:
                raise ValidationError(
                    self.env._("XYZ thresholds must satisfy 0 <= X Up To < Y Up To (10 and 25 by default).")
                )
            if analysis.share_threshold <= 0:
                raise ValidationError(self.env._("High Relative Value From must be greater than 0."))

    @api.constrains("period_months")
    def _check_period_months(self):
        label = self._fields["period_months"]._description_string(self.env)
        for analysis in self:
            check_period_months(self.env, analysis.period_months, label)

    def _period_bounds(self):
        """[date_from, date_to) of the period and the start of the equal period before it."""
        date_to = self.date + relativedelta(days=1)
        date_from = date_to - relativedelta(months=self.period_months)
        previous_from = date_from - relativedelta(months=self.period_months)
        return date_from, date_to, previous_from

    def action_compute(self):
        # the lines are written in SQL: the caller's right on the run is checked first
        self.check_access("write")
        for analysis in self:
            analysis._compute_lines()
        return True

    def _compute_lines(self):
        """All methods in two set-based SQL statements (sums per customer, then classes), then the totals."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._("%(run)s is done: its lines are kept as they are. Start a new run.", run=self.display_name)
            )
        date_from, date_to, previous_from = self._period_bounds()
        previous = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("date", "<=", self.date),
                ("id", "!=", self.id),
            ],
            order="date desc, id desc",
            limit=1,
        )
        extra = self.env["crm.customer.value"]._get_extra_costs(self.company_id, date_from, date_to)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM crm_portfolio_line WHERE analysis_id = %s", [self.id])
        # one SUM per month of the period (float8: they only feed the coefficient of variation);
        # only our own fragments and integers are spliced in
        months = range(self.period_months)
        month_starts = {f"month_{m}": date_from + relativedelta(months=m) for m in months}
        month_starts[f"month_{len(months)}"] = date_to
        monthly_sums = ", ".join(
            f"SUM(amount::float8) FILTER (WHERE ts >= %(month_{m})s::timestamp AND ts < %(month_{m + 1})s::timestamp)"
            f" AS m{m}"
            for m in months
        )
        sum_squares = " + ".join(f"COALESCE(a.m{m}, 0) ^ 2" for m in months)
        # compiling these one-off statements costs seconds and saves nothing: no JIT for them
        cr.execute("SET LOCAL jit = off")
        # the classes' sorts and hashes of 20,000 customers fit in memory
        cr.execute("SET LOCAL work_mem = '64MB'")
        # Sum one customer at a time over rows sorted by customer: a hash table holding every
        # customer's 18 running sums at once is slower (0.6-0.75 s against 0.43-0.46 s at 20,000 customers).
        cr.execute("SET LOCAL enable_hashagg = off")
        cr.execute("DROP TABLE IF EXISTS crm_portfolio_agg")
        cr.execute(
            _AGGREGATE_QUERY.replace("__REVENUE_ROWS__", REVENUE_ROWS[self.revenue_source]).replace(
                "__MONTHLY_SUMS__", monthly_sums
            ),
            {
                "company_id": self.company_id.id,
                "date_to": date_to,
                "date_from": date_from,
                "previous_from": previous_from,
                **month_starts,
            },
        )
        cr.execute("SET LOCAL enable_hashagg TO DEFAULT")
        # relative value against the largest customer or the median one (sorting every revenue)
        reference_value = (
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY revenue) FILTER (WHERE revenue > 0)"
            if self.bcg_reference == "median"
            else "MAX(revenue)"
        )
        query = _ANALYSIS_QUERY.replace("__SUM_SQUARES__", sum_squares).replace("__REFERENCE_VALUE__", reference_value)
        cr.execute(
            query,
            {
                "analysis_id": self.id,
                "company_id": self.company_id.id,
                "date_from": date_from,
                "date_to": date_to,
                "analysis_date": self.date,
                "months": self.period_months,
                "abc_basis": self.abc_basis,
                "share_threshold": self.share_threshold,
                "growth_threshold": self.growth_threshold,
                "abc_a": self.abc_a_threshold,
                "abc_b": self.abc_b_threshold,
                "xyz_x": self.xyz_x_threshold,
                "xyz_y": self.xyz_y_threshold,
                "extra_partner_ids": list(extra),
                "extra_amounts": list(extra.values()),
                "previous_analysis_id": previous.id or None,
            },
        )
        cr.execute("DROP TABLE crm_portfolio_agg")
        cr.execute("SET LOCAL jit TO DEFAULT")
        cr.execute("SET LOCAL work_mem TO DEFAULT")
        cr.execute(
            """
            SELECT COUNT(*), COALESCE(SUM(revenue), 0),
                   COALESCE(SUM(revenue) FILTER (WHERE mix_category = 'new'), 0),
                   COALESCE(SUM(revenue) FILTER (WHERE mix_category = 'repeat'), 0),
                   COALESCE(SUM(revenue) FILTER (WHERE mix_category = 'switcher'), 0),
                   COALESCE(SUM(revenue) FILTER (WHERE mix_category = 'last_time'), 0),
                   COALESCE(SUM(revenue) FILTER (WHERE mix_category IS NOT NULL), 0)
            FROM crm_portfolio_line WHERE analysis_id = %s
            """,
            [self.id],
        )
        count, total, new, repeat, switcher, last_time, mix_total = cr.fetchone()

        def share(amount):
            return round(100.0 * float(amount) / float(mix_total), 1) if mix_total else 0.0

        self.env.invalidate_all()
        self.write(
            {
                "line_count": count,
                "revenue_total": total,
                "mix_new_actual": share(new),
                "mix_repeat_actual": share(repeat),
                "mix_switcher_actual": share(switcher),
                "mix_last_time_actual": share(last_time),
                "state": "done",
                "date_done": fields.Datetime.now(),
            }
        )

    def action_reset_to_draft(self):
        self.write({"state": "draft"})

    @api.model
    def _cron_run_monthly(self):
        for company in self.env["res.company"].search([]):
            analysis = self.with_company(company).create({"company_id": company.id})
            analysis._compute_lines()
            _logger.info("Portfolio analysis %s: %s customers", analysis.display_name, analysis.line_count)

    # ------------------------------------------------------------------ views and reports

    def _action_lines(self, view_mode, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_relationship.action_crm_portfolio_line")
        action.update(
            name=name,
            view_mode=view_mode,
            domain=[("analysis_id", "=", self.id)],
            context={"search_default_in_matrix": 1},
        )
        return action

    def action_view_lines(self):
        return self._action_lines("list,pivot,graph,form", self.display_name)

    def action_open_matrix(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "crm_relationship.portfolio_matrix",
            "name": self.env._("Portfolio Matrix"),
            "params": {"analysis_id": self.id},
        }

    def action_export_xlsx(self):
        return self.env.ref("crm_relationship.action_report_portfolio_xlsx").report_action(self)

    def get_matrix_data(self, user_ids=None, team_ids=None, tag_ids=None):
        """Bubble-chart points, thresholds and the ABC x XYZ table for the matrix screen.

        Read through the ORM with the caller's rights: record rules decide what is seen.
        """
        self.ensure_one()
        self.check_access("read")
        domain = [("analysis_id", "=", self.id), ("in_matrix", "=", True)]
        if user_ids:
            domain.append(("user_id", "in", user_ids))
        if team_ids:
            domain.append(("team_id", "in", team_ids))
        if tag_ids:
            domain.append(("partner_id.category_id", "in", tag_ids))
        lines = self.env["crm.portfolio.line"].search(domain)
        quadrant_labels = dict(self.env["crm.portfolio.line"]._fields["bcg_quadrant"]._description_selection(self.env))
        points = [
            {
                "line_id": line.id,
                "partner_id": line.partner_id.id,
                "name": line.partner_id.display_name,
                "x": line.relative_value,
                "y": line.growth,
                "is_new": line.is_new,
                "revenue": line.revenue,
                "quadrant": line.bcg_quadrant,
                "quadrant_label": quadrant_labels.get(line.bcg_quadrant, ""),
                "abc": line.abc_class,
                "xyz": line.xyz_stability,
            }
            for line in lines
        ]
        cells = {}
        for line in lines.filtered(lambda line: line.abc_class and line.xyz_stability):
            cell = cells.setdefault((line.abc_class, line.xyz_stability), {"count": 0, "revenue": 0.0})
            cell["count"] += 1
            cell["revenue"] += line.revenue
        matrix = [
            {
                "abc": abc,
                "cells": [
                    {
                        "xyz": xyz,
                        "count": cells.get((abc, xyz), {}).get("count", 0),
                        "revenue": cells.get((abc, xyz), {}).get("revenue", 0.0),
                        "approach": str(ABC_XYZ_APPROACH[(abc, xyz)]),
                    }
                    for xyz in ("X", "Y", "Z")
                ],
            }
            for abc in ("A", "B", "C")
        ]
        return {
            "analysis": {"id": self.id, "name": self.display_name, "date": fields.Date.to_string(self.date)},
            "currency": {"symbol": self.currency_id.symbol, "position": self.currency_id.position},
            "share_threshold": self.share_threshold,
            "growth_threshold": self.growth_threshold,
            "points": points,
            "matrix": matrix,
        }
