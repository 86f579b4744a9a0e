import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.period import Period
from .crm_customer_mix_target import MIX_BASES
from .crm_portfolio_line import ABC_XYZ_APPROACH
from .crm_revenue_source import REVENUE_SOURCES

_logger = logging.getLogger(__name__)

# The most bubbles the matrix screen draws: past it, the largest customers by revenue (a chart of
# 20,000 bubbles opens in seconds and cannot be read; the counts beside it still count everyone).
MATRIX_MAX_BUBBLES = 2000

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


# The most a threshold of the matrix can sensibly be: a customer 1000 times the median one, a
# growth of 1000 %, a month-to-month variation of 1000 % (120 months vary by 1091 % at most).
MAX_SHARE_THRESHOLD = 1000.0
MAX_GROWTH_THRESHOLD = 1000.0
MAX_VARIATION_THRESHOLD = 1000.0


# The thresholds of a run, by the names ``check_thresholds`` knows them by.
THRESHOLD_FIELDS = {
    "share": "share_threshold",
    "growth": "growth_threshold",
    "abc_a": "abc_a_threshold",
    "abc_b": "abc_b_threshold",
    "xyz_x": "xyz_x_threshold",
    "xyz_y": "xyz_y_threshold",
}


def check_thresholds(env, thresholds):
    """Refuse thresholds of a portfolio analysis outside their bounds (NaN included).

    ``thresholds`` maps ``share``, ``growth``, ``abc_a``, ``abc_b``, ``xyz_x`` and ``xyz_y`` to
    ``(value, label of the field)``: a run and the settings that a run copies use one rule."""
    value = {key: number for key, (number, _label) in thresholds.items()}
    label = {key: text for key, (_number, text) in thresholds.items()}
    if not 0 < value["share"] <= MAX_SHARE_THRESHOLD:
        raise ValidationError(
            env._(
                "%(field)s must be greater than 0 and at most %(max)s (0.5 against the largest customer, "
                "1.0 against the median customer).",
                field=label["share"],
                max=MAX_SHARE_THRESHOLD,
            )
        )
    if not -100 <= value["growth"] <= MAX_GROWTH_THRESHOLD:
        raise ValidationError(
            env._(
                "%(field)s is a growth in percent: enter a value between -100 and %(max)s (10 by default).",
                field=label["growth"],
                max=MAX_GROWTH_THRESHOLD,
            )
        )
    if not 0 < value["abc_a"] < value["abc_b"] <= 100:
        raise ValidationError(
            env._(
                "ABC thresholds must satisfy 0 < %(a)s < %(b)s <= 100 (80 and 95 by default).",
                a=label["abc_a"],
                b=label["abc_b"],
            )
        )
    if not 0 <= value["xyz_x"] < value["xyz_y"] <= MAX_VARIATION_THRESHOLD:
        raise ValidationError(
            env._(
                "XYZ thresholds must satisfy 0 <= %(x)s < %(y)s <= %(max)s (10 and 25 by default).",
                x=label["xyz_x"],
                y=label["xyz_y"],
                max=MAX_VARIATION_THRESHOLD,
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
    _inherit = ["mail.thread", "crm.process.fields.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the run's results: written by the run (``_run``), never by a user
    _process_fields = (
        "line_count",
        "revenue_total",
        "mix_new_actual",
        "mix_repeat_actual",
        "mix_switcher_actual",
        "mix_last_time_actual",
    )

    name = fields.Char(compute="_compute_name", store=True, readonly=False, precompute=True, required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Analysis Date", required=True, default=fields.Date.context_today, tracking=True)
    period_months = fields.Integer(
        string="Period (months)", required=True, default=lambda self: int(_param(self.env, "period_months", 12))
    )
    revenue_source = fields.Selection(
        REVENUE_SOURCES,
        required=True,
        default=lambda self: self.env["crm.revenue.source"]._default_source(),
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
    mix_basis = fields.Selection(
        MIX_BASES,
        string="Mix On",
        required=True,
        default=lambda self: _param(self.env, "mix_basis", "revenue"),
        help="What the customer mix shares out between new, repeat, switching and last-time customers: their "
        "revenue, their number of purchases or their gross margin. The run compares it with the year's targets "
        "set on the same basis.",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], required=True, default="draft", tracking=True)
    date_from = fields.Date(string="Period Start", compute="_compute_period", store=True)
    date_done = fields.Datetime(string="Computed On", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="Run By", default=lambda self: self.env.user, readonly=True, check_company=True
    )
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
            analysis.date_from = analysis._period().start if analysis.date and analysis.period_months else False

    @api.depends("date", "company_id", "mix_basis")
    def _compute_mix_target(self):
        targets = self.env["crm.customer.mix.target"].search(
            [("company_id", "in", self.company_id.ids), ("year", "in", list({a.date.year for a in self if a.date}))]
        )
        for analysis in self:
            analysis.mix_target_id = targets.filtered(
                lambda t, a=analysis: (
                    t.company_id == a.company_id and a.date and t.year == a.date.year and t.basis == a.mix_basis
                )
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

    @api.constrains(*THRESHOLD_FIELDS.values())
    def _check_thresholds(self):
        labels = {key: self._fields[name]._description_string(self.env) for key, name in THRESHOLD_FIELDS.items()}
        for analysis in self:
            check_thresholds(self.env, {key: (analysis[name], labels[key]) for key, name in THRESHOLD_FIELDS.items()})

    @api.constrains("period_months")
    def _check_period_months(self):
        label = self._fields["period_months"]._description_string(self.env)
        for analysis in self:
            check_period_months(self.env, analysis.period_months, label)

    def _process_field_hint(self, name, value):
        return self.env._("run the analysis (Compute on a draft run, or Run a Portfolio Analysis).")

    def _period(self):
        """The analysed period: the ``period_months`` months up to the analysis date included."""
        return Period.ending_on(self.date, self.period_months)

    def action_compute(self):
        # the lines are written in SQL: the caller's right on the run is checked first
        self.check_access("write")
        for analysis in self:
            analysis._run()
        return True

    def _run(self):
        """Compute the run's lines (``crm.portfolio.engine``), then its totals and customer mix."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._("%(run)s is done: its lines are kept as they are. Start a new run.", run=self.display_name)
            )
        # the run it follows: the company's last one on the same revenue source (a run on invoices
        # and one on orders classify different figures: their differences are no customer's move)
        previous_run = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("revenue_source", "=", self.revenue_source),
                ("state", "=", "done"),
                ("date", "<=", self.date),
                ("id", "!=", self.id),
            ],
            order="date desc, id desc",
            limit=1,
        )
        self.env.flush_all()
        count, total, mix = self.env["crm.portfolio.engine"]._run(self, previous_run)
        mix_total = sum(mix.values())

        def share(code):
            return round(100.0 * float(mix[code]) / float(mix_total), 1) if mix_total else 0.0

        self.env.invalidate_all()
        # the run's own results, after the caller's right on the run was checked
        self.sudo().write(
            {
                "line_count": count,
                "revenue_total": total,
                "mix_new_actual": share("new"),
                "mix_repeat_actual": share("repeat"),
                "mix_switcher_actual": share("switcher"),
                "mix_last_time_actual": share("last_time"),
                "state": "done",
                "date_done": fields.Datetime.now(),
            }
        )
        self._record_events()
        self.env["crm.portfolio.engine"]._refresh_line_statistics()

    def _record_events(self):
        """The customer events of the run against the run it follows: each customer classified in
        both whose BCG quadrant or ABC class changed, as the run's lines say (none for a first run)."""
        self.ensure_one()
        # read before the query: a field read from the database would replace its result
        company_id, day, source = self.company_id.id, self.date, self.name
        self.env.cr.execute(self._changes_query())
        rows = [
            (event_type, company_id, partner_id, before, after, day, source, self.id, None)
            for partner_id, quadrant_before, quadrant, abc_before, abc in self.env.cr.fetchall()
            for event_type, before, after in (("quadrant", quadrant_before, quadrant), ("abc_class", abc_before, abc))
            if before and after and before != after
        ]
        return self.env["crm.relationship.event"]._record(rows)

    def _changes_query(self):
        """(customer, quadrant before, quadrant, ABC class before, ABC class) of the run's customers
        that moved, read from the run's own lines: the run wrote each customer's classes in the run
        before beside his own (``crm.portfolio.engine``)."""
        return SQL(
            """
            SELECT partner_id, previous_bcg_quadrant, bcg_quadrant, previous_abc_class, abc_class
            FROM crm_portfolio_line
            WHERE analysis_id = %s AND (quadrant_changed OR abc_class_changed)
            ORDER BY partner_id
            """,
            self.id,
        )

    def action_reset_to_draft(self):
        self.write({"state": "draft"})

    @api.model
    def _cron_run_monthly(self):
        for company in self.env["res.company"].search([]):
            analysis = self.with_company(company).create({"company_id": company.id})
            analysis._run()
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

    def get_matrix_data(self, user_ids=None, team_ids=None, tag_ids=None, movers_only=False):
        """Bubble-chart points, thresholds, quadrant counts and the ABC x XYZ table for the matrix screen.

        Read through the ORM with the caller's rights: record rules decide what is seen. Past
        ``MATRIX_MAX_BUBBLES`` customers the chart shows the largest ones by revenue
        (``total_points`` says how many there are); the quadrant counts and the ABC x XYZ table
        always count every customer, in two grouped reads.

        The movers: a customer classified in the run before in another quadrant carries that
        quadrant (``previous_quadrant``); each quadrant counts the customers that moved into it
        (``moved_in``) and out of it (``moved_out``). ``movers_only`` keeps the movers alone.
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
        if movers_only:
            domain.append(("quadrant_changed", "=", True))
        Line = self.env["crm.portfolio.line"]
        quadrant_labels = dict(Line._fields["bcg_quadrant"]._description_selection(self.env))
        lines = Line.search_fetch(
            domain,
            [
                "partner_id",
                "relative_value",
                "growth",
                "is_new",
                "revenue",
                "bcg_quadrant",
                "previous_bcg_quadrant",
                "quadrant_changed",
                "abc_class",
                "xyz_stability",
            ],
            order="revenue desc, id",
            limit=MATRIX_MAX_BUBBLES,
        )
        names = dict(lines.partner_id.mapped(lambda partner: (partner.id, partner.display_name)))
        points = [
            {
                "line_id": line.id,
                "partner_id": line.partner_id.id,
                "name": names[line.partner_id.id],
                "x": line.relative_value,
                "y": line.growth,
                "is_new": line.is_new,
                "revenue": line.revenue,
                "quadrant": line.bcg_quadrant,
                "quadrant_label": quadrant_labels.get(line.bcg_quadrant, ""),
                "previous_quadrant": line.quadrant_changed and line.previous_bcg_quadrant,
                "previous_quadrant_label": quadrant_labels.get(line.previous_bcg_quadrant, "")
                if line.quadrant_changed
                else "",
                "abc": line.abc_class,
                "xyz": line.xyz_stability,
            }
            for line in lines
        ]
        # one grouped read by (quadrant, quadrant in the run before): a customer classified in both
        # runs in two quadrants moved out of the one and into the other
        quadrants = defaultdict(lambda: {"count": 0, "revenue": 0.0, "moved_in": 0, "moved_out": 0})
        for quadrant, previous, count, revenue in Line._read_group(
            domain, ["bcg_quadrant", "previous_bcg_quadrant"], ["__count", "revenue:sum"]
        ):
            quadrants[quadrant]["count"] += count
            quadrants[quadrant]["revenue"] += revenue
            if previous and previous != quadrant:
                quadrants[quadrant]["moved_in"] += count
                quadrants[previous]["moved_out"] += count
        cells = {
            (abc, xyz): (count, revenue)
            for abc, xyz, count, revenue in Line._read_group(
                domain + [("abc_class", "!=", False), ("xyz_stability", "!=", False)],
                ["abc_class", "xyz_stability"],
                ["__count", "revenue:sum"],
            )
        }
        # translated here, in the method's own frame: the language is found on ``self``
        approaches = {}
        for key, approach in ABC_XYZ_APPROACH.items():
            approaches[key] = str(approach)
        matrix = [
            {
                "abc": abc,
                "cells": [
                    {
                        "xyz": xyz,
                        "count": cells.get((abc, xyz), (0, 0.0))[0],
                        "revenue": cells.get((abc, xyz), (0, 0.0))[1],
                        "approach": approaches[(abc, xyz)],
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
            "total_points": sum(figures["count"] for figures in quadrants.values()),
            "movers": sum(figures["moved_in"] for figures in quadrants.values()),
            "movers_only": bool(movers_only),
            "quadrants": [
                {"quadrant": quadrant, "label": quadrant_labels[quadrant], **quadrants[quadrant]}
                for quadrant in ("star", "cash_cow", "question_mark", "dog")
            ],
            "matrix": matrix,
        }
