from odoo import fields, models

from .crm_key_account_objective import MEASURES


class CrmKeyAccountReviewLine(models.Model):
    """An objective's target and actual as they stood on a review date. Never recomputed."""

    _name = "crm.key.account.review.line"
    _description = "Key-Account Review Line"
    _order = "review_id, id"

    review_id = fields.Many2one("crm.key.account.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    objective_id = fields.Many2one("crm.key.account.objective", string="Source Objective", ondelete="set null")
    name = fields.Char(string="Objective", required=True)
    measure = fields.Selection(MEASURES)
    target = fields.Float(digits=(16, 2))
    actual = fields.Float(digits=(16, 2))
    progress = fields.Float(string="Progress (%)", digits=(16, 1))
