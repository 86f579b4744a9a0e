from odoo import fields, models


class CrmQualityDepartment(models.Model):
    """A department a complaint can be traced through (sales, warehouse, delivery, billing, ...)."""

    _name = "crm.quality.department"
    _description = "Department (Complaint Trace)"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
