import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.period import Period

_logger = logging.getLogger(__name__)

PROFITABILITY = [
    ("profitable", "Profitable"),
    ("below_target", "Below target"),
    ("loss_making", "Loss-making"),
]

# The measures of a customer that modules answer through ``_crm_customer_measures``.
CUSTOMER_MEASURES = ("satisfaction", "complaints")


class CrmCustomerValue(models.Model):
    """Current value of a customer for one company over the value period.

    One row per (company, commercial partner), rewritten in bulk by the
    scheduler with a single SQL statement: nothing here is a stored compute on
    ``res.partner``. History lives in the portfolio analysis runs.
    """

    _name = "crm.customer.value"
    _inherit = ["crm.commercial.partner.mixin"]
    _description = "Customer Value"
    _order = "revenue desc, id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    date_from = fields.Date(string="Period Start", readonly=True)
    date_to = fields.Date(string="Period End", readonly=True)
    revenue = fields.Monetary(
        readonly=True,
        help="Revenue of the period from the Revenue Source setting: confirmed orders less the posted credit "
        "notes of their invoices, or posted invoices less credit notes.",
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
        help="Sales of the period: orders, or invoices when the Revenue Source is invoices.",
    )
    average_order_value = fields.Monetary(readonly=True, aggregator="avg")
    last_order_date = fields.Date(
        readonly=True, help="Date of the last sale: order, or invoice when the Revenue Source is invoices."
    )
    margin = fields.Monetary(string="Gross Margin", readonly=True)
    cost_to_serve = fields.Monetary(readonly=True)
    net_profit = fields.Monetary(readonly=True, help="Gross margin less cost to serve.")
    profitability = fields.Selection(PROFITABILITY, readonly=True, index=True)
    lifecycle_stage = fields.Selection(related="partner_id.lifecycle_stage")
    relationship_strategy_id = fields.Many2one(related="partner_id.relationship_strategy_id")

    _sql_constraints = [
        (
            "company_partner_unique",
            "unique(company_id, partner_id)",
            "A customer has one value line per company.",
        ),
    ]

    # ------------------------------------------------------------------ settings

    @api.model
    def _get_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "period_months": int(params.get_param("crm_relationship.value_period_months", 12)),
            "target_net_margin": float(params.get_param("crm_relationship.target_net_margin", 10.0)),
            "at_risk_factor": float(params.get_param("crm_relationship.at_risk_factor", 1.5)),
            "lost_days": int(params.get_param("crm_relationship.lost_days", 365)),
        }

    # ------------------------------------------------------------------ extension point

    @api.model
    def _get_extra_costs(self, company, date_from, date_to, partner_ids=None):
        """Extension point for cost sources outside the ``crm.customer.cost`` ledger.

        Return ``{commercial_partner_id: amount}`` in ``company``'s currency for
        costs dated in ``[date_from, date_to)``, limited to ``partner_ids`` when
        given. Overrides add their figures to ``super()``'s dict and must use a
        bounded number of queries (``_read_group`` or SQL), never one per customer.
        """
        return {}

    @api.model
    def _crm_customer_measures(self, measure, requests):
        """Hook for the measures of a customer that other modules know.

        ``measure`` is one of ``CUSTOMER_MEASURES``:

        - ``satisfaction``: the weighted B2B satisfaction score of the period (1 to 5), from
          ``crm_quality_feedback``;
        - ``complaints``: the number of complaints received in the period, from
          ``crm_quality_feedback``.

        ``requests`` is a list of ``CustomerPeriod`` (``key``, ``company_id``, ``partner_id``,
        ``period``), made with ``crm.revenue.source._customer_period``: the customer is a
        commercial partner and the period half-open, ``[period.start, period.end)``.

        Returns ``{key: value}`` for the requests the installed modules can answer; a request
        nobody answers is left out (callers read it as 0). An override calls ``super()``, adds
        the keys of the measures it knows to the dict and returns it, with a bounded number of
        queries whatever the number of requests; a measure it does not know is left to the others.
        """
        return {}

    # ------------------------------------------------------------------ computation

    @api.model
    def _refresh(self, companies=None, partner_ids=None, today=None):
        """Recompute value lines and lifecycle stages in bulk.

        The value period is the ``value_period_months`` months up to ``today`` included;
        revenue and margin come from ``crm.revenue.source`` with the Revenue Source setting.
        ``partner_ids`` (commercial partners) limits the work to those customers, used by the
        partner form's refresh button; the scheduler passes None. What changed (a lifecycle stage,
        a profitability class) is recorded as customer events (``crm.relationship.event``).
        """
        settings = self._get_settings()
        today = today or fields.Date.context_today(self)
        period = Period.ending_on(today, settings["period_months"])
        partner_ids = list(partner_ids) if partner_ids is not None else None
        source = self.env["crm.revenue.source"]._default_source()
        self.env.flush_all()
        profitability_changes = []
        for company in companies or self.env["res.company"].search([]):
            extra = self._get_extra_costs(company, period.start, period.end, partner_ids)
            self.env.cr.execute(self._refresh_query(company, source, period, partner_ids, extra, settings))
            profitability_changes += [(company.id, *row) for row in self.env.cr.fetchall()]
        self.env.cr.execute(self._lifecycle_query(today, partner_ids, settings))
        stage_changes = self.env.cr.fetchall()
        self.env.invalidate_all()
        self._record_events(today, stage_changes, profitability_changes)

    @api.model
    def _refresh_query(self, company, source, period, partner_ids, extra, settings):
        """One statement: the value lines of ``company``'s customers over ``period``, written in
        place (insert or update), and the lines of customers without any figure removed. It returns
        ``(partner_id, previous profitability, profitability)`` of the customers whose class changed.

        A customer has a line when it has a revenue document before the period's end (its last
        sale dates the line even when the period has none), or a cost in the period. The figures
        of the period are summed from its revenue documents; the last sale is read from the dates
        of the whole history, without their amounts."""
        Source = self.env["crm.revenue.source"]
        return SQL(
            """
WITH before AS (
    SELECT partner_id, profitability
    FROM crm_customer_value
    WHERE company_id = %(company_id)s AND (%(partner_ids)s::int[] IS NULL OR partner_id = ANY(%(partner_ids)s::int[]))
), documents AS (
    SELECT partner_id, SUM(amount) AS revenue, SUM(margin) AS margin, COUNT(*) FILTER (WHERE is_sale) AS order_count
    FROM (%(documents)s) revenue_documents
    GROUP BY partner_id
), history AS (
    SELECT partner_id, MAX(ts) FILTER (WHERE is_sale)::date AS last_order_date
    FROM (%(history)s) document_dates
    GROUP BY partner_id
), ledger AS (
    SELECT partner_id, SUM(amount) AS amount
    FROM crm_customer_cost
    WHERE company_id = %(company_id)s AND date >= %(date_from)s AND date < %(date_to)s
      AND (%(partner_ids)s::int[] IS NULL OR partner_id = ANY(%(partner_ids)s::int[]))
    GROUP BY partner_id
), extra AS (
    SELECT partner_id, SUM(amount) AS amount
    FROM unnest(%(extra_partner_ids)s::int[], %(extra_amounts)s::numeric[]) AS e(partner_id, amount)
    GROUP BY partner_id
), customers AS (
    SELECT partner_id FROM history UNION SELECT partner_id FROM ledger UNION SELECT partner_id FROM extra
), figures AS (
    SELECT c.partner_id,
           COALESCE(d.revenue, 0) AS revenue,
           COALESCE(d.margin, 0) AS margin,
           COALESCE(d.order_count, 0) AS order_count,
           h.last_order_date,
           COALESCE(g.amount, 0) + COALESCE(x.amount, 0) AS cost_to_serve
    FROM customers c
    LEFT JOIN documents d ON d.partner_id = c.partner_id
    LEFT JOIN history h ON h.partner_id = c.partner_id
    LEFT JOIN ledger g ON g.partner_id = c.partner_id
    LEFT JOIN extra x ON x.partner_id = c.partner_id
), upserted AS (
    INSERT INTO crm_customer_value (
        company_id, partner_id, date_from, date_to, revenue, margin, order_count,
        average_order_value, last_order_date, cost_to_serve, net_profit, profitability,
        create_uid, write_uid, create_date, write_date)
    SELECT %(company_id)s, f.partner_id, %(date_from)s, %(last_day)s, f.revenue, f.margin, f.order_count,
           CASE WHEN f.order_count > 0 THEN f.revenue / f.order_count ELSE 0 END,
           f.last_order_date, f.cost_to_serve, f.margin - f.cost_to_serve,
           CASE WHEN f.margin - f.cost_to_serve < 0 THEN 'loss_making'
                WHEN f.revenue <= 0 THEN NULL
                WHEN (f.margin - f.cost_to_serve) * 100 < %(target_net_margin)s * f.revenue THEN 'below_target'
                ELSE 'profitable' END,
           %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
    FROM figures f
    ON CONFLICT (company_id, partner_id) DO UPDATE SET
        date_from = EXCLUDED.date_from, date_to = EXCLUDED.date_to,
        revenue = EXCLUDED.revenue, margin = EXCLUDED.margin, order_count = EXCLUDED.order_count,
        average_order_value = EXCLUDED.average_order_value, last_order_date = EXCLUDED.last_order_date,
        cost_to_serve = EXCLUDED.cost_to_serve, net_profit = EXCLUDED.net_profit,
        profitability = EXCLUDED.profitability,
        write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
    RETURNING partner_id, profitability
), removed AS (
    DELETE FROM crm_customer_value v
    WHERE v.company_id = %(company_id)s
      AND (%(partner_ids)s::int[] IS NULL OR v.partner_id = ANY(%(partner_ids)s::int[]))
      AND v.partner_id NOT IN (SELECT partner_id FROM upserted)
)
-- the customers whose profitability class changed: the events of the refresh
SELECT u.partner_id, b.profitability, u.profitability
FROM upserted u
JOIN before b ON b.partner_id = u.partner_id
WHERE b.profitability IS NOT NULL AND u.profitability IS NOT NULL AND b.profitability <> u.profitability
""",
            documents=Source._revenue_documents(company, source, period, partner_ids),
            history=Source._revenue_document_dates(company, source, Period.until(period.end), partner_ids),
            company_id=company.id,
            partner_ids=partner_ids,
            date_from=period.start,
            date_to=period.end,
            last_day=period.last_day,
            target_net_margin=settings["target_net_margin"],
            extra_partner_ids=list(extra),
            extra_amounts=list(extra.values()),
            uid=self.env.uid,
        )

    @api.model
    def _lifecycle_query(self, today, partner_ids, settings):
        """One statement: the lifecycle stage of every customer (or of ``partner_ids``) on ``today``.

        The stage describes the relationship, not a ledger: it reads the confirmed orders of all
        companies up to ``today`` included. Potential: no order; one-time: one order; lost: no
        order for ``lost_days`` days; won back: an order after a gap of ``lost_days`` days or more;
        at risk: no order for longer than ``at_risk_factor`` times the average interval between
        its orders; regular otherwise. A stage set by hand (locked) is kept.

        It returns ``(partner_id, previous stage, stage, company of the last order)`` of the
        customers whose stage changed: the company a lifecycle event belongs to.
        """
        orders = self.env["crm.revenue.source"]._revenue_document_dates(
            None, "orders", Period.until(today + timedelta(days=1)), partner_ids, sales_only=True
        )
        return SQL(
            """
WITH stats AS (
    SELECT partner_id, COUNT(*) AS orders, MIN(ts)::date AS first_day, MAX(ts)::date AS last_day,
           -- the days between the last order and the one before it
           MAX(ts)::date - (array_agg(ts::date ORDER BY ts DESC))[2] AS last_gap,
           (array_agg(company_id ORDER BY ts DESC, document_id DESC))[1] AS last_company_id
    FROM (%(orders)s) orders
    GROUP BY partner_id
), stages AS (
    SELECT p.id AS partner_id, p.lifecycle_stage AS previous_stage, s.last_company_id,
           CASE WHEN s.partner_id IS NULL THEN 'potential'
                WHEN %(today)s - s.last_day >= %(lost_days)s THEN 'lost'
                WHEN s.last_gap >= %(lost_days)s THEN 'won_back'
                WHEN s.orders = 1 THEN 'one_time'
                WHEN (%(today)s - s.last_day)
                     > %(at_risk_factor)s * (s.last_day - s.first_day)::float / (s.orders - 1) THEN 'at_risk'
                ELSE 'regular' END AS stage
    FROM res_partner p
    LEFT JOIN stats s ON s.partner_id = p.id
    WHERE p.id = p.commercial_partner_id AND (s.partner_id IS NOT NULL OR p.customer_rank > 0)
      AND (%(partner_ids)s::int[] IS NULL OR p.id = ANY(%(partner_ids)s::int[]))
)
UPDATE res_partner p
SET lifecycle_stage = stages.stage, write_date = NOW() AT TIME ZONE 'UTC'
FROM stages
WHERE p.id = stages.partner_id
  AND NOT COALESCE(p.lifecycle_stage_locked, FALSE)
  AND p.lifecycle_stage IS DISTINCT FROM stages.stage
RETURNING p.id, stages.previous_stage, stages.stage, stages.last_company_id
""",
            orders=orders,
            today=today,
            partner_ids=partner_ids,
            lost_days=settings["lost_days"],
            at_risk_factor=settings["at_risk_factor"],
        )

    @api.model
    def _record_events(self, today, stage_changes, profitability_changes):
        """The refresh's customer events, in one batch: the lifecycle stage changes of customers that
        had a stage, and the profitability class changes."""
        source = self.env._("Customer value refresh")
        stage_changes = [change for change in stage_changes if change[1]]
        default_company = self.env.company.id
        rows = [
            ("lifecycle", company_id or default_company, partner_id, before, after, today, source, None, None)
            for partner_id, before, after, company_id in stage_changes
        ]
        rows += [
            ("profitability", company_id, partner_id, before, after, today, source, None, None)
            for company_id, partner_id, before, after in profitability_changes
        ]
        return self.env["crm.relationship.event"]._record(rows)

    @api.model
    def _cron_refresh(self):
        _logger.info("Recomputing customer value and lifecycle stages")
        self._refresh()
        _logger.info("Recomputing the customers' data cards")
        self.env["crm.customer.datacard"]._refresh()
