from odoo import api, fields, models

QUALITY_COST_CATEGORIES = [
    ("prevention", "Prevention"),
    ("appraisal", "Appraisal"),
    ("internal_failure", "Internal failure"),
    ("external_failure", "External failure"),
]


class CrmQualityCost(models.Model):
    """Cost-of-quality ledger: what preventing, checking and failing costs."""

    _name = "crm.quality.cost"
    _description = "Cost of Quality"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    category = fields.Selection(QUALITY_COST_CATEGORIES, required=True)
    amount = fields.Monetary(required=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index="btree_not_null", check_company=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", check_company=True, index="btree_not_null")
    action_id = fields.Many2one("crm.quality.action", string="Quality Action", check_company=True)

    _sql_constraints = [
        (
            "amount_not_negative",
            "CHECK(amount >= 0)",
            "A cost of quality cannot be negative: enter the Amount as 0 or more.",
        ),
    ]

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        if self.ticket_id.commercial_partner_id:
            self.partner_id = self.ticket_id.commercial_partner_id
