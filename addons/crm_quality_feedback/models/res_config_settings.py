from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    quality_effectiveness_check_days = fields.Integer(
        related="company_id.quality_effectiveness_check_days", readonly=False
    )
