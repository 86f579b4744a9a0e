from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.forecast import DEFAULT_WEIGHT
from .crm_customer_mix_target import MIX_BASES
from .crm_portfolio_analysis import check_period_months, check_thresholds
from .crm_revenue_source import REVENUE_SOURCES
from .crm_sales_forecast import check_forecast_weight

# A customer overdue by a hundred times its usual interval is long lost, not at risk.
MAX_AT_RISK_FACTOR = 100.0


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_value_period_months = fields.Integer(
        string="Customer Value Period (months)",
        config_parameter="crm_relationship.value_period_months",
        default=12,
    )
    crm_target_net_margin = fields.Float(
        string="Target Net Margin (%)",
        config_parameter="crm_relationship.target_net_margin",
        default=10.0,
        help="A customer whose net profit is below this share of its revenue is 'below target'.",
    )
    crm_at_risk_factor = fields.Float(
        string="At-Risk Interval Factor",
        config_parameter="crm_relationship.at_risk_factor",
        default=1.5,
        help="A repeat customer is at risk when it has not ordered for longer than this many times its "
        "average interval between orders.",
    )
    crm_lost_days = fields.Integer(
        string="Lost After (days)",
        config_parameter="crm_relationship.lost_days",
        default=365,
    )
    crm_end_blocks_quotations = fields.Boolean(
        string="End Strategy Blocks Quotations",
        config_parameter="crm_relationship.end_blocks_quotations",
        default=True,
    )

    crm_portfolio_period_months = fields.Integer(
        string="Portfolio Period (months)", config_parameter="crm_relationship.portfolio_period_months", default=12
    )
    # the parameter's key predates the setting's use beyond the portfolio: kept, so that a database
    # keeps its choice through the upgrade
    crm_revenue_source = fields.Selection(
        REVENUE_SOURCES,
        string="Revenue Source",
        config_parameter="crm_relationship.portfolio_revenue_source",
        default="orders",
    )
    crm_portfolio_bcg_reference = fields.Selection(
        [("largest", "Largest customer"), ("median", "Median customer")],
        string="Relative Value Against",
        config_parameter="crm_relationship.portfolio_bcg_reference",
        default="largest",
    )
    crm_portfolio_share_threshold = fields.Float(
        string="High Relative Value From",
        config_parameter="crm_relationship.portfolio_share_threshold",
        default=0.5,
        help="0.5 against the largest customer; use 1.0 against the median customer.",
    )
    crm_portfolio_growth_threshold = fields.Float(
        string="High Growth From (%)", config_parameter="crm_relationship.portfolio_growth_threshold", default=10.0
    )
    crm_portfolio_abc_basis = fields.Selection(
        [("revenue", "Revenue"), ("margin", "Gross margin")],
        string="ABC On",
        config_parameter="crm_relationship.portfolio_abc_basis",
        default="revenue",
    )
    crm_portfolio_abc_a = fields.Float(
        string="A Up To (%)", config_parameter="crm_relationship.portfolio_abc_a", default=80.0
    )
    crm_portfolio_abc_b = fields.Float(
        string="B Up To (%)", config_parameter="crm_relationship.portfolio_abc_b", default=95.0
    )
    crm_portfolio_xyz_x = fields.Float(
        string="X Up To (% variation)", config_parameter="crm_relationship.portfolio_xyz_x", default=10.0
    )
    crm_portfolio_xyz_y = fields.Float(
        string="Y Up To (% variation)", config_parameter="crm_relationship.portfolio_xyz_y", default=25.0
    )
    crm_portfolio_mix_basis = fields.Selection(
        MIX_BASES,
        string="Customer Mix On",
        config_parameter="crm_relationship.portfolio_mix_basis",
        default="revenue",
    )
    crm_forecast_weight = fields.Float(
        string="Forecast Weight",
        config_parameter="crm_relationship.forecast_weight",
        default=DEFAULT_WEIGHT,
        digits=(16, 2),
        help="Weight of the last three months' orders in the sales forecast, from 0 to 1; the forecast months "
        "one year back weigh the rest.",
    )

    @api.constrains("crm_forecast_weight")
    def _check_forecast_weight(self):
        label = self._fields["crm_forecast_weight"]._description_string(self.env)
        for settings in self:
            check_forecast_weight(self.env, settings.crm_forecast_weight, label)

    @api.constrains("crm_portfolio_period_months")
    def _check_portfolio_period(self):
        label = self._fields["crm_portfolio_period_months"]._description_string(self.env)
        for settings in self:
            check_period_months(self.env, settings.crm_portfolio_period_months, label)

    @api.constrains(
        "crm_portfolio_share_threshold",
        "crm_portfolio_growth_threshold",
        "crm_portfolio_abc_a",
        "crm_portfolio_abc_b",
        "crm_portfolio_xyz_x",
        "crm_portfolio_xyz_y",
    )
    def _check_portfolio_thresholds(self):
        names = {
            "share": "crm_portfolio_share_threshold",
            "growth": "crm_portfolio_growth_threshold",
            "abc_a": "crm_portfolio_abc_a",
            "abc_b": "crm_portfolio_abc_b",
            "xyz_x": "crm_portfolio_xyz_x",
            "xyz_y": "crm_portfolio_xyz_y",
        }
        labels = {key: self._fields[name]._description_string(self.env) for key, name in names.items()}
        for settings in self:
            check_thresholds(self.env, {key: (settings[name], labels[key]) for key, name in names.items()})

    @api.constrains("crm_value_period_months", "crm_lost_days", "crm_at_risk_factor", "crm_target_net_margin")
    def _check_relationship_settings(self):
        for settings in self:
            if settings.crm_value_period_months < 1:
                raise ValidationError(self.env._("Customer Value Period must be at least 1 month."))
            if settings.crm_lost_days < 1:
                raise ValidationError(self.env._("Lost After must be at least 1 day."))
            if not 0 < settings.crm_at_risk_factor <= MAX_AT_RISK_FACTOR:
                raise ValidationError(
                    self.env._(
                        "At-Risk Interval Factor must be greater than 0 and at most %(max)s (1.5 by default).",
                        max=MAX_AT_RISK_FACTOR,
                    )
                )
            if not -100 <= settings.crm_target_net_margin <= 100:
                raise ValidationError(
                    self.env._("Target Net Margin is a percentage: enter a value between -100 and 100.")
                )

    crm_datacard_visit_days = fields.Integer(
        string="Visit Notes Within (days)",
        config_parameter="crm_relationship.datacard_visit_days",
        default=90,
        help="The data card holds the notes of the last visit when the customer's last personal meeting is at most "
        "this many days old and has notes.",
    )
    crm_datacard_target = fields.Float(
        string="Data Card Target (%)",
        config_parameter="crm_relationship.datacard_target",
        default=80.0,
        help="A salesperson whose customers' data cards are less complete than this on average gets a monthly "
        "review with the sales manager.",
    )

    @api.constrains("crm_datacard_visit_days", "crm_datacard_target")
    def _check_datacard_settings(self):
        for settings in self:
            if settings.crm_datacard_visit_days < 1:
                raise ValidationError(
                    self.env._("Visit Notes Within must be at least 1 day (90 by default): enter a number of days.")
                )
            if not 0 <= settings.crm_datacard_target <= 100:
                raise ValidationError(
                    self.env._("Data Card Target is a percentage: enter a value between 0 and 100 (80 by default).")
                )
