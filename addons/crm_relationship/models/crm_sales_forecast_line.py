from odoo import api, fields, models
from odoo.tools import SQL


class CrmSalesForecastLine(models.Model):
    """One month's forecast of one customer, product category and salesperson in a forecast
    run, and, once the month has passed, its actual orders. Written by the run, never edited."""

    _name = "crm.sales.forecast.line"
    _description = "Sales Forecast Row"
    _order = "date, forecast_amount desc, id"
    _rec_name = "partner_id"
    # a run writes tens of thousands of rows at once; who ran it and when is on the run itself
    _log_access = False

    forecast_id = fields.Many2one("crm.sales.forecast", string="Forecast Run", required=True, ondelete="cascade")
    # read from the run, not stored: every stored link is one more foreign-key check per row
    company_id = fields.Many2one(related="forecast_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    run_date = fields.Date(related="forecast_id.date", string="Run Date")
    date = fields.Date(string="Month", required=True, help="The first day of the forecast month.")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    categ_id = fields.Many2one("product.category", string="Product Category")
    user_id = fields.Many2one("res.users", string="Salesperson")
    recent_average = fields.Monetary(
        string="Last 3 Months (monthly)",
        help="The orders of the three months before the forecast, a third of them: their monthly average.",
    )
    year_ago_amount = fields.Monetary(string="Same Month Last Year", help="The orders of this month one year back.")
    forecast_amount = fields.Monetary(
        string="Forecast", help="Weight x the last three months' monthly average + (1 - weight) x the month last year."
    )
    actual_amount = fields.Monetary(string="Actual", help="The orders of the month, once it has passed.")
    has_actual = fields.Boolean(string="Month Passed", help="The actual of the month has been read.")
    variance = fields.Monetary(help="Actual - forecast.")
    error_percent = fields.Float(
        string="Error (%)",
        digits=(16, 1),
        aggregator="avg",
        help="|actual - forecast| / actual; empty without actual. Its average is the mean absolute percentage error.",
    )

    _sql_constraints = [
        (
            "row_once_per_run",
            "UNIQUE NULLS NOT DISTINCT (forecast_id, date, partner_id, categ_id, user_id)",
            "A month, customer, product category and salesperson appear once in a forecast run.",
        ),
    ]

    @api.model
    def _insert_rows(self, forecast, rows):
        """Insert the rows of ``forecast`` given column by column (``date``, ``partner``,
        ``categ``, ``user``, ``recent``, ``year_ago``, ``forecast``, and for rows whose month has
        passed ``actual`` and ``error``) in one statement."""
        if not rows["date"]:
            return
        count = len(rows["date"])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_sales_forecast_line (forecast_id, date, partner_id, categ_id, user_id, recent_average,
                                                     year_ago_amount, forecast_amount, actual_amount, error_percent,
                                                     variance, has_actual)
                SELECT %(forecast_id)s, r.date, r.partner_id, r.categ_id, r.user_id, r.recent, r.year_ago, r.forecast,
                       r.actual, r.error, r.actual - r.forecast, r.actual IS NOT NULL
                FROM unnest(%(dates)s::date[], %(partners)s::int[], %(categs)s::int[], %(users)s::int[],
                            %(recent)s::numeric[], %(year_ago)s::numeric[], %(forecasts)s::numeric[],
                            %(actuals)s::numeric[], %(errors)s::float8[])
                     AS r(date, partner_id, categ_id, user_id, recent, year_ago, forecast, actual, error)
                """,
                forecast_id=forecast.id,
                dates=rows["date"],
                partners=rows["partner"],
                categs=rows["categ"],
                users=rows["user"],
                recent=rows["recent"],
                year_ago=rows["year_ago"],
                forecasts=rows["forecast"],
                actuals=rows.get("actual") or [None] * count,
                errors=rows.get("error") or [None] * count,
            )
        )

    @api.model
    def _update_actuals(self, updates):
        """Write the actuals and errors given column by column (``id``, ``actual``, ``error``) in one statement."""
        if not updates["id"]:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_sales_forecast_line l
                SET actual_amount = u.actual, has_actual = TRUE, variance = u.actual - l.forecast_amount,
                    error_percent = u.error
                FROM unnest(%s::int[], %s::numeric[], %s::float8[]) AS u(id, actual, error)
                WHERE l.id = u.id AND (NOT l.has_actual OR l.actual_amount IS DISTINCT FROM u.actual)
                """,
                updates["id"],
                updates["actual"],
                updates["error"],
            )
        )
