from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

# What a customer mix shares out (a portfolio run's Mix On, a target's Basis).
MIX_BASES = [("revenue", "Revenue"), ("purchases", "Number of purchases"), ("margin", "Gross margin")]


class CrmCustomerMixTarget(models.Model):
    """Yearly targets of the customer mix: which share of revenue (or of the purchases, or of the
    gross margin: the target's basis) should come from new, repeat, switching and last-time
    customers. The four shares make 100 %; a run is compared with the target of its own basis."""

    _name = "crm.customer.mix.target"
    _inherit = ["crm.yearly.target.mixin"]
    _description = "Customer Mix Target"
    _order = "year desc"
    _rec_name = "year"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    basis = fields.Selection(
        MIX_BASES,
        required=True,
        default="revenue",
        help="What the shares are of: a portfolio run whose Mix On is the same is compared with this target.",
    )
    target_new = fields.Float(string="New (%)", digits=(16, 1))
    target_repeat = fields.Float(string="Repeat (%)", digits=(16, 1))
    target_switcher = fields.Float(string="Switchers (%)", digits=(16, 1))
    target_last_time = fields.Float(string="Last-time (%)", digits=(16, 1))
    total = fields.Float(compute="_compute_total", digits=(16, 1))

    _sql_constraints = [
        (
            "company_year_unique",
            "unique(company_id, year, basis)",
            "There is already a customer mix target for this year and basis.",
        ),
    ]

    @api.depends("target_new", "target_repeat", "target_switcher", "target_last_time")
    def _compute_total(self):
        for target in self:
            target.total = target.target_new + target.target_repeat + target.target_switcher + target.target_last_time

    @api.constrains("target_new", "target_repeat", "target_switcher", "target_last_time")
    def _check_shares(self):
        for target in self:
            shares = (target.target_new, target.target_repeat, target.target_switcher, target.target_last_time)
            if any(share < 0 or share > 100 for share in shares):
                raise ValidationError(self.env._("Each customer mix target is a percentage between 0 and 100."))
            if float_compare(sum(shares), 100.0, precision_digits=1):
                raise ValidationError(
                    self.env._(
                        "The customer mix targets of %(year)s add up to %(total)s %%: new, repeat, switchers "
                        "and last-time must make exactly 100 %%.",
                        year=target.year,
                        total=round(sum(shares), 1),
                    )
                )
