from odoo import api, models


class CrmCustomerCost(models.Model):
    _inherit = "crm.customer.cost"

    @api.model
    def _selection_origin_ref(self):
        return super()._selection_origin_ref() + [("helpdesk.ticket", "Complaint")]
