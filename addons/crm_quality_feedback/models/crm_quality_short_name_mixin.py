from odoo import api, models

from ..tools.input_limits import check_name_length


class CrmQualityShortNameMixin(models.AbstractModel):
    """A short, unique name (a cause category, a service attribute): its unique index refuses a
    name of a few thousand characters with a raw database error, so a long name is refused first
    with a message naming the field and the limit."""

    _name = "crm.quality.short.name.mixin"
    _description = "Short Unique Name"

    @api.model_create_multi
    def create(self, vals_list):
        check_name_length(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_name_length(self, [vals])
        return super().write(vals)
