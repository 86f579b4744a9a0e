from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    quality_effectiveness_check_days = fields.Integer(
        string="Effectiveness Check After (days)",
        default=30,
        help="Days after a corrective or preventive action is done before its effectiveness is checked.",
    )

    _sql_constraints = [
        (
            "quality_effectiveness_check_days_positive",
            "CHECK(quality_effectiveness_check_days >= 0)",
            "The effectiveness check delay cannot be negative.",
        ),
    ]
