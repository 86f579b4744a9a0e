from odoo import fields, models


class CrmReadinessProjection(models.Model):
    """One year of an assessment's business case: year 0 is the baseline, the next ones the
    projection. Rows are written by the assessment (``_project``) and never edited."""

    _name = "crm.readiness.projection"
    _description = "CRM Business Case Year"
    _order = "assessment_id, year"

    assessment_id = fields.Many2one("crm.readiness.assessment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="assessment_id.currency_id")
    year = fields.Integer(required=True, help="0 is the baseline (the last twelve months), 1 to 3 the projected years.")
    transactions = fields.Float(digits=(16, 1))
    revenue = fields.Monetary()
    margin_rate = fields.Float(string="Margin Rate (%)", digits=(16, 2))
    margin = fields.Monetary()
    cost = fields.Monetary(string="Sales and Marketing Cost")
    contribution = fields.Monetary(help="Margin less the sales and marketing cost.")
    contribution_gain = fields.Monetary(string="Gain over Baseline", help="Contribution less the baseline's.")

    _sql_constraints = [
        ("assessment_year_unique", "unique(assessment_id, year)", "A business case has one row per year."),
    ]
