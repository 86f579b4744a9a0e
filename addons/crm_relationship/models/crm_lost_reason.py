from odoo import fields, models


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    unmet_demand = fields.Boolean(
        help="Inquiries lost for this reason count as unmet primary demand (we could not supply what "
        "the customer asked for) in the sales measures.",
    )
