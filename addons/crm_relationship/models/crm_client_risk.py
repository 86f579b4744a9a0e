from odoo import api, fields, models

RISK_TYPES = [
    ("risky_client", "Risky client"),
    ("unprofitable", "Unprofitable client"),
    ("overlooked", "Valuable customer overlooked"),
    ("beyond_professional", "Relationship beyond the professional zone"),
    ("product_safety", "Product safety"),
]
# Stored as sortable codes so "highest open risk" is one MAX() in SQL.
RISK_LEVELS = [("1", "Low"), ("2", "Medium"), ("3", "High"), ("4", "Critical")]


class CrmClientRisk(models.Model):
    """An entry of the client risk register."""

    _name = "crm.client.risk"
    _description = "Client Risk"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.commercial.partner.mixin"]
    _order = "state_sequence, level desc, date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Risk", required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        check_company=True,
    )
    risk_type = fields.Selection(RISK_TYPES, required=True, tracking=True)
    level = fields.Selection(RISK_LEVELS, required=True, default="2", tracking=True)
    date = fields.Date(string="Identified On", required=True, default=fields.Date.context_today)
    description = fields.Text()
    mitigation = fields.Text(tracking=True, help="What we do to reduce the likelihood or the impact.")
    state = fields.Selection(
        [("open", "Open"), ("mitigating", "Mitigating"), ("closed", "Closed")],
        required=True,
        default="open",
        tracking=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", default=lambda self: self.env.user, tracking=True, check_company=True
    )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"open": 0, "mitigating": 1, "closed": 2}
        for risk in self:
            risk.state_sequence = order.get(risk.state, 3)

    def action_close(self):
        self.write({"state": "closed"})

    def action_mitigate(self):
        self.write({"state": "mitigating"})

    def action_reopen(self):
        self.write({"state": "open"})
