from odoo import fields, models


class CrmComplaintCauseCategory(models.Model):
    """Where a complaint's root cause lies: job design, environment, process flow, people, ..."""

    _name = "crm.complaint.cause.category"
    _description = "Complaint Cause Category"
    _inherit = ["crm.quality.short.name.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [("name_unique", "unique(name)", "This cause category already exists.")]
