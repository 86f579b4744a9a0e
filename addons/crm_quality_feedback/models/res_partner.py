from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_satisfaction_score = fields.Float(
        string="Satisfaction (12 months)",
        compute="_compute_customer_satisfaction_score",
        digits=(16, 2),
        help="Weighted B2B satisfaction of the last 12 months: each answer's score times the weight of "
        "the respondent's role.",
    )
    open_complaint_count = fields.Integer(compute="_compute_open_complaint_count", string="Open Complaints")

    def _satisfaction_requests(self):
        """The last 12 months up to today, for each customer, in the current company."""
        Source = self.env["crm.revenue.source"]
        period = Source._period_ending_on(fields.Date.context_today(self), 12)
        return [Source._customer_period(p.id, self.env.company.id, p.id, period) for p in self.commercial_partner_id]

    @api.depends_context("company")
    def _compute_customer_satisfaction_score(self):
        scores = self.env["crm.customer.value"]._crm_customer_measures("satisfaction", self._satisfaction_requests())
        for partner in self:
            partner.customer_satisfaction_score = scores.get(partner.commercial_partner_id.id, 0.0)

    def _compute_open_complaint_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [
                    ("is_complaint", "=", True),
                    ("complaint_step", "!=", "closed"),
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    # sudo for users without helpdesk rights; still only their companies' complaints
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.open_complaint_count = counts.get(partner.commercial_partner_id, 0)

    def _crm_health_factors(self):
        factors = super()._crm_health_factors()
        scores = self.env["crm.customer.value"]._crm_customer_measures("satisfaction", self._satisfaction_requests())
        for partner_id, score in scores.items():
            factors.setdefault(partner_id, []).append((self.env._("Satisfaction"), (score - 1) * 25.0, 1))
        return factors

    def action_view_complaints(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_quality_feedback.action_complaints")
        action["domain"] = [
            ("is_complaint", "=", True),
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
        ]
        return action
