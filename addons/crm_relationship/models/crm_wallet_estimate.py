from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.period import FIRST_YEAR, LAST_YEAR


class CrmWalletEstimate(models.Model):
    """A customer's estimated total yearly spend in our category, and who else gets it."""

    _name = "crm.wallet.estimate"
    _description = "Share of Wallet Estimate"
    _inherit = ["mail.thread", "crm.commercial.partner.mixin"]
    _order = "year desc, partner_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        check_company=True,
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
    estimated_total_spend = fields.Monetary(
        required=True,
        tracking=True,
        help="What the customer spends in a year on what we sell, with us and with competitors.",
    )
    our_revenue = fields.Monetary(
        compute="_compute_share_of_wallet",
        help="Our revenue from the customer in the year, from the Revenue Source setting (confirmed orders "
        "or posted invoices, net of credit notes).",
    )
    share_of_wallet = fields.Float(
        string="Share of Wallet (%)", compute="_compute_share_of_wallet", aggregator="avg", digits=(16, 1)
    )
    competitor_line_ids = fields.One2many("crm.wallet.competitor", "estimate_id", string="Competitors")
    competitor_share = fields.Float(
        string="Competitors' Share (%)", compute="_compute_competitor_share", digits=(16, 1)
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "partner_year_unique",
            "unique(company_id, partner_id, year)",
            "There is already a share-of-wallet estimate for this customer and year.",
        ),
        (
            "estimated_total_spend_positive",
            "CHECK(estimated_total_spend > 0)",
            "The Estimated Total Spend must be greater than zero.",
        ),
    ]

    @api.constrains("year")
    def _check_year(self):
        for estimate in self:
            if not FIRST_YEAR <= estimate.year <= LAST_YEAR:
                raise ValidationError(
                    self.env._("Year %s is not a valid year: enter a four-digit year.", estimate.year)
                )

    @api.depends("partner_id", "year", "company_id", "estimated_total_spend")
    def _compute_share_of_wallet(self):
        revenue = self._revenue_by_estimate()
        for estimate in self:
            estimate.our_revenue = revenue.get(estimate.id, 0.0)
            estimate.share_of_wallet = (
                100.0 * estimate.our_revenue / estimate.estimated_total_spend if estimate.estimated_total_spend else 0.0
            )

    def _revenue_by_estimate(self):
        """Our revenue per estimate over its calendar year (``crm.revenue.source``), one query for the batch."""
        Source = self.env["crm.revenue.source"]
        requests = [
            Source._customer_period(
                estimate.id,
                estimate.company_id.id,
                estimate.partner_id.id,
                Source._period(date(estimate.year, 1, 1), months=12),
            )
            for estimate in self.filtered(lambda e: e.id and e.partner_id and e.year)
        ]
        figures = Source._revenue_figures(Source._default_source(), requests)
        return {key: revenue for key, (revenue, _margin, _sales) in figures.items()}

    @api.depends("competitor_line_ids.estimated_amount", "estimated_total_spend")
    def _compute_competitor_share(self):
        for estimate in self:
            total = sum(estimate.competitor_line_ids.mapped("estimated_amount"))
            estimate.competitor_share = (
                100.0 * total / estimate.estimated_total_spend if estimate.estimated_total_spend else 0.0
            )

    def _compute_display_name(self):
        for estimate in self:
            estimate.display_name = f"{estimate.partner_id.display_name or ''} {estimate.year or ''}".strip()
