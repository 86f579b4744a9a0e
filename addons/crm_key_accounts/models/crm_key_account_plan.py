import logging
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import LazyTranslate

from ..tools.attainment import weighted_attainment

_lt = LazyTranslate(__name__)

_logger = logging.getLogger(__name__)

# One open plan per customer and overlapping period, kept by the database whatever the
# transactions running at the same time (the gist index on ids and dates needs btree_gist).
ONE_OPEN_PLAN = (
    "EXCLUDE USING gist (company_id WITH =, partner_id WITH =, daterange(date_start, date_end, '[]') WITH &&) "
    "WHERE (active AND state <> 'closed')"
)

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

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
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.commercial.partner.mixin"]
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
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        check_company=True,
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

    # the core's revenue sources (crm.revenue.source), listed here so that the database keeps to them
    revenue_source = fields.Selection(
        [
            ("orders", "Confirmed sales orders, net of credit notes"),
            ("invoices", "Posted customer invoices, net of credit notes"),
        ],
        required=True,
        default=lambda self: self.env["crm.revenue.source"]._default_source(),
        help="Where revenue, margin and sales objectives take their actuals from.",
    )
    review_cadence = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        required=True,
        default="quarterly",
        tracking=True,
    )
    next_review_date = fields.Date(compute="_compute_next_review_date", store=True)
    objective_ids = fields.One2many("crm.key.account.objective", "plan_id", string="Objectives")
    attainment = fields.Float(
        string="Attainment (%)",
        compute="_compute_attainment",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="The objectives' progress, each capped at 100 %, averaged with the objectives' weights (1 unless set).",
    )
    team_member_ids = fields.One2many("crm.key.account.team.member", "plan_id", string="Account Team")
    stakeholder_ids = fields.One2many("crm.key.account.stakeholder", "plan_id", string="Stakeholder Map")
    review_ids = fields.One2many("crm.key.account.review", "plan_id", string="Reviews")
    objection_ids = fields.One2many("crm.key.account.objection", "plan_id", string="Objections")
    review_count = fields.Integer(compute="_compute_review_count")
    neglected_count = fields.Integer(string="Neglected Decision Makers", compute="_compute_neglected_count")

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
        (
            "one_open_plan",
            ONE_OPEN_PLAN,
            "A customer has one open key-account plan per period: close the other plan or change this plan's "
            "Start and End dates so that they do not overlap.",
        ),
    ]

    def _auto_init(self):
        # the exclusion constraint compares ids with = in a gist index: btree_gist, created by a
        # superuser; without it the constraint is not added and the check below locks the customer
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        except psycopg2.Error as error:
            _logger.warning(
                "btree_gist is not available (%s): one open key-account plan per customer and period is "
                "kept by a lock on the customer instead of a database constraint.",
                error,
            )
        return super()._auto_init()

    @api.depends("partner_id", "date_start")
    def _compute_name(self):
        for plan in self:
            if plan.partner_id and plan.date_start:
                plan.name = self.env._(
                    "%(customer)s %(year)s", customer=plan.partner_id.name, year=plan.date_start.year
                )
            elif not plan.name:
                plan.name = self.env._("New plan")

    @api.depends("review_ids.date", "review_cadence", "date_start")
    def _compute_next_review_date(self):
        for plan in self:
            last = max(plan.review_ids.mapped("date"), default=plan.date_start)
            plan.next_review_date = last and last + relativedelta(months=CADENCE_MONTHS[plan.review_cadence])

    @api.depends("objective_ids.progress", "objective_ids.weight")
    def _compute_attainment(self):
        for plan in self:
            plan.attainment = weighted_attainment([(o.progress, o.weight) for o in plan.objective_ids])

    def _compute_review_count(self):
        counts = dict(
            self.env["crm.key.account.review"]._read_group([("plan_id", "in", self.ids)], ["plan_id"], ["__count"])
        )
        for plan in self:
            plan.review_count = counts.get(plan, 0)

    def _compute_neglected_count(self):
        for plan in self:
            plan.neglected_count = len(plan.stakeholder_ids.filtered("neglected"))

    @api.constrains("state", "team_member_ids")
    def _check_sales_lead(self):
        for plan in self.filtered(lambda p: p.state in ACTIVE_STATES):
            if len(plan.team_member_ids.filtered(lambda m: m.role == "sales_lead")) != 1:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s cannot be active without exactly one Sales lead in its Account Team.",
                        plan=plan.name,
                    )
                )

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
        open_plans = self.filtered(lambda p: p.active and p.state != "closed")
        if open_plans and not self._one_open_plan_constraint_exists():
            # Without the database constraint, two transactions that began together would each
            # pass the check below. Rewriting the customers' rows (a no-op) makes the later one
            # fail to serialize and be retried, when it sees the first plan; a mere row lock
            # would not, its snapshot being older than the other transaction's commit.
            self.env.cr.execute(
                "UPDATE res_partner SET write_date = write_date WHERE id = ANY(%s)", [open_plans.partner_id.ids]
            )
        for plan in open_plans:
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

    def _one_open_plan_constraint_exists(self):
        self.env.cr.execute(
            "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
            [f"{self._table}_one_open_plan", self._table],
        )
        return bool(self.env.cr.fetchone())

    def _customer_period(self):
        """The plans as ``CustomerPeriod`` requests of the core (key: the plan's id): Start and End
        are days included, so a plan's period runs to the day after its End."""
        Source = self.env["crm.revenue.source"]
        return [
            Source._customer_period(
                plan.id, plan.company_id.id, plan.partner_id.id, Source._period_through(plan.date_start, plan.date_end)
            )
            for plan in self
        ]

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

    def action_refresh_actuals(self):
        self.env["crm.key.account.objective"]._refresh_actuals(self.objective_ids)

    def action_create_review(self):
        self.ensure_one()
        review = self.env["crm.key.account.review"]._freeze(self)
        self.activity_unlink(["crm_key_accounts.mail_activity_type_review"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.key.account.review",
            "res_id": review.id,
            "view_mode": "form",
        }

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_key_accounts.action_crm_key_account_review")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    # ------------------------------------------------------------------ scheduler

    @api.model
    def _cron_key_accounts(self):
        """Nightly: actuals of open plans, objectives closed at period end, neglected decision
        makers and due reviews turned into activities for the plan's manager."""
        today = fields.Date.context_today(self)
        open_plans = self.search([("state", "!=", "closed")])
        self.env["crm.key.account.objective"]._refresh_actuals(open_plans.objective_ids)
        ended = open_plans.objective_ids.filtered(
            lambda o: o.state == "in_progress" and o.plan_id.date_end < today and o.measure != "manual"
        )
        for met in (True, False):
            ended.filtered(lambda o, met=met: o._is_met() == met).write({"state": "achieved" if met else "missed"})
        neglected = open_plans._neglected_stakeholders()
        open_plans._schedule_neglect_activities(neglected)
        open_plans._record_neglect_events(neglected)
        due = open_plans.filtered(lambda p: p.next_review_date and p.next_review_date <= today + timedelta(days=7))
        review_type = self.env.ref("crm_key_accounts.mail_activity_type_review")
        for plan in due.filtered(lambda p: review_type not in p.activity_ids.activity_type_id):
            owner = plan.user_id or self.env.user
            plan.activity_schedule(
                "crm_key_accounts.mail_activity_type_review",
                date_deadline=plan.next_review_date,
                # the type's default summary as the plan's manager reads it, not as the job's user
                summary=review_type.with_context(lang=owner.lang or self.env.lang).summary,
                user_id=owner.id,
            )

    def _neglected_stakeholders(self):
        """The decision makers of these plans with no contact logged for too long."""
        return self.env["crm.key.account.stakeholder"].search([("plan_id", "in", self.ids), ("neglected", "=", True)])

    def _record_neglect_events(self, neglected=None):
        """A customer event for each decision maker of these plans found neglected (``neglected``,
        else searched), once per neglect in each company: not again while no contact was logged
        with the person since the last such event of that company."""
        neglected = self._neglected_stakeholders() if neglected is None else neglected
        if not neglected:
            return self.env["crm.relationship.event"]
        last_contacts = neglected._last_contacts()
        recorded = (
            self.env["crm.relationship.event"]
            .sudo()
            ._read_group(
                [("event_type", "=", "decision_maker_neglected"), ("contact_id", "in", neglected.contact_id.ids)],
                ["company_id", "contact_id"],
                ["date:max"],
            )
        )
        recorded = {(company.id, contact.id): day for company, contact, day in recorded}
        today = fields.Date.context_today(self)
        rows, seen = [], set()
        for stakeholder in neglected:
            contact = stakeholder.contact_id
            last = last_contacts.get(contact.id)
            event_day = recorded.get((stakeholder.company_id.id, contact.id))
            if (stakeholder.company_id.id, contact.id) in seen or (
                event_day and (not last or event_day >= last.date())
            ):
                continue
            seen.add((stakeholder.company_id.id, contact.id))
            rows.append(
                (
                    "decision_maker_neglected",
                    stakeholder.company_id.id,
                    stakeholder.plan_id.partner_id.commercial_partner_id.id,
                    fields.Date.to_string(last.date()) if last else None,
                    "neglected",
                    today,
                    stakeholder.plan_id.display_name,
                    None,
                    contact.id,
                )
            )
        return self.env["crm.relationship.event"]._record(rows)

    def _schedule_neglect_activities(self, neglected=None):
        """A call to each neglected decision maker for the plan's manager, in his language. A call
        already open on the plan for that contact, in any installed language, is not repeated."""
        neglected = self._neglected_stakeholders() if neglected is None else neglected
        call = self.env.ref("mail.mail_activity_data_call")
        for stakeholder in neglected:
            summary = _lt("Contact decision maker %(name)s", name=stakeholder.contact_id.name)
            plan = stakeholder.plan_id
            if plan._crm_has_open_activity(call, summary):
                continue
            owner = plan.user_id or self.env.user
            owner_env = self.with_context(lang=owner.lang or self.env.lang).env
            plan.activity_schedule(
                "mail.mail_activity_data_call",
                summary=owner_env._(summary),
                note=owner_env._(
                    "No contact logged with this decision maker for more than %(days)s days.",
                    days=stakeholder._neglect_days(),
                ),
                user_id=owner.id,
            )
