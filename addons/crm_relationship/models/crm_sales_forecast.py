import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.forecast import (
    DEFAULT_WEIGHT,
    FORECAST_MONTHS,
    absolute_percentage_error,
    mean_absolute_percentage_error,
    monthly_forecasts,
    weight_is_valid,
)
from ..tools.period import Period
from .crm_revenue_source import REVENUE_SOURCES

_logger = logging.getLogger(__name__)

# The actuals of a run are refreshed until this many months after its last month: late credit
# notes and back-dated orders still count, then the run is left as it is.
REFRESH_MONTHS = 3


def check_forecast_weight(env, weight, label):
    """Refuse a forecast weight outside 0 to 1 (NaN included); ``label`` names the field."""
    if not weight_is_valid(weight):
        raise ValidationError(
            env._(
                "%(field)s is the weight of the last three months in the forecast: enter a number from 0 to 1 "
                "(0.6 by default), not %(value)s.",
                field=label,
                value=weight,
            )
        )


class CrmSalesForecast(models.Model):
    """A dated sales forecast run (J. Halstead Flooring): the three months from ``date_from``,
    per customer, product category and salesperson.

    forecast = w x (orders of the last three months) + (1 - w) x (orders of the forecast months
    one year back), month by month (``tools.forecast``); the revenue is the core's
    (``crm.revenue.source``, per product line). The weight and the revenue source are copied onto
    the run when it is created. Once the months have passed, the refresh fills in the actuals and
    the run's error (mean absolute percentage error over the rows with actuals).
    """

    _name = "crm.sales.forecast"
    _description = "Sales Forecast"
    _inherit = ["mail.thread", "crm.process.fields.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the run's state and figures: written by the run and the refresh, never by a user
    _process_fields = (
        "state",
        "date_done",
        "date_actuals",
        "line_count",
        "forecast_total",
        "forecast_compared",
        "actual_total",
        "rows_with_actuals",
        "forecast_error",
    )

    name = fields.Char(compute="_compute_name", store=True, readonly=False, precompute=True, required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Run Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The forecast covers the three months from the first day of the month after the last month begun "
        "before this date (a run on 1 December forecasts December to February, one on 15 December January to "
        "March).",
    )
    date_from = fields.Date(string="Forecast From", compute="_compute_months", store=True)
    date_to = fields.Date(string="Forecast To", compute="_compute_months", store=True, help="Last day included.")
    weight = fields.Float(
        string="Weight of the Last Three Months",
        digits=(16, 2),
        required=True,
        default=lambda self: self._default_weight(),
        help="Forecast = weight x the last three months' orders + (1 - weight) x the forecast months one year "
        "back. Copied from the settings when the run is created.",
    )
    revenue_source = fields.Selection(
        REVENUE_SOURCES,
        required=True,
        default=lambda self: self.env["crm.revenue.source"]._default_source(),
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], required=True, default="draft", tracking=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Run By", default=lambda self: self.env.user, readonly=True, check_company=True
    )
    date_done = fields.Datetime(string="Computed On", readonly=True, copy=False)
    date_actuals = fields.Datetime(string="Actuals Read On", readonly=True, copy=False)
    line_ids = fields.One2many("crm.sales.forecast.line", "forecast_id", string="Forecast Rows", readonly=True)
    line_count = fields.Integer(string="Rows", readonly=True, copy=False)
    forecast_total = fields.Monetary(
        string="Forecast", readonly=True, copy=False, help="The forecast of the three months, every row."
    )
    forecast_compared = fields.Monetary(
        string="Forecast of Months Passed",
        readonly=True,
        copy=False,
        help="The forecast of the months whose actuals have been read.",
    )
    actual_total = fields.Monetary(
        string="Actual", readonly=True, copy=False, help="The orders of the months passed, as last read."
    )
    rows_with_actuals = fields.Integer(
        readonly=True, copy=False, help="Rows of the months passed whose actual is not zero: the error's basis."
    )
    forecast_error = fields.Float(
        string="Forecast Error (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Mean absolute percentage error over the rows with actuals: the mean of |actual - forecast| / actual.",
    )

    @api.model
    def _default_weight(self):
        value = self.env["ir.config_parameter"].sudo().get_param("crm_relationship.forecast_weight", DEFAULT_WEIGHT)
        try:
            weight = float(value)
        except (TypeError, ValueError):
            return DEFAULT_WEIGHT
        return weight if weight_is_valid(weight) else DEFAULT_WEIGHT

    @api.depends("date")
    def _compute_name(self):
        for forecast in self:
            forecast.name = self.env._("Forecast %(date)s", date=forecast.date or "")

    @api.depends("date")
    def _compute_months(self):
        for forecast in self:
            if forecast.date:
                months = forecast._months()
                forecast.date_from, forecast.date_to = months.start, months.last_day
            else:
                forecast.date_from = forecast.date_to = False

    @api.constrains("weight")
    def _check_weight(self):
        label = self._fields["weight"]._description_string(self.env)
        for forecast in self:
            check_forecast_weight(self.env, forecast.weight, label)

    def _process_field_hint(self, name, value):
        return self.env._(
            "compute the forecast (Compute on a draft run), then Refresh Actuals once months have passed."
        )

    # ------------------------------------------------------------------ periods

    def _months(self):
        """The forecast months: three, from the first day of the month that follows the last month
        begun before the run date."""
        first = (self.date - timedelta(days=1)).replace(day=1) + relativedelta(months=1)
        return Period.of(first, months=FORECAST_MONTHS)

    def _recent_period(self):
        """The last three months before the forecast months."""
        return self._months().previous(FORECAST_MONTHS)

    def _year_ago_months(self):
        """The forecast months one year back, month by month."""
        months = self._months()
        return Period.of(months.start - relativedelta(years=1), months=FORECAST_MONTHS).months(FORECAST_MONTHS)

    # ------------------------------------------------------------------ the run

    def action_compute(self):
        # the rows are written in SQL: the caller's right on the run is checked first
        self.check_access("write")
        for forecast in self:
            forecast._run()
        return True

    def _run(self):
        """Write the run's rows: one per forecast month, customer, product category and salesperson
        with orders in the last three months or in the forecast months a year back."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._("%(run)s is done: its rows are kept as they are. Start a new run.", run=self.display_name)
            )
        Source = self.env["crm.revenue.source"]
        recent, year_ago = self._recent_period(), self._year_ago_months()
        year_ago_all = Period(year_ago[0].start, year_ago[-1].end)
        months = [month.start for month in self._months().months(FORECAST_MONTHS)]
        digits, weight, company, source = (
            self.currency_id.decimal_places,
            self.weight,
            self.company_id,
            self.revenue_source,
        )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT partner_id, categ_id, user_id,
                       COALESCE(SUM(amount) FILTER (WHERE ts >= %(recent_start)s::timestamp), 0),
                       %(year_ago)s
                FROM (%(recent)s UNION ALL %(year_ago_lines)s) revenue_lines
                GROUP BY partner_id, categ_id, user_id
                """,
                recent_start=recent.start,
                year_ago=SQL(", ").join(
                    SQL(
                        "COALESCE(SUM(amount) FILTER (WHERE ts >= %s::timestamp AND ts < %s::timestamp), 0)",
                        month.start,
                        month.end,
                    )
                    for month in year_ago
                ),
                recent=Source._revenue_lines(company, source, recent),
                year_ago_lines=Source._revenue_lines(company, source, year_ago_all),
            )
        )
        # nothing reads the database between the query and its fetch
        rows = {name: [] for name in ("date", "partner", "categ", "user", "recent", "year_ago", "forecast")}
        for partner_id, categ_id, user_id, recent_total, *year_ago_amounts in cr.fetchall():
            year_ago_amounts = [float(amount) for amount in year_ago_amounts]
            forecasts = [
                round(forecast, digits) for forecast in monthly_forecasts(float(recent_total), year_ago_amounts, weight)
            ]
            for month, year_ago_amount, forecast in zip(months, year_ago_amounts, forecasts, strict=True):
                if not (recent_total or year_ago_amount):
                    continue
                rows["date"].append(month)
                rows["partner"].append(partner_id)
                rows["categ"].append(categ_id)
                rows["user"].append(user_id)
                rows["recent"].append(round(float(recent_total) / FORECAST_MONTHS, digits))
                rows["year_ago"].append(year_ago_amount)
                rows["forecast"].append(forecast)
        cr.execute(SQL("DELETE FROM crm_sales_forecast_line WHERE forecast_id = %s", self.id))
        self.env["crm.sales.forecast.line"]._insert_rows(self, rows)
        self.env.invalidate_all()
        # the run's own results, after the caller's right on the run was checked
        self.sudo().write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "line_count": len(rows["date"]),
                "forecast_total": sum(rows["forecast"]),
            }
        )
        _logger.info("Sales forecast %s: %s rows", self.display_name, self.line_count)

    # ------------------------------------------------------------------ actuals

    def action_refresh_actuals(self):
        self.check_access("write")
        self._refresh_actuals()
        return True

    def _refresh_actuals(self, today=None):
        """Fill in the actuals of the months passed by ``today`` (orders of the customer, product
        category and salesperson in that month, from the run's revenue source), with each row's
        absolute percentage error and the run's error. A customer, category and salesperson that
        ordered without a forecast gets a row with a zero forecast. A few statements per run,
        whatever its number of rows."""
        today = today or fields.Date.context_today(self)
        Line = self.env["crm.sales.forecast.line"]
        for forecast in self.filtered(lambda run: run.state == "done"):
            passed = [month for month in forecast._months().months(FORECAST_MONTHS) if month.end <= today]
            if not passed:
                continue
            compared = Period(passed[0].start, passed[-1].end)
            self.env.flush_all()
            cr = self.env.cr
            cr.execute(
                SQL(
                    """
                    SELECT date_trunc('month', ts)::date, partner_id, categ_id, user_id, SUM(amount)
                    FROM (%s) revenue_lines
                    GROUP BY 1, 2, 3, 4
                    """,
                    self.env["crm.revenue.source"]._revenue_lines(
                        forecast.company_id, forecast.revenue_source, compared
                    ),
                )
            )
            actuals = {tuple(key): float(amount) for *key, amount in cr.fetchall()}
            cr.execute(
                SQL(
                    """
                    SELECT id, date, partner_id, categ_id, user_id, forecast_amount
                    FROM crm_sales_forecast_line WHERE forecast_id = %s AND date < %s
                    """,
                    forecast.id,
                    compared.end,
                )
            )
            updates = {name: [] for name in ("id", "actual", "error")}
            pairs = []
            for line_id, date, partner_id, categ_id, user_id, forecast_amount in cr.fetchall():
                actual = actuals.pop((date, partner_id, categ_id, user_id), 0.0)
                updates["id"].append(line_id)
                updates["actual"].append(actual)
                updates["error"].append(absolute_percentage_error(forecast_amount, actual))
                pairs.append((forecast_amount, actual))
            Line._update_actuals(updates)
            # orders without a forecast: rows of their own, forecast zero
            rows = {name: [] for name in ("date", "partner", "categ", "user", "recent", "year_ago", "forecast")}
            rows.update(actual=[], error=[])
            for (date, partner_id, categ_id, user_id), actual in actuals.items():
                error = absolute_percentage_error(0.0, actual)
                values = (date, partner_id, categ_id, user_id, 0.0, 0.0, 0.0, actual, error)
                for name, value in zip(rows, values, strict=True):
                    rows[name].append(value)
                pairs.append((0.0, actual))
            Line._insert_rows(forecast, rows)
            error = mean_absolute_percentage_error(pairs)
            self.env.invalidate_all()
            forecast.sudo().write(
                {
                    "date_actuals": fields.Datetime.now(),
                    "line_count": forecast.line_count + len(actuals),
                    "forecast_compared": sum(forecast_amount for forecast_amount, _actual in pairs),
                    "actual_total": sum(actual for _forecast, actual in pairs),
                    "rows_with_actuals": sum(1 for _forecast, actual in pairs if actual),
                    "forecast_error": error or 0.0,
                }
            )

    # ------------------------------------------------------------------ jobs

    @api.model
    def _runs_to_refresh(self, today):
        """The done runs with a month passed, until REFRESH_MONTHS months after their last month."""
        return self.search(
            [
                ("state", "=", "done"),
                ("date_from", "<=", today - relativedelta(months=1)),
                ("date_to", ">=", today - relativedelta(months=REFRESH_MONTHS)),
            ]
        )

    @api.model
    def _cron_refresh_actuals(self, today=None):
        today = today or fields.Date.context_today(self)
        self._runs_to_refresh(today)._refresh_actuals(today)

    @api.model
    def _cron_run_monthly(self, today=None):
        """Each company's forecast of the coming three months, after the actuals of the earlier runs."""
        today = today or fields.Date.context_today(self)
        self._cron_refresh_actuals(today)
        for company in self.env["res.company"].search([]):
            forecast = self.with_company(company).create({"company_id": company.id, "date": today})
            forecast._run()

    # ------------------------------------------------------------------ views

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_relationship.action_crm_sales_forecast_line")
        action.update(name=self.display_name, domain=[("forecast_id", "=", self.id)], context={})
        return action
