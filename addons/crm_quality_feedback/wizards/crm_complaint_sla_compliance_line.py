from odoo import fields, models


class CrmComplaintSlaComplianceLine(models.TransientModel):
    _name = "crm.complaint.sla.compliance.line"
    _description = "Complaint SLA Compliance per Team, Category and Month"
    _order = "month desc, team_id, category_id"

    compliance_id = fields.Many2one("crm.complaint.sla.compliance", required=True, ondelete="cascade")
    team_id = fields.Many2one("helpdesk.ticket.team")
    category_id = fields.Many2one("helpdesk.ticket.category")
    month = fields.Date()
    complaints = fields.Integer()
    on_time = fields.Integer()
    share_on_time = fields.Float(string="On Time (%)", digits=(16, 1))
    target = fields.Float(string="Target (%)", digits=(16, 1))
    met = fields.Boolean(string="Target Met")
