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
        # the partners of a batch are read together: one query for a job's thousands of rows
        partners = self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]

    def action_open_partner(self):
        """The customer's form, from a row that stands for him (a value, a class, an event)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
