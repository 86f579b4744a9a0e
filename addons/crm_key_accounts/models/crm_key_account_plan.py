from odoo import api, fields, models
from odoo.exceptions import ValidationError

PLAN_STATES = [
    ("identify", "Identify"),
    ("manager_appointed", "Manager appointed"),
    ("engaged", "Engaged"),
    ("outcomes_understood", "Outcomes understood"),
    ("delivery_agreed", "Delivery agreed"),
    ("improving", "Improving"),
    ("closed", "Closed"),
]
# The plan is "active" from engagement on: only then must the qualification be answered.
ACTIVE_STATES = ("engaged", "outcomes_understood", "delivery_agreed", "improving")
QUALIFICATION_FIELDS = (
    "qualification_want",
    "qualification_benefit_us",
    "qualification_benefit_them",
    "qualification_compatible",
    "qualification_mutual_help",
    "qualification_choice",
)


class CrmKeyAccountPlan(models.Model):
    """A year (or period) of managing one key customer, step by step."""

    _name = "crm.key.account.plan"
    _description = "Key-Account Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    date_start = fields.Date(
        string="Start",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_end = fields.Date(
        string="End",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=12, day=31),
    )
    state = fields.Selection(PLAN_STATES, required=True, default="identify", tracking=True, group_expand=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()

    qualification_want = fields.Text(string="Do we want this relationship?")
    qualification_benefit_us = fields.Text(string="What is in it for us?")
    qualification_benefit_them = fields.Text(string="What is in it for them?")
    qualification_compatible = fields.Text(string="Are we compatible?")
    qualification_mutual_help = fields.Text(string="Can we help each other?")
    qualification_choice = fields.Text(string="Do we have a choice?")

    needs = fields.Html(string="Needs and Pain Points")
    competitors = fields.Html()
    value_proposition = fields.Html()
    communication_plan = fields.Html(string="Communication and Feedback Plan")
    swot_strengths = fields.Text(string="Strengths")
    swot_weaknesses = fields.Text(string="Weaknesses")
    swot_opportunities = fields.Text(string="Opportunities")
    swot_threats = fields.Text(string="Threats")
    improvement_actions = fields.Html()

    _sql_constraints = [
        (
            "date_check",
            "CHECK(date_end >= date_start)",
            "A plan's End date must be on or after its Start date.",
        ),
    ]

    @api.depends("partner_id", "date_start")
    def _compute_name(self):
        for plan in self:
            if plan.partner_id and plan.date_start:
                plan.name = self.env._(
                    "%(customer)s %(year)s", customer=plan.partner_id.name, year=plan.date_start.year
                )
            elif not plan.name:
                plan.name = self.env._("New plan")

    @api.constrains("state", *QUALIFICATION_FIELDS)
    def _check_qualification(self):
        labels = self.fields_get(list(QUALIFICATION_FIELDS), ["string"])
        for plan in self.filtered(lambda p: p.state in ACTIVE_STATES):
            missing = [labels[name]["string"] for name in QUALIFICATION_FIELDS if not (plan[name] or "").strip()]
            if missing:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s cannot be active before the qualification is answered. Missing: %(fields)s",
                        plan=plan.name,
                        fields=", ".join(missing),
                    )
                )

    @api.constrains("partner_id", "date_start", "date_end", "state", "active", "company_id")
    def _check_one_active_plan(self):
        for plan in self.filtered(lambda p: p.active and p.state != "closed"):
            # sudo: a plan another manager owns counts even when this user cannot edit it
            overlapping = self.sudo().search_count(
                [
                    ("id", "!=", plan.id),
                    ("company_id", "=", plan.company_id.id),
                    ("partner_id", "=", plan.partner_id.id),
                    ("state", "!=", "closed"),
                    ("date_start", "<=", plan.date_end),
                    ("date_end", ">=", plan.date_start),
                ]
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(customer)s already has an open key-account plan overlapping %(start)s - %(end)s: "
                        "close it or change this plan's dates.",
                        customer=plan.partner_id.display_name,
                        start=plan.date_start,
                        end=plan.date_end,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
        return super().create(vals_list)

    def _next_state(self):
        codes = [code for code, _label in PLAN_STATES]
        return codes[min(codes.index(self.state) + 1, len(codes) - 1)]

    def action_next_step(self):
        for plan in self:
            plan.state = plan._next_state()

    def action_close(self):
        self.write({"state": "closed"})

    def action_reopen(self):
        self.write({"state": "improving"})
