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
# From this level on, a risk opened (or raised to it) is a customer event.
HIGH_RISK_LEVEL = "3"


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

    @api.model_create_multi
    def create(self, vals_list):
        risks = super().create(vals_list)
        risks._record_high_risk_events({})
        return risks

    def write(self, vals):
        before = {risk.id: risk.level for risk in self} if "level" in vals else None
        result = super().write(vals)
        if before is not None:
            self._record_high_risk_events(before)
        return result

    def _record_high_risk_events(self, levels_before):
        """A customer event for each open risk at a high level (High or Critical) that was not
        before (``levels_before``: ``{risk id: level}``, empty for new risks)."""
        rows = [
            (
                "client_risk",
                risk.company_id.id,
                risk.partner_id.commercial_partner_id.id,
                levels_before.get(risk.id) or None,
                risk.level,
                risk.date,
                risk.name,
                None,
                None,
            )
            for risk in self
            if risk.state != "closed"
            and risk.level >= HIGH_RISK_LEVEL
            and (levels_before.get(risk.id) or "0") < HIGH_RISK_LEVEL
        ]
        self.env["crm.relationship.event"]._record(rows)

    def action_close(self):
        self.write({"state": "closed"})

    def action_mitigate(self):
        self.write({"state": "mitigating"})

    def action_reopen(self):
        self.write({"state": "open"})
