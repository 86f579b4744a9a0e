from odoo import fields, models

from .crm_key_account_objective import MEASURES


class CrmKeyAccountReviewLine(models.Model):
    """An objective's target and actual as they stood on a review date. Never recomputed."""

    _name = "crm.key.account.review.line"
    _description = "Key-Account Review Line"
    _inherit = ["crm.company.child.mixin", "crm.process.fields.mixin"]
    _order = "review_id, id"
    _check_company_auto = True
    _company_parent = "review_id"
    # an objective as it stood on the review day, written by the review's freeze
    _process_fields = ("target", "actual", "progress")

    review_id = fields.Many2one("crm.key.account.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    objective_id = fields.Many2one(
        "crm.key.account.objective", string="Source Objective", ondelete="set null", check_company=True
    )
    name = fields.Char(string="Objective", required=True)
    measure = fields.Selection(MEASURES)
    target = fields.Float(digits=(16, 2), readonly=True)
    actual = fields.Float(digits=(16, 2), readonly=True)
    progress = fields.Float(string="Progress (%)", digits=(16, 1), readonly=True)

    def _process_field_hint(self, name, value):
        return self.env._("a review line keeps its objective as it stood on the review day; Create Review on the plan.")
