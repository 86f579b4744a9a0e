from odoo import api, fields, models

from ..models.crm_portfolio_analysis import check_period_months
from ..models.crm_revenue_source import REVENUE_SOURCES


class CrmPortfolioRun(models.TransientModel):
    """Run a client portfolio analysis now, with the default settings or adjusted ones."""

    _name = "crm.portfolio.run"
    _inherit = ["crm.company.wizard.mixin"]
    _description = "Run a Client Portfolio Analysis"

    date = fields.Date(string="Analysis Date", required=True, default=fields.Date.context_today)
    period_months = fields.Integer(
        string="Period (months)",
        required=True,
        default=lambda self: self.env["crm.portfolio.analysis"].default_get(["period_months"])["period_months"],
    )
    # a list, not a callable: Odoo checks a stored value against a list only
    revenue_source = fields.Selection(
        REVENUE_SOURCES,
        required=True,
        default=lambda self: self.env["crm.portfolio.analysis"].default_get(["revenue_source"])["revenue_source"],
    )

    @api.constrains("period_months")
    def _check_period_months(self):
        label = self._fields["period_months"]._description_string(self.env)
        for run in self:
            check_period_months(self.env, run.period_months, label)

    def action_run(self):
        self.ensure_one()
        analysis = (
            self.env["crm.portfolio.analysis"]
            .with_company(self.company_id)
            .create(
                {
                    "company_id": self.company_id.id,
                    "date": self.date,
                    "period_months": self.period_months,
                    "revenue_source": self.revenue_source,
                }
            )
        )
        analysis._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.portfolio.analysis",
            "res_id": analysis.id,
            "view_mode": "form",
            "target": "current",
        }
