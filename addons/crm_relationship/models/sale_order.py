from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        self._check_end_strategy()
        return super().action_confirm()

    def _check_end_strategy(self):
        # a boolean setting is stored as "True", and removed when switched off
        if not self.env["ir.config_parameter"].sudo().get_param("crm_relationship.end_blocks_quotations"):
            return
        for order in self:
            customer = order.partner_id.commercial_partner_id
            if customer.relationship_strategy_id.code == "end":
                raise UserError(
                    self.env._(
                        "%(order)s cannot be confirmed: the relationship with %(customer)s follows the "
                        "'%(strategy)s' strategy. A relationship manager can assign another strategy to the "
                        "customer, or switch off 'End strategy blocks quotations' in the settings.",
                        order=order.name,
                        customer=customer.display_name,
                        strategy=customer.relationship_strategy_id.name,
                    )
                )
