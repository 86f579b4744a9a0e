from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    quality_effectiveness_check_days = fields.Integer(
        related="company_id.quality_effectiveness_check_days", readonly=False
    )
    quality_feedback_delay_days = fields.Integer(
        string="Feedback Request After (days)",
        config_parameter="crm_quality_feedback.feedback_delay_days",
        default=7,
        help="Days after an order's confirmation when the salesperson is asked to collect feedback.",
    )
    quality_weight_decision_maker = fields.Float(
        string="Weight: Decision Maker", config_parameter="crm_quality_feedback.weight_decision_maker", default=3.0
    )
    quality_weight_influencer = fields.Float(
        string="Weight: Influencer", config_parameter="crm_quality_feedback.weight_influencer", default=2.0
    )
    quality_weight_buyer = fields.Float(
        string="Weight: Buyer", config_parameter="crm_quality_feedback.weight_buyer", default=2.0
    )
    quality_weight_user = fields.Float(
        string="Weight: User", config_parameter="crm_quality_feedback.weight_user", default=1.0
    )
    quality_weight_other = fields.Float(
        string="Weight: Other", config_parameter="crm_quality_feedback.weight_other", default=1.0
    )
