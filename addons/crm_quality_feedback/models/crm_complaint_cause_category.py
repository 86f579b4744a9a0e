from odoo import api, fields, models

from ..tools.input_limits import check_name_length


class CrmComplaintCauseCategory(models.Model):
    """Where a complaint's root cause lies: job design, environment, process flow, people, ..."""

    _name = "crm.complaint.cause.category"
    _description = "Complaint Cause Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [("name_unique", "unique(name)", "This cause category already exists.")]

    @api.model_create_multi
    def create(self, vals_list):
        check_name_length(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_name_length(self, [vals])
        return super().write(vals)
