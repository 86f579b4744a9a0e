from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ka_weight_revenue = fields.Integer(
        string="Weight: Revenue Share", config_parameter="crm_key_accounts.weight_revenue", default=30
    )
    ka_weight_margin = fields.Integer(
        string="Weight: Margin", config_parameter="crm_key_accounts.weight_margin", default=20
    )
    ka_weight_growth = fields.Integer(
        string="Weight: Growth", config_parameter="crm_key_accounts.weight_growth", default=15
    )
    ka_weight_tenure = fields.Integer(
        string="Weight: Tenure and Loyalty", config_parameter="crm_key_accounts.weight_tenure", default=15
    )
    ka_weight_potential = fields.Integer(
        string="Weight: Potential", config_parameter="crm_key_accounts.weight_potential", default=10
    )
    ka_weight_threat = fields.Integer(
        string="Weight: Competitor Threat", config_parameter="crm_key_accounts.weight_threat", default=10
    )
    ka_score_threshold = fields.Integer(
        string="Candidate From Score", config_parameter="crm_key_accounts.score_threshold", default=50
    )
    ka_neglect_days = fields.Integer(
        string="Decision Maker Neglected After (days)", config_parameter="crm_key_accounts.neglect_days", default=90
    )
