from datetime import date

from odoo import api, fields, models


class CrmTurnoverTarget(models.Model):
    """The customer turnover a company (or one of its sales teams) accepts in a year: the share of
    last year's active customers it may lose. The actual turnover and the variance are read from
    the retention report (``crm.retention.report``), as the customer mix is against its target."""

    _name = "crm.turnover.target"
    _inherit = ["crm.yearly.target.mixin"]
    _description = "Customer Turnover Target"
    _order = "year desc, team_id, id"
    _rec_name = "year"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        help="Leave empty for the company's target; a team's target replaces it for the team's customers.",
    )
    target_turnover = fields.Float(
        string="Target Turnover (%)",
        digits=(16, 1),
        required=True,
        help="The share of last year's active customers that may be lost this year (100 - target retention).",
    )
    customers_previous = fields.Integer(compute="_compute_actual", string="Active Last Year")
    customers_lost = fields.Integer(compute="_compute_actual", string="Lost")
    actual_turnover = fields.Float(compute="_compute_actual", string="Turnover (%)", digits=(16, 1))
    actual_retention = fields.Float(compute="_compute_actual", string="Retention (%)", digits=(16, 1))
    turnover_variance = fields.Float(
        compute="_compute_actual",
        string="Variance",
        digits=(16, 1),
        help="Target - actual turnover: below zero, more customers were lost than the target accepts.",
    )

    _sql_constraints = [
        (
            "company_team_year_unique",
            "unique NULLS NOT DISTINCT (company_id, team_id, year)",
            "There is already a turnover target for this year (and sales team).",
        ),
        (
            "target_percentage",
            "CHECK(target_turnover >= 0 AND target_turnover <= 100)",
            "The Target Turnover is a percentage between 0 and 100.",
        ),
    ]

    @api.depends("company_id", "team_id", "year", "target_turnover")
    def _compute_actual(self):
        """One read of the retention report for all the targets: per company, team and year,
        over the targets' years only (and the year before each, which their retention needs)."""
        years = [target.year for target in self if target.year]
        groups = []
        if years:
            # the report reads the history from the year before the first target's on
            report = self.env["crm.retention.report"].with_context(crm_retention_since=date(min(years) - 1, 1, 1))
            groups = report._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("customers_previous", "=", 1),
                    ("date", ">=", date(min(years), 1, 1)),
                    ("date", "<=", date(max(years), 12, 31)),
                ],
                ["company_id", "team_id", "date:year"],
                ["customers_previous:sum", "customers_lost:sum"],
            )
        totals = {}
        for company, team, year, previous, lost in groups:
            keys = [(company.id, False, year.year)] + ([(company.id, team.id, year.year)] if team else [])
            for key in keys:
                counted = totals.setdefault(key, [0, 0])
                counted[0] += previous
                counted[1] += lost
        for target in self:
            previous, lost = totals.get((target.company_id.id, target.team_id.id, target.year), (0, 0))
            target.customers_previous = previous
            target.customers_lost = lost
            target.actual_turnover = round(100.0 * lost / previous, 1) if previous else 0.0
            target.actual_retention = round(100.0 - target.actual_turnover, 1) if previous else 0.0
            target.turnover_variance = round(target.target_turnover - target.actual_turnover, 1) if previous else 0.0
