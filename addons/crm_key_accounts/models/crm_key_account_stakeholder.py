from datetime import timedelta

from odoo import api, fields, models

STAKEHOLDER_ROLES = [
    ("decision_maker", "Decision maker"),
    ("influencer", "Influencer"),
    ("buyer", "Buyer"),
    ("user", "User"),
    ("gatekeeper", "Gatekeeper"),
    ("champion", "Champion"),
]


class CrmKeyAccountStakeholder(models.Model):
    """A person of the customer on the stakeholder map of a key-account plan."""

    _name = "crm.key.account.stakeholder"
    _description = "Key-Account Stakeholder"
    _inherit = ["crm.company.child.mixin"]
    _order = "plan_id, role, id"
    _check_company_auto = True
    _company_parent = "plan_id"

    plan_id = fields.Many2one("crm.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", string="Customer")
    contact_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        check_company=True,
    )
    function = fields.Char(related="contact_id.function", string="Job Position")
    role = fields.Selection(STAKEHOLDER_ROLES, required=True, default="influencer")
    influence = fields.Selection([("1", "Low"), ("2", "Medium"), ("3", "High")], required=True, default="2")
    attitude = fields.Selection(
        [("supporter", "Supporter"), ("neutral", "Neutral"), ("blocker", "Blocker")], required=True, default="neutral"
    )
    relationship_strength = fields.Selection(
        [("1", "Weak"), ("2", "Fair"), ("3", "Good"), ("4", "Strong")], required=True, default="2"
    )
    counterpart_id = fields.Many2one(
        "res.users", string="Our Counterpart", domain="[('share', '=', False)]", check_company=True
    )
    last_contact = fields.Datetime(compute="_compute_last_contact", help="From the customer's contact log.")
    neglected = fields.Boolean(
        string="Neglected Decision Maker",
        compute="_compute_last_contact",
        search="_search_neglected",
        help="A decision maker without any logged contact for longer than the setting (90 days by default).",
    )

    @api.model
    def _neglect_days(self):
        return int(self.env["ir.config_parameter"].sudo().get_param("crm_key_accounts.neglect_days", 90))

    def _last_contacts(self):
        logs = self.env["crm.contact.log"]._read_group(
            [("contact_id", "in", self.contact_id.ids)], ["contact_id"], ["date:max"]
        )
        return {contact.id: last for contact, last in logs}

    @api.depends("contact_id")
    def _compute_last_contact(self):
        last = self._last_contacts()
        limit = fields.Datetime.now() - timedelta(days=self._neglect_days())
        for stakeholder in self:
            stakeholder.last_contact = last.get(stakeholder.contact_id.id)
            stakeholder.neglected = stakeholder.role == "decision_maker" and (
                not stakeholder.last_contact or stakeholder.last_contact < limit
            )

    def _search_neglected(self, operator, value):
        limit = fields.Datetime.now() - timedelta(days=self._neglect_days())
        contacted = self.env["crm.contact.log"]._search([("date", ">=", limit), ("contact_id", "!=", False)])
        neglected = [("role", "=", "decision_maker"), ("contact_id", "not in", contacted.subselect("contact_id"))]
        return neglected if (operator == "=") == bool(value) else ["!", "&", *neglected]
