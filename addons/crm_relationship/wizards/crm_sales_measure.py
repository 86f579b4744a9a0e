from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..models.crm_revenue_source import REVENUE_SOURCES

# Quotations sent (sent, confirmed or cancelled) and confirmed, per salesperson.
_OFFERS = """
SELECT so.user_id,
       COUNT(*) FILTER (WHERE so.state IN ('sent', 'sale', 'cancel')) AS offers,
       COUNT(*) FILTER (WHERE so.state = 'sale') AS accepted
FROM sale_order so
WHERE so.company_id = %(company_id)s AND so.date_order >= %(date_from)s AND so.date_order < %(date_to)s
  AND so.user_id IS NOT NULL
GROUP BY so.user_id
"""


class CrmSalesMeasure(models.TransientModel):
    """Sales-side measures per salesperson for a period: conversion, demand, offers, effectiveness."""

    _name = "crm.sales.measure"
    _inherit = ["crm.company.wizard.mixin"]
    _description = "Sales Measures"

    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - relativedelta(months=3)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today, help="Included.")
    revenue_source = fields.Selection(
        REVENUE_SOURCES, required=True, default=lambda self: self.env["crm.revenue.source"]._default_source()
    )
    line_ids = fields.One2many("crm.sales.measure.line", "measure_id", string="Salespeople")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for measure in self:
            if measure.date_to < measure.date_from:
                raise ValidationError(self.env._("The period's End date must be on or after its Start date."))

    @api.model
    def _get_complaint_counts(self, company, date_from, date_to):
        """Extension point: ``{user_id: number of complaints}`` against each salesperson's customers
        received in ``[date_from, date_to)``; the quality module fills it."""
        return {}

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        figures = self._collect_figures(self.env["crm.revenue.source"]._period_through(self.date_from, self.date_to))
        self.env["crm.sales.measure.line"].create(
            [dict(measure_id=self.id, user_id=user_id, **values) for user_id, values in figures.items()]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sales Measures %(start)s - %(end)s", start=self.date_from, end=self.date_to),
            "res_model": "crm.sales.measure.line",
            "view_mode": "list,graph",
            "domain": [("measure_id", "=", self.id)],
            "target": "current",
        }

    def _collect_figures(self, period):
        """Every measure over ``period`` with a fixed number of queries, whatever the number of salespeople."""
        figures = {}
        date_from, date_to = period.start, period.end

        def line(user_id):
            return figures.setdefault(user_id or False, {})

        Lead = self.env["crm.lead"].with_context(active_test=False)
        lead_domain = [
            ("company_id", "in", [self.company_id.id, False]),
            ("create_date", ">=", date_from),
            ("create_date", "<", date_to),
        ]
        for user, count in Lead._read_group(lead_domain, ["user_id"], ["__count"]):
            line(user.id)["inquiries"] = count
        for user, count in Lead._read_group(lead_domain + [("stage_id.is_won", "=", True)], ["user_id"], ["__count"]):
            line(user.id)["inquiries_converted"] = count
        unmet_domain = lead_domain + [("active", "=", False), ("lost_reason_id.unmet_demand", "=", True)]
        for user, count in Lead._read_group(unmet_domain, ["user_id"], ["__count"]):
            line(user.id)["inquiries_unmet"] = count

        self.env.flush_all()
        self.env.cr.execute(_OFFERS, {"company_id": self.company_id.id, "date_from": date_from, "date_to": date_to})
        for user_id, offers, accepted in self.env.cr.fetchall():
            line(user_id).update(offers=offers, offers_accepted=accepted)
        self.env.cr.execute(self._revenue_and_retention_query(period))
        for user_id, revenue, previous, retained in self.env.cr.fetchall():
            line(user_id).update(revenue=revenue, customers_previous=previous or 0, customers_retained=retained or 0)

        contacts = self.env["crm.contact.log"]._read_group(
            [("company_id", "=", self.company_id.id), ("date", ">=", date_from), ("date", "<", date_to)],
            ["user_id"],
            ["__count"],
        )
        for user, count in contacts:
            line(user.id)["contacts"] = count
        for user_id, count in self._get_complaint_counts(self.company_id, date_from, date_to).items():
            line(user_id)["complaints"] = count

        for values in figures.values():
            inquiries = values.get("inquiries", 0)
            values["inquiry_conversion"] = _percent(values.get("inquiries_converted", 0), inquiries)
            values["demand_satisfaction"] = _percent(inquiries - values.get("inquiries_unmet", 0), inquiries)
            values["offer_acceptance"] = _percent(values.get("offers_accepted", 0), values.get("offers", 0))
            values["retention"] = _percent(values.get("customers_retained", 0), values.get("customers_previous", 0))
        return figures

    def _revenue_and_retention_query(self, period):
        """Per salesperson: the revenue of ``period`` (``crm.revenue.source``, the wizard's source),
        the customers (commercial partners) sold to in the equal period before, and of those, the
        ones that bought again in ``period``."""
        length = (period.end - period.start).days
        Source = self.env["crm.revenue.source"]
        previous = Source._period(period.start - relativedelta(days=length), days=length)
        documents = Source._revenue_documents(
            self.company_id, self.revenue_source, Source._period(previous.start, days=2 * length)
        )
        return SQL(
            """
            WITH documents AS MATERIALIZED (
                SELECT user_id, partner_id, is_sale, amount, ts >= %(date_from)s::timestamp AS current_period
                FROM (%(documents)s) d
                WHERE user_id IS NOT NULL
            ), revenue AS (
                SELECT user_id, SUM(amount) AS revenue FROM documents WHERE current_period GROUP BY user_id
            ), sold AS (
                SELECT DISTINCT user_id, partner_id, current_period FROM documents WHERE is_sale
            ), retention AS (
                SELECT previous.user_id, COUNT(*) AS previous_customers,
                       COUNT(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM sold cur WHERE cur.current_period AND cur.partner_id = previous.partner_id
                       )) AS retained
                FROM sold previous
                WHERE NOT previous.current_period
                GROUP BY previous.user_id
            )
            SELECT COALESCE(r.user_id, t.user_id), COALESCE(r.revenue, 0), t.previous_customers, t.retained
            FROM revenue r
            FULL JOIN retention t ON t.user_id = r.user_id
            """,
            date_from=period.start,
            documents=documents,
        )


def _percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0
