from datetime import date, timedelta

from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_portfolio_line import ABC_CLASSES, BCG_QUADRANTS
from ..models.crm_revenue_source import with_document_depends

# The literature's rule of thumb: acquiring a customer costs about six times keeping one.
ACQUISITION_RETENTION_REFERENCE = 6.0


class CrmRetentionReport(models.Model):
    """Retention and turnover (DESIGN 5, Retention and turnover) per company, sales team,
    salesperson, portfolio segment and calendar year.

    One row per company, customer and year in which the customer was active (had a sale of the
    Revenue Source setting, read from ``crm.revenue.source``) in that year or the year before, up to
    the current year (so far). A count is 1 on the rows it counts and 0 on the others; a rate is 100
    or 0 on the rows it is about (the customers active the year before) and empty on the others, so
    that its average over any grouping is the exact rate of that grouping:

    - retention = customers active the year before and still active / customers active the year
      before; turnover = 100 - retention;
    - won: active in the year, not the year before; lost: active the year before, not in the year;
    - revenue retained: the year's revenue of the retained customers;
    - acquisition cost: the cost-to-serve ledger (``crm.customer.cost``) of the year on the customers
      won, retention cost the same on the customers retained; their averages are the cost per
      customer won and per customer kept, and their ratio is shown beside the literature's 6:1.

    The row is on the customer's salesperson and the salesperson's sales team (the salesperson and
    team of its last sale when it has no salesperson) and on its BCG quadrant and ABC class in the
    company's last done portfolio run.
    Targets come from ``crm.turnover.target``: the team's target of the year when set, else the
    company's.
    """

    _name = "crm.retention.report"
    _description = "Retention and Turnover"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id"
    _depends = with_document_depends(
        {
            "res.partner": ["user_id"],
            "res.users": ["sale_team_id"],
            "crm.customer.cost": ["company_id", "partner_id", "date", "amount"],
            "crm.portfolio.analysis": ["company_id", "state", "date"],
            "crm.portfolio.line": ["analysis_id", "partner_id", "bcg_quadrant", "abc_class"],
            "crm.turnover.target": ["company_id", "team_id", "year", "target_turnover"],
        }
    )

    date = fields.Date(string="Year", readonly=True, help="1 January of the year measured.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    bcg_quadrant = fields.Selection(BCG_QUADRANTS, string="BCG Quadrant", readonly=True)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    customers_previous = fields.Integer(
        string="Active Last Year", readonly=True, aggregator="sum", help="Customers with a sale in the year before."
    )
    customers_active = fields.Integer(
        string="Active", readonly=True, aggregator="sum", help="Customers with a sale in the year."
    )
    customers_retained = fields.Integer(
        string="Retained", readonly=True, aggregator="sum", help="Active last year and still active in the year."
    )
    customers_won = fields.Integer(
        string="Won", readonly=True, aggregator="sum", help="Active in the year and not in the year before."
    )
    customers_lost = fields.Integer(
        string="Lost", readonly=True, aggregator="sum", help="Active in the year before and not in the year."
    )
    retention = fields.Float(
        string="Retention (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Retained / Active Last Year.",
    )
    turnover = fields.Float(
        string="Turnover (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Lost / Active Last Year: 100 - retention.",
    )
    target_turnover = fields.Float(
        string="Target Turnover (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="The Turnover Target of the year: the sales team's when set, else the company's.",
    )
    turnover_variance = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Target turnover - turnover: below zero, more customers were lost than the target accepts.",
    )
    revenue = fields.Monetary(readonly=True, aggregator="sum", help="Revenue of the year (Revenue Source setting).")
    revenue_previous = fields.Monetary(string="Revenue Last Year", readonly=True, aggregator="sum")
    revenue_retained = fields.Monetary(
        readonly=True, aggregator="sum", help="The year's revenue of the customers retained."
    )
    acquisition_cost = fields.Monetary(
        string="Cost per Customer Won",
        readonly=True,
        aggregator="avg",
        help="Cost to serve of the year of the customers won (their first year active), per customer won.",
    )
    retention_cost = fields.Monetary(
        string="Cost per Customer Kept",
        readonly=True,
        aggregator="avg",
        help="Cost to serve of the year of the customers retained, per customer kept.",
    )
    cost_ratio = fields.Float(
        string="Acquisition : Retention",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Cost per customer won / cost per customer kept (the literature's rule of thumb: about 6).",
    )
    cost_ratio_reference = fields.Float(
        string="Reference Ratio",
        readonly=True,
        aggregator="max",
        digits=(16, 1),
        help="Acquiring a customer costs about six times keeping one (a reference from the literature).",
    )

    @property
    def _table_query(self):
        Source = self.env["crm.revenue.source"]
        today = fields.Date.context_today(self)
        # ``crm_retention_since`` (a 1 January) bounds the history read: a reader of some years
        # passes the first day of the year before the first one (a year's retention needs it)
        since = self.env.context.get("crm_retention_since")
        documents = Source._revenue_documents(
            self.env["res.company"].sudo().search([]),
            Source._default_source(),
            Source._period_through(since, today) if since else Source._period_until(today + timedelta(days=1)),
        )
        return SQL(
            """
WITH years AS (
    SELECT d.company_id, d.partner_id, DATE_TRUNC('year', d.ts)::date AS year_start,
           SUM(d.amount) AS revenue, BOOL_OR(d.is_sale) AS active,
           (ARRAY_AGG(d.user_id ORDER BY d.ts DESC) FILTER (WHERE d.is_sale))[1] AS user_id,
           (ARRAY_AGG(d.team_id ORDER BY d.ts DESC) FILTER (WHERE d.is_sale))[1] AS team_id
    FROM (%(documents)s) d
    GROUP BY d.company_id, d.partner_id, DATE_TRUNC('year', d.ts)
), rows AS (
    SELECT k.company_id, k.partner_id, k.year_start,
           COALESCE(cur.active, FALSE) AS active, COALESCE(prev.active, FALSE) AS active_previous,
           COALESCE(cur.revenue, 0) AS revenue, COALESCE(prev.revenue, 0) AS revenue_previous,
           COALESCE(cur.user_id, prev.user_id) AS sale_user_id, COALESCE(cur.team_id, prev.team_id) AS sale_team_id
    FROM (
        SELECT company_id, partner_id, year_start FROM years WHERE active
        UNION
        SELECT company_id, partner_id, (year_start + INTERVAL '1 year')::date FROM years
        WHERE active AND year_start < %(this_year)s
    ) k
    LEFT JOIN years cur
      ON cur.company_id = k.company_id AND cur.partner_id = k.partner_id AND cur.year_start = k.year_start
    LEFT JOIN years prev
      ON prev.company_id = k.company_id AND prev.partner_id = k.partner_id
     AND prev.year_start = (k.year_start - INTERVAL '1 year')::date
), costs AS (
    SELECT company_id, partner_id, DATE_TRUNC('year', date)::date AS year_start, SUM(amount) AS amount
    FROM crm_customer_cost
    WHERE %(since)s::date IS NULL OR date >= %(since)s::date
    GROUP BY company_id, partner_id, DATE_TRUNC('year', date)
), last_runs AS (
    SELECT DISTINCT ON (company_id) id, company_id
    FROM crm_portfolio_analysis
    WHERE state = 'done'
    ORDER BY company_id, date DESC, id DESC
), segments AS (
    SELECT r.company_id, l.partner_id, l.bcg_quadrant, l.abc_class
    FROM last_runs r JOIN crm_portfolio_line l ON l.analysis_id = r.id
), measured AS (
    SELECT r.*, c.amount AS cost,
           COALESCE(p.user_id, r.sale_user_id) AS user_id,
           CASE WHEN p.user_id IS NOT NULL THEN owner.sale_team_id ELSE r.sale_team_id END AS team_id,
           s.bcg_quadrant, s.abc_class
    FROM rows r
    JOIN res_partner p ON p.id = r.partner_id
    LEFT JOIN res_users owner ON owner.id = p.user_id
    LEFT JOIN costs c ON c.company_id = r.company_id AND c.partner_id = r.partner_id AND c.year_start = r.year_start
    LEFT JOIN segments s ON s.company_id = r.company_id AND s.partner_id = r.partner_id
), targeted AS (
    SELECT m.*, COALESCE(team_target.target_turnover, company_target.target_turnover) AS target
    FROM measured m
    LEFT JOIN crm_turnover_target team_target
      ON team_target.company_id = m.company_id AND team_target.team_id = m.team_id
     AND team_target.year = EXTRACT(YEAR FROM m.year_start)::int
    LEFT JOIN crm_turnover_target company_target
      ON company_target.company_id = m.company_id AND company_target.team_id IS NULL
     AND company_target.year = EXTRACT(YEAR FROM m.year_start)::int
)
SELECT (t.partner_id::bigint * 10000 + t.company_id) * 10000 + EXTRACT(YEAR FROM t.year_start)::int AS id,
       t.year_start AS date, t.company_id, company.currency_id, t.partner_id, t.user_id, t.team_id,
       t.bcg_quadrant, t.abc_class,
       t.active_previous::int AS customers_previous,
       t.active::int AS customers_active,
       (t.active AND t.active_previous)::int AS customers_retained,
       (t.active AND NOT t.active_previous)::int AS customers_won,
       (t.active_previous AND NOT t.active)::int AS customers_lost,
       CASE WHEN t.active_previous THEN CASE WHEN t.active THEN 100.0 ELSE 0.0 END END AS retention,
       CASE WHEN t.active_previous THEN CASE WHEN t.active THEN 0.0 ELSE 100.0 END END AS turnover,
       CASE WHEN t.active_previous THEN t.target END AS target_turnover,
       CASE WHEN t.active_previous THEN t.target - CASE WHEN t.active THEN 0.0 ELSE 100.0 END END
           AS turnover_variance,
       t.revenue, t.revenue_previous,
       CASE WHEN t.active AND t.active_previous THEN t.revenue ELSE 0 END AS revenue_retained,
       CASE WHEN t.active AND NOT t.active_previous THEN COALESCE(t.cost, 0) END AS acquisition_cost,
       CASE WHEN t.active AND t.active_previous THEN COALESCE(t.cost, 0) END AS retention_cost,
       NULL::float AS cost_ratio,
       %(reference)s::float AS cost_ratio_reference
FROM targeted t
JOIN res_company company ON company.id = t.company_id
""",
            documents=documents,
            since=since,
            this_year=date(today.year, 1, 1),
            reference=ACQUISITION_RETENTION_REFERENCE,
        )

    def _read_group_select(self, aggregate_spec, query):
        """The acquisition to retention cost ratio of a group: its cost per customer won over its
        cost per customer kept (empty when it kept nobody or its keeping cost nothing)."""
        if aggregate_spec != "cost_ratio:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "AVG(%(won)s) / NULLIF(AVG(%(kept)s), 0)",
            won=self._field_to_sql(self._table, "acquisition_cost", query),
            kept=self._field_to_sql(self._table, "retention_cost", query),
        )
