from odoo import fields, models


class CrmStrategyAssign(models.TransientModel):
    """Assign one strategy to several customers, through the partner's strategy rules."""

    _name = "crm.strategy.assign"
    _description = "Assign a Relationship Strategy"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    strategy_id = fields.Many2one("crm.relationship.strategy", required=True)
    strategy_code = fields.Selection(related="strategy_id.code")
    reason = fields.Text(help="Why this strategy; kept on the customer and in its chatter.")
    loss_reason_id = fields.Many2one("crm.lost.reason", help="Why the customer left; required for Win back.")

    def action_apply(self):
        self.ensure_one()
        vals = {"relationship_strategy_id": self.strategy_id.id, "relationship_strategy_reason": self.reason}
        if self.loss_reason_id:
            vals["customer_loss_reason_id"] = self.loss_reason_id.id
        self.partner_ids.commercial_partner_id.write(vals)
        return {"type": "ir.actions.act_window_close"}
