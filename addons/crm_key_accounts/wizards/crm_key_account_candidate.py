from dateutil.relativedelta import relativedelta

from odoo import fields, models


class CrmKeyAccountCandidate(models.TransientModel):
    """A customer proposed as key account, with the parts of its score."""

    _name = "crm.key.account.candidate"
    _description = "Key-Account Candidate"
    _inherit = ["crm.company.child.mixin"]
    _order = "score desc, id"
    _check_company_auto = True
    _company_parent = "selection_id"

    selection_id = fields.Many2one("crm.key.account.selection", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="selection_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True)
    revenue_score = fields.Float(digits=(16, 1))
    margin_score = fields.Float(digits=(16, 1))
    growth_score = fields.Float(digits=(16, 1))
    tenure_score = fields.Float(digits=(16, 1))
    potential_score = fields.Float(digits=(16, 1))
    threat_score = fields.Float(digits=(16, 1))
    score = fields.Float(digits=(16, 1))
    manager_id = fields.Many2one(
        "res.users", string="Key-Account Manager", domain="[('share', '=', False)]", check_company=True
    )

    def action_confirm(self):
        """Make the customer a key account: its manager, the key service tier and a plan."""
        plans = self.env["crm.key.account.plan"]
        today = fields.Date.context_today(self)
        for candidate in self:
            # the customer's salesperson if he works for the company: a plan's manager does
            salesperson = candidate.partner_id.user_id.filtered(lambda u, c=candidate: c.company_id in u.company_ids)
            manager = candidate.manager_id or salesperson or self.env.user
            candidate.partner_id.write({"key_account_manager_id": manager.id, "service_tier": "key"})
            plans |= plans.create(
                {
                    "partner_id": candidate.partner_id.id,
                    "user_id": manager.id,
                    "state": "manager_appointed",
                    "date_start": today,
                    "date_end": today + relativedelta(years=1, days=-1),
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.key.account.plan",
            "view_mode": "list,form",
            "domain": [("id", "in", plans.ids)],
            "name": self.env._("New Key-Account Plans"),
        }
