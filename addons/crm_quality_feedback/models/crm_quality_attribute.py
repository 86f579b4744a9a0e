from odoo import fields, models


class CrmQualityAttribute(models.Model):
    """A service attribute whose quality is assessed (delivery time, courtesy, documentation...)."""

    _name = "crm.quality.attribute"
    _description = "Service Quality Attribute"
    _inherit = ["crm.quality.short.name.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_unique", "unique(name)", "This service attribute already exists.")]
