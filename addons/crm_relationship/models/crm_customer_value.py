import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

PROFITABILITY = [
    ("profitable", "Profitable"),
    ("below_target", "Below target"),
    ("loss_making", "Loss-making"),
]

# Commercial partner of a sale order's customer; orders placed by a contact count on its company.
_ORDER_SCOPE = """
    FROM sale_order so
    JOIN res_partner rp ON rp.id = so.partner_id
    WHERE so.state = 'sale' AND so.company_id = %(company_id)s
      AND (%(partner_ids)s::int[] IS NULL OR rp.commercial_partner_id = ANY(%(partner_ids)s::int[]))
"""

_REFRESH_QUERY = f"""
WITH orders AS (
    SELECT rp.commercial_partner_id AS partner_id,
           SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS revenue,
           SUM(COALESCE(so.margin, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS margin,
           COUNT(*) AS order_count
    {_ORDER_SCOPE}
      AND so.date_order >= %(date_from)s AND so.date_order < %(date_to)s
    GROUP BY rp.commercial_partner_id
), last_orders AS (
    SELECT rp.commercial_partner_id AS partner_id, MAX(so.date_order)::date AS last_order_date
    {_ORDER_SCOPE}
      AND so.date_order < %(date_to)s
    GROUP BY rp.commercial_partner_id
), refunds AS (
    -- credit notes of order invoices (lines linked to order lines); balance is in company
    -- currency and positive on a credit note's product lines
    SELECT rp.commercial_partner_id AS partner_id, SUM(aml.balance) AS amount
    FROM account_move_line aml
    JOIN account_move am ON am.id = aml.move_id
    JOIN res_partner rp ON rp.id = am.partner_id
    WHERE am.move_type = 'out_refund' AND am.state = 'posted' AND am.company_id = %(company_id)s
      AND aml.display_type = 'product'
      AND am.invoice_date >= %(date_from)s AND am.invoice_date < %(date_to)s
      AND EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel WHERE rel.invoice_line_id = aml.id)
      AND (%(partner_ids)s::int[] IS NULL OR rp.commercial_partner_id = ANY(%(partner_ids)s::int[]))
    GROUP BY rp.commercial_partner_id
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
    SELECT partner_id FROM orders UNION SELECT partner_id FROM last_orders
    UNION SELECT partner_id FROM refunds UNION SELECT partner_id FROM ledger UNION SELECT partner_id FROM extra
), figures AS (
    SELECT c.partner_id,
           COALESCE(o.revenue, 0) - COALESCE(r.amount, 0) AS revenue,
           COALESCE(o.margin, 0) - COALESCE(r.amount, 0) AS margin,
           COALESCE(o.order_count, 0) AS order_count,
           l.last_order_date,
           COALESCE(g.amount, 0) + COALESCE(x.amount, 0) AS cost_to_serve
    FROM customers c
    LEFT JOIN orders o ON o.partner_id = c.partner_id
    LEFT JOIN refunds r ON r.partner_id = c.partner_id
    LEFT JOIN last_orders l ON l.partner_id = c.partner_id
    LEFT JOIN ledger g ON g.partner_id = c.partner_id
    LEFT JOIN extra x ON x.partner_id = c.partner_id
), upserted AS (
    INSERT INTO crm_customer_value (
        company_id, partner_id, date_from, date_to, revenue, margin, order_count,
        average_order_value, last_order_date, cost_to_serve, net_profit, profitability,
        create_uid, write_uid, create_date, write_date)
    SELECT %(company_id)s, f.partner_id, %(date_from)s, %(date_to_incl)s, f.revenue, f.margin, f.order_count,
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
    RETURNING partner_id
)
DELETE FROM crm_customer_value v
WHERE v.company_id = %(company_id)s
  AND (%(partner_ids)s::int[] IS NULL OR v.partner_id = ANY(%(partner_ids)s::int[]))
  AND v.partner_id NOT IN (SELECT partner_id FROM upserted)
"""

# Lifecycle over the confirmed orders of all companies: it describes the relationship, not a ledger.
_LIFECYCLE_QUERY = """
WITH dated AS (
    SELECT rp.commercial_partner_id AS partner_id, so.date_order::date AS day,
           LAG(so.date_order::date) OVER w AS previous_day,
           ROW_NUMBER() OVER (PARTITION BY rp.commercial_partner_id ORDER BY so.date_order DESC, so.id DESC) AS rn
    FROM sale_order so
    JOIN res_partner rp ON rp.id = so.partner_id
    WHERE so.state = 'sale' AND so.date_order::date <= %(today)s
      AND (%(partner_ids)s::int[] IS NULL OR rp.commercial_partner_id = ANY(%(partner_ids)s::int[]))
    WINDOW w AS (PARTITION BY rp.commercial_partner_id ORDER BY so.date_order, so.id)
), stats AS (
    SELECT partner_id, COUNT(*) AS orders, MIN(day) AS first_day, MAX(day) AS last_day,
           MAX(CASE WHEN rn = 1 THEN day - previous_day END) AS last_gap
    FROM dated GROUP BY partner_id
), stages AS (
    SELECT p.id AS partner_id,
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
"""


class CrmCustomerValue(models.Model):
    """Current value of a customer for one company over the value period.

    One row per (company, commercial partner), rewritten in bulk by the
    scheduler with a single SQL statement: nothing here is a stored compute on
    ``res.partner``. History lives in the portfolio analysis runs.
    """

    _name = "crm.customer.value"
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
        readonly=True, help="Confirmed orders of the period less the posted credit notes of their invoices."
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    average_order_value = fields.Monetary(readonly=True, aggregator="avg")
    last_order_date = fields.Date(readonly=True)
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
    def _get_customer_measures(self, measure, requests):
        """Extension point for customer measures other modules know (``satisfaction``, ``complaints``).

        ``requests`` is a list of ``(key, company_id, partner_id, date_from, date_to)`` for
        commercial partners and half-open date ranges. Return ``{key: value}`` for the keys the
        module can answer, with a bounded number of queries; unknown measures return ``{}``.
        """
        return {}

    # ------------------------------------------------------------------ computation

    @api.model
    def _refresh(self, companies=None, partner_ids=None, today=None):
        """Recompute value lines and lifecycle stages in bulk.

        ``partner_ids`` (commercial partners) limits the work to those customers,
        used by the partner form's refresh button; the scheduler passes None.
        """
        settings = self._get_settings()
        today = today or fields.Date.context_today(self)
        date_to = today + relativedelta(days=1)
        date_from = date_to - relativedelta(months=settings["period_months"])
        partner_ids = list(partner_ids) if partner_ids is not None else None
        self.env.flush_all()
        for company in companies or self.env["res.company"].search([]):
            extra = self._get_extra_costs(company, date_from, date_to, partner_ids)
            self.env.cr.execute(
                _REFRESH_QUERY,
                {
                    "company_id": company.id,
                    "partner_ids": partner_ids,
                    "date_from": date_from,
                    "date_to": date_to,
                    "date_to_incl": today,
                    "target_net_margin": settings["target_net_margin"],
                    "extra_partner_ids": list(extra),
                    "extra_amounts": list(extra.values()),
                    "uid": self.env.uid,
                },
            )
        self.env.cr.execute(
            _LIFECYCLE_QUERY,
            {
                "today": today,
                "partner_ids": partner_ids,
                "lost_days": settings["lost_days"],
                "at_risk_factor": settings["at_risk_factor"],
            },
        )
        self.env.invalidate_all()

    @api.model
    def _cron_refresh(self):
        _logger.info("Recomputing customer value and lifecycle stages")
        self._refresh()

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
