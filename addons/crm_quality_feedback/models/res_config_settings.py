from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    @api.constrains(
        "quality_feedback_delay_days",
        "quality_weight_decision_maker",
        "quality_weight_influencer",
        "quality_weight_buyer",
        "quality_weight_user",
        "quality_weight_other",
    )
    def _check_quality_settings(self):
        for settings in self:
            if not 0 <= settings.quality_feedback_delay_days <= 365:
                raise ValidationError(self.env._("Feedback Request After is a number of days: enter 0 to 365."))
            for name in (
                "quality_weight_decision_maker",
                "quality_weight_influencer",
                "quality_weight_buyer",
                "quality_weight_user",
                "quality_weight_other",
            ):
                weight = settings[name]
                if not 0 <= weight <= 100:  # NaN fails both comparisons
                    raise ValidationError(
                        self.env._(
                            "%(field)s weighs a respondent's satisfaction: enter a weight from 0 to 100.",
                            field=settings._fields[name]._description_string(self.env),
                        )
                    )
