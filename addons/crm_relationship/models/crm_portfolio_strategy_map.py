from odoo import fields, models

from .crm_portfolio_line import BCG_QUADRANTS


class CrmPortfolioStrategyMap(models.Model):
    """Which relationship strategy the portfolio analysis suggests for each BCG quadrant."""

    _name = "crm.portfolio.strategy.map"
    _description = "Quadrant to Strategy"
    _order = "sequence, id"
    _rec_name = "quadrant"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    quadrant = fields.Selection(BCG_QUADRANTS, required=True)
    strategy_id = fields.Many2one("crm.relationship.strategy", string="Suggested Strategy", required=True)
    loss_inactive_strategy_id = fields.Many2one(
        "crm.relationship.strategy",
        string="When Loss-making and Inactive",
        help="Suggested instead when the customer is loss-making and at risk or lost (End, for dogs).",
    )

    _sql_constraints = [
        ("quadrant_unique", "unique(quadrant)", "Each BCG quadrant can be mapped to one strategy only."),
    ]
