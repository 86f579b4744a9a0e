from odoo import api, fields, models

COST_TYPES = [
    ("account_management", "Account management"),
    ("joint_concepts", "New product concepts developed together"),
    ("development_time_saved", "Product development time saved"),
    ("referral_savings", "Referral savings"),
    ("inventory_carrying", "Inventory carrying"),
    ("co_marketing", "Co-marketing"),
    ("shared_infrastructure", "Shared infrastructure"),
    ("communication_support", "Communications, support, complaints, feedback and restitution"),
    ("call_centre_web", "Amortised call-centre and web costs"),
    ("loyalty_privileges", "Loyalty privileges given away"),
]


class CrmCustomerCost(models.Model):
    """Cost-to-serve ledger: what serving a customer costs, by the nine items of the literature."""

    _name = "crm.customer.cost"
    _description = "Customer Cost to Serve"
    _inherit = ["mail.thread", "crm.commercial.partner.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="Costs are booked on the commercial entity; a contact person is replaced by its company.",
        check_company=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    cost_type = fields.Selection(COST_TYPES, required=True, tracking=True)
    amount = fields.Monetary(required=True, tracking=True, help="In the company currency; never negative.")
    user_id = fields.Many2one("res.users", string="Booked by", default=lambda self: self.env.user, check_company=True)
    origin_ref = fields.Reference(
        selection="_selection_origin_ref",
        string="Source",
        help="The record that caused this cost (a complaint, a campaign, ...).",
    )

    _sql_constraints = [
        (
            "amount_not_negative",
            "CHECK(amount >= 0)",
            "A cost to serve cannot be negative: enter the Amount as 0 or more.",
        ),
    ]

    @api.model
    def _selection_origin_ref(self):
        """Extension point: leaf modules add the models that book costs here."""
        return [
            ("sale.order", "Sales Order"),
            ("crm.lead", "Lead/Opportunity"),
            ("crm.loyalty.package", "Loyalty Package"),
        ]
