from odoo import fields, models

from ..models.res_partner import RELATIONSHIP_LEVELS


class CrmRelationshipLevelPlace(models.TransientModel):
    """Place customers on the relationship ladder once, with a reason: for the customers a
    database already had when the module arrived. From there they climb one rung at a time."""

    _name = "crm.relationship.level.place"
    _description = "Place Customers on the Relationship Ladder"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    relationship_level = fields.Selection(RELATIONSHIP_LEVELS, required=True, default="encounter")
    reason = fields.Text(required=True, help="Why these customers stand on this rung; logged in their chatter.")

    def action_apply(self):
        self.ensure_one()
        self.partner_ids.commercial_partner_id._place_relationship_level(self.relationship_level, self.reason)
        return {"type": "ir.actions.act_window_close"}
