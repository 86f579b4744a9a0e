from odoo import fields, models


class CrmKeyAccountObjection(models.Model):
    """An objection the customer raises, with the answer we prepared and where it stands."""

    _name = "crm.key.account.objection"
    _description = "Key-Account Objection"
    _inherit = ["crm.company.child.mixin"]
    _order = "plan_id, state, id"
    _company_parent = "plan_id"

    plan_id = fields.Many2one("crm.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    name = fields.Char(string="Objection", required=True)
    answer = fields.Text(string="Prepared Answer")
    state = fields.Selection(
        [("open", "Open"), ("answered", "Answered"), ("resolved", "Resolved")], required=True, default="open"
    )
