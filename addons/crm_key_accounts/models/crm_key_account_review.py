from odoo import api, fields, models


class CrmKeyAccountReview(models.Model):
    """A dated review of a key-account plan: the figures of that day, kept as they were."""

    _name = "crm.key.account.review"
    _description = "Key-Account Review"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    plan_id = fields.Many2one("crm.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="plan_id.user_id", store=True, string="Key-Account Manager")
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("crm.key.account.review.line", "review_id", string="Objectives at Review")
    satisfaction = fields.Float(digits=(16, 2), help="The customer's satisfaction on the review date.")
    share_of_wallet = fields.Float(string="Share of Wallet (%)", digits=(16, 1))
    revenue = fields.Monetary(
        string="Revenue to Date",
        help="Revenue of the plan period as it stood on the review date, from the plan's revenue source.",
    )
    attainment = fields.Float(string="Attainment (%)", digits=(16, 1), help="Average progress of the objectives.")
    decisions = fields.Html()

    def _compute_display_name(self):
        for review in self:
            review.display_name = f"{review.plan_id.display_name} - {review.date}"

    @api.model
    def _freeze(self, plan):
        """A review of ``plan`` holding today's figures (recomputed first)."""
        objectives = plan.objective_ids
        Objective = self.env["crm.key.account.objective"]
        Objective._refresh_actuals(objectives)
        revenue = Objective._plan_figures(plan).get(plan.id, (0.0, 0.0, 0))[0]
        wallet = objectives.filtered(lambda o: o.measure == "share_of_wallet")[:1]
        satisfaction = self.env["crm.customer.value"]._crm_customer_measures("satisfaction", plan._customer_period())
        review = self.create(
            {
                "plan_id": plan.id,
                "satisfaction": satisfaction.get(plan.id, 0.0),
                "share_of_wallet": wallet.actual,
                "revenue": revenue,
                "attainment": sum(objectives.mapped("progress")) / len(objectives) if objectives else 0.0,
            }
        )
        # the figures are written by this freeze only: a manager reads review lines and never adds
        # one; his right to review this plan was checked when the review was created just above
        self.env["crm.key.account.review.line"].sudo().create(
            [
                {
                    "review_id": review.id,
                    "objective_id": objective.id,
                    "name": objective.name,
                    "measure": objective.measure,
                    "target": objective.target,
                    "actual": objective.actual,
                    "progress": objective.progress,
                }
                for objective in objectives
            ]
        )
        return review
