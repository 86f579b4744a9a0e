from odoo import api, fields, models

from ..tools.input_limits import check_name_length


class CrmQualityAttribute(models.Model):
    """A service attribute whose quality is assessed (delivery time, courtesy, documentation...)."""

    _name = "crm.quality.attribute"
    _description = "Service Quality Attribute"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_unique", "unique(name)", "This service attribute already exists.")]

    @api.model_create_multi
    def create(self, vals_list):
        check_name_length(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_name_length(self, [vals])
        return super().write(vals)
