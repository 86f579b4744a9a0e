from odoo import api, fields, models
from odoo.tools import SQL

RESPONDENT_ROLES = [
    ("decision_maker", "Decision maker"),
    ("influencer", "Influencer"),
    ("buyer", "Buyer"),
    ("user", "User"),
    ("other", "Other"),
]
DEFAULT_ROLE_WEIGHTS = {"decision_maker": 3, "influencer": 2, "buyer": 2, "user": 1, "other": 1}

# Weighted B2B satisfaction: score x weight of the respondent's role, over the weights.
_WEIGHTED_SATISFACTION = """
SELECT r.key, SUM(f.score * w.weight)::float / NULLIF(SUM(w.weight), 0)
FROM unnest(%(keys)s::int[], %(companies)s::int[], %(partners)s::int[], %(starts)s::date[], %(ends)s::date[])
     AS r(key, company_id, partner_id, date_from, date_to)
JOIN crm_customer_feedback f ON f.partner_id = r.partner_id AND f.company_id = r.company_id
     AND f.date >= r.date_from AND f.date < r.date_to
JOIN unnest(%(roles)s::varchar[], %(weights)s::float[]) AS w(role, weight) ON w.role = f.respondent_role
GROUP BY r.key
"""


class CrmCustomerFeedback(models.Model):
    """One answer of a customer's person: a satisfaction score and the intent to buy again."""

    _name = "crm.customer.feedback"
    _description = "Customer Feedback"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, check_company=True)
    respondent_id = fields.Many2one("res.partner", check_company=True)
    respondent_role = fields.Selection(RESPONDENT_ROLES, required=True, default="user")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Integer(required=True, help="Satisfaction from 1 (very dissatisfied) to 5 (very satisfied).")
    purchase_intent = fields.Selection(
        [("yes", "Will buy again"), ("maybe", "May buy again"), ("no", "Will not buy again")],
        help="Whether the customer intends to buy again: yes, no, or unsure (may buy again).",
    )
    buy_again_share = fields.Float(
        string="Purchase Intent (%)",
        compute="_compute_buy_again_share",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the answers that intend to buy again: 100 for yes, 0 for no; "
        "unsure or unanswered feedback is left out of the average.",
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
        help="The product or service the feedback is about.",
    )
    service_tier = fields.Selection(
        related="partner_id.service_tier",
        store=True,
        string="Segment (Service Tier)",
        help="The customer's service tier, stored to group the feedback by segment.",
    )
    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", index="btree_not_null", check_company=True)
    comment = fields.Text()
    announcement_id = fields.Many2one(
        "crm.announcement",
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        help="The announcement this feedback answers, given through the link of its mail.",
    )

    _sql_constraints = [
        ("score_range", "CHECK(score BETWEEN 1 AND 5)", "A satisfaction Score goes from 1 to 5."),
    ]

    @api.depends("purchase_intent")
    def _compute_buy_again_share(self):
        for feedback in self:
            feedback.buy_again_share = 100.0 if feedback.purchase_intent == "yes" else 0.0

    def _read_group_select(self, aggregate_spec, query):
        """The share intending to buy again counts only the answers that said yes or no."""
        if aggregate_spec != "buy_again_share:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "AVG(%(share)s) FILTER (WHERE %(intent)s IN ('yes', 'no'))",
            share=self._field_to_sql(self._table, "buy_again_share", query),
            intent=self._field_to_sql(self._table, "purchase_intent", query),
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals.setdefault("respondent_id", partner.id if partner.parent_id else False)
                vals["partner_id"] = partner.commercial_partner_id.id
        requests = self._satisfaction_event_requests(vals_list)
        before = self._weighted_satisfaction(requests)
        feedbacks = super().create(vals_list)
        feedbacks._record_satisfaction_events(requests, before)
        return feedbacks

    @api.model
    def _satisfaction_event_requests(self, vals_list):
        """The customers the answers are about, over the last 12 months, in the answers' companies."""
        Source = self.env["crm.revenue.source"]
        period = Source._period_ending_on(fields.Date.context_today(self), 12)
        pairs = {
            (vals.get("company_id") or self.env.company.id, vals["partner_id"])
            for vals in vals_list
            if vals.get("partner_id")
        }
        return [
            (index, company, partner, period.start, period.end)
            for index, (company, partner) in enumerate(sorted(pairs))
        ]

    def _record_satisfaction_events(self, requests, before):
        """A customer event for each customer whose weighted satisfaction falls below the threshold
        with these answers (it was at or above it, or had no answer, before)."""
        Event = self.env["crm.relationship.event"]
        threshold = Event._satisfaction_threshold()
        after = self._weighted_satisfaction(requests)
        today = fields.Date.context_today(self)
        source = self.env._("Customer feedback")
        rows = [
            (
                "satisfaction",
                company,
                partner,
                f"{before[key]:.2f}" if key in before else None,
                f"{after[key]:.2f}",
                today,
                source,
                None,
                None,
            )
            for key, company, partner, _start, _end in requests
            if key in after and after[key] < threshold and before.get(key, threshold) >= threshold
        ]
        Event._record(rows)

    @api.model
    def _role_weights(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            role: float(params.get_param(f"crm_quality_feedback.weight_{role}", default))
            for role, default in DEFAULT_ROLE_WEIGHTS.items()
        }

    @api.model
    def _weighted_satisfaction(self, requests):
        """{key: weighted score} for ``(key, company_id, partner_id, date_from, date_to)`` requests."""
        if not requests:
            return {}
        weights = self._role_weights()
        keys, companies, partners, starts, ends = (list(column) for column in zip(*requests, strict=True))
        self.env.flush_all()
        self.env.cr.execute(
            _WEIGHTED_SATISFACTION,
            {
                "keys": keys,
                "companies": companies,
                "partners": partners,
                "starts": starts,
                "ends": ends,
                "roles": list(weights),
                "weights": list(weights.values()),
            },
        )
        return {key: value for key, value in self.env.cr.fetchall() if value is not None}
