from odoo import fields, models


class CrmComplaintTrace(models.Model):
    """One step of tracing a complaint upstream to where it was caused."""

    _name = "crm.complaint.trace"
    _description = "Complaint Root-Cause Trace"
    _inherit = ["crm.company.child.mixin"]
    _order = "ticket_id, sequence, id"
    _company_parent = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    department_id = fields.Many2one("crm.quality.department", required=True)
    activity = fields.Char(required=True, help="What this department did to the order or the service.")
    adds_value = fields.Selection(
        [("value", "Adds value"), ("cost", "Only cost")], required=True, default="value", string="Value"
    )
    is_source = fields.Boolean(string="Source of the Problem")
