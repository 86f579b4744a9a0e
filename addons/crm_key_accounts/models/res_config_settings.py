from odoo import api, fields, models
from odoo.exceptions import ValidationError

# A candidate's score is a weighted average of factor scores of 0 to 100.
MAX_SCORE = 100
WEIGHTS = (
    "ka_weight_revenue",
    "ka_weight_margin",
    "ka_weight_growth",
    "ka_weight_tenure",
    "ka_weight_potential",
    "ka_weight_threat",
)


def check_score_threshold(env, value, label):
    """Refuse a candidate threshold outside the scores' scale; ``label`` names the field."""
    if not 0 <= value <= MAX_SCORE:
        raise ValidationError(
            env._(
                "%(field)s is a score: enter a value between 0 and %(max)s (50 by default).",
                field=label,
                max=MAX_SCORE,
            )
        )


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

    @api.constrains(*WEIGHTS, "ka_score_threshold", "ka_neglect_days")
    def _check_key_account_settings(self):
        for settings in self:
            for name in WEIGHTS:
                if settings[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be negative: a weight of 0 leaves the criterion out, a larger weight "
                            "counts it more.",
                            field=self._fields[name]._description_string(self.env),
                        )
                    )
            check_score_threshold(
                self.env, settings.ka_score_threshold, self._fields["ka_score_threshold"]._description_string(self.env)
            )
            if settings.ka_neglect_days < 1:
                raise ValidationError(
                    self.env._(
                        "%(field)s must be at least 1 day (90 by default).",
                        field=self._fields["ka_neglect_days"]._description_string(self.env),
                    )
                )
