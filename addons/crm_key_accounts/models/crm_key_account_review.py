from odoo import api, fields, models


class CrmKeyAccountReview(models.Model):
    """A dated review of a key-account plan: the figures of that day, kept as they were."""

    _name = "crm.key.account.review"
    _description = "Key-Account Review"
    _inherit = ["mail.thread", "crm.company.child.mixin", "crm.process.fields.mixin"]
    _order = "date desc, id desc"
    _company_parent = "plan_id"
    # the figures of the review day, written by its freeze (``_freeze``) and never changed
    _process_fields = ("satisfaction", "share_of_wallet", "revenue", "attainment")

    plan_id = fields.Many2one("crm.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="plan_id.user_id", store=True, string="Key-Account Manager")
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("crm.key.account.review.line", "review_id", string="Objectives at Review")
    satisfaction = fields.Float(digits=(16, 2), readonly=True, help="The customer's satisfaction on the review date.")
    share_of_wallet = fields.Float(string="Share of Wallet (%)", digits=(16, 1), readonly=True)
    revenue = fields.Monetary(
        string="Revenue to Date",
        readonly=True,
        help="Revenue of the plan period as it stood on the review date, from the plan's revenue source.",
    )
    attainment = fields.Float(
        string="Attainment (%)", digits=(16, 1), readonly=True, help="The plan's attainment on the review date."
    )
    decisions = fields.Html()

    def _process_field_hint(self, name, value):
        return self.env._("a review keeps the figures of its day; Create Review on the plan for today's.")

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
        # the caller's right to review this plan is checked by creating the review as him; the
        # figures and the lines are this freeze's own, written in superuser mode: a manager reads
        # them and never writes one
        review = self.create({"plan_id": plan.id})
        review.sudo().write(
            {
                "satisfaction": satisfaction.get(plan.id, 0.0),
                "share_of_wallet": wallet.actual,
                "revenue": revenue,
                "attainment": plan.attainment,
            }
        )
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
