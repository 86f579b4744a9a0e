from odoo import fields, models


class CrmWalletCompetitor(models.Model):
    """A competitor's estimated part of a customer's yearly spend."""

    _name = "crm.wallet.competitor"
    _description = "Share of Wallet Competitor"
    _inherit = ["crm.company.child.mixin"]
    _order = "estimated_amount desc, id"
    _check_company_auto = True
    _company_parent = "estimate_id"

    estimate_id = fields.Many2one("crm.wallet.estimate", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="estimate_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="estimate_id.currency_id")
    competitor_id = fields.Many2one("res.partner", required=True, check_company=True)
    estimated_amount = fields.Monetary(required=True)
    strengths = fields.Text(help="Why the customer buys this from them.")

    _sql_constraints = [
        (
            "estimated_amount_not_negative",
            "CHECK(estimated_amount >= 0)",
            "A competitor's Estimated Amount cannot be negative.",
        ),
    ]
