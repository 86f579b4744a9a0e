from odoo import api, models


class CrmCommercialPartnerMixin(models.AbstractModel):
    """Files records on the customer's commercial entity: a contact person given as
    ``partner_id`` is replaced by its company. Customers are aggregated on commercial
    partners everywhere; records that hold customer data inherit this."""

    _name = "crm.commercial.partner.mixin"
    _description = "Filed on the Commercial Partner"

    @api.model_create_multi
    def create(self, vals_list):
        self._use_commercial_partner(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._use_commercial_partner([vals])
        return super().write(vals)

    def _use_commercial_partner(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
