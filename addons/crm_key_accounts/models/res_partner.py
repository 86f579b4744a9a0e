from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    key_account_manager_id = fields.Many2one(
        "res.users", string="Key-Account Manager", tracking=True, domain="[('share', '=', False)]", check_company=True
    )
    key_account_potential = fields.Selection(
        [("0", "None"), ("1", "Very low"), ("2", "Low"), ("3", "Medium"), ("4", "High"), ("5", "Very high")],
        string="Growth Potential",
        help="What more the customer could buy from us; weighs in the key-account selection.",
    )
    competitor_threat = fields.Selection(
        [("0", "None"), ("1", "Very low"), ("2", "Low"), ("3", "Medium"), ("4", "High"), ("5", "Very high")],
        help="How hard competitors court this customer; weighs in the key-account selection.",
    )
    key_account_plan_ids = fields.One2many("crm.key.account.plan", "partner_id", string="Key-Account Plans")
    key_account_plan_count = fields.Integer(compute="_compute_key_account_plan_count", string="Plans")

    @api.constrains("key_account_manager_id")
    def _check_key_account_manager_company(self):
        # partners check no company of their own fields: the one this module adds is checked here
        self._check_company(["key_account_manager_id"])

    def _compute_key_account_plan_count(self):
        counts = dict(
            self.env["crm.key.account.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.key_account_plan_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_key_account_plans(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_key_accounts.action_crm_key_account_plan")
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        action["context"] = {"default_partner_id": self.commercial_partner_id[:1].id}
        return action
