from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    quality_action_ids = fields.Many2many(
        "crm.quality.action",
        "crm_quality_action_ticket_rel",
        "ticket_id",
        "action_id",
        string="Quality Actions",
        copy=False,
    )
    quality_cost_ids = fields.One2many("crm.quality.cost", "ticket_id", string="Costs of Quality")
    quality_action_count = fields.Integer(compute="_compute_quality_action_count", string="Actions")

    def _compute_quality_action_count(self):
        for ticket in self:
            ticket.quality_action_count = len(ticket.quality_action_ids)

    def action_view_quality_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_quality_feedback.action_crm_quality_action")
        action["domain"] = [("id", "in", self.quality_action_ids.ids)]
        action["context"] = {"default_ticket_ids": [self.id]}
        return action
