from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, LazyTranslate

_lt = LazyTranslate(__name__)

EVENT_TYPES = [
    ("lifecycle", "Lifecycle stage change"),
    ("quadrant", "Portfolio quadrant move"),
    ("abc_class", "ABC class change"),
    ("profitability", "Profitability class change"),
    ("client_risk", "Client risk opened at high level"),
]

# The summaries of the shipped rules' activities (data/crm_relationship_event_automation_data.xml),
# translated here into the assignee's language: a rule's code has no module to translate from.
SHIPPED_SUMMARIES = {
    "Call the customer": _lt("Call the customer"),
    "Review the customer's strategy": _lt("Review the customer's strategy"),
    "Review why the customer left class A": _lt("Review why the customer left class A"),
}

# The columns a job hands to ``_record``, one tuple per event.
EVENT_COLUMNS = (
    "event_type",
    "company_id",
    "partner_id",
    "from_value",
    "to_value",
    "date",
    "source",
    "analysis_id",
    "contact_id",
)


class CrmRelationshipEvent(models.Model):
    """What a job found changed about a customer: a lifecycle stage, a portfolio quadrant or ABC
    class, a profitability class, a high client risk (and, from the leaves, a satisfaction falling
    below its threshold or a decision maker neglected).

    Events are written in bulk by the jobs through ``_record`` and never edited. Actions hang on
    them through Odoo's Automation Rules (``base.automation`` on this model): the rules shipped in
    ``data/crm_relationship_event_automation_data.xml`` call ``_schedule_activity`` and
    ``_suggest_strategy``, which an administrator may change or switch off.
    """

    _name = "crm.relationship.event"
    _inherit = ["crm.commercial.partner.mixin"]
    _description = "Customer Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", string="Event")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, index="btree_not_null", help="The customer's salesperson."
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index="btree_not_null", help="The salesperson's sales team."
    )
    event_type = fields.Selection(EVENT_TYPES, string="Type", required=True, readonly=True, index=True)
    from_value = fields.Char(string="From Code", readonly=True, help="The value before the change, as stored.")
    to_value = fields.Char(string="To Code", readonly=True, help="The value after the change, as stored.")
    from_label = fields.Char(compute="_compute_name", string="From")
    to_label = fields.Char(compute="_compute_name", string="To")
    date = fields.Date(required=True, readonly=True, index=True)
    source = fields.Char(readonly=True, help="The job or document that found the change.")
    analysis_id = fields.Many2one(
        "crm.portfolio.analysis", string="Portfolio Run", readonly=True, ondelete="set null", check_company=True
    )
    contact_id = fields.Many2one("res.partner", string="Person", readonly=True, ondelete="set null")
    suggested_strategy_id = fields.Many2one(
        "crm.relationship.strategy",
        readonly=True,
        help="Filled by the automation rule that suggests a strategy for this event.",
    )
    current_strategy_id = fields.Many2one(related="partner_id.relationship_strategy_id", string="Current Strategy")

    # ------------------------------------------------------------------ labels

    @api.model
    def _value_labels(self):
        """``{event type: {code: label}}`` for the values of the types that store codes; leaves
        add their types' codes. A value without a label is shown as stored."""

        def labels(model, field):
            return dict(self.env[model]._fields[field]._description_selection(self.env))

        return {
            "lifecycle": labels("res.partner", "lifecycle_stage"),
            "quadrant": labels("crm.portfolio.line", "bcg_quadrant"),
            "abc_class": labels("crm.portfolio.line", "abc_class"),
            "profitability": labels("crm.customer.value", "profitability"),
            "client_risk": labels("crm.client.risk", "level"),
        }

    @api.depends("event_type", "from_value", "to_value")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = self._value_labels()
        types = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            values = labels.get(event.event_type, {})
            event.from_label = values.get(event.from_value, event.from_value or "")
            event.to_label = values.get(event.to_value, event.to_value or "")
            event.name = f"{types.get(event.event_type, '')}: {event.from_label or '-'} → {event.to_label or '-'}"

    # ------------------------------------------------------------------ recording

    @api.model
    def _record(self, rows):
        """Record events in one statement: ``rows`` are tuples (or dicts) of ``EVENT_COLUMNS``,
        ``partner_id`` a commercial partner. The salesperson and sales team are the customer's at
        the time of the event. Returns the events.

        The events are inserted in SQL (a job may record thousands: one INSERT whatever their
        number), then the Automation Rules that act on creation run on them exactly as on an ORM
        ``create``: each rule filters the events with its domain and runs its actions."""
        if not rows:
            return self.browse()
        rows = [row if isinstance(row, dict) else dict(zip(EVENT_COLUMNS, row, strict=True)) for row in rows]
        unknown = {row["event_type"] for row in rows} - set(self._fields["event_type"].get_values(self.env))
        if unknown:
            raise ValueError(f"Unknown customer event types: {sorted(unknown)}")
        columns = {name: [row.get(name) for row in rows] for name in EVENT_COLUMNS}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_relationship_event (
                    event_type, company_id, partner_id, user_id, team_id, from_value, to_value, date, source,
                    analysis_id, contact_id, create_uid, write_uid, create_date, write_date)
                SELECT r.event_type, r.company_id, r.partner_id, p.user_id, owner.sale_team_id, r.from_value,
                       r.to_value,
                       r.date, r.source, r.analysis_id, r.contact_id,
                       %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                FROM unnest(%(event_type)s::varchar[], %(company_id)s::int[], %(partner_id)s::int[],
                            %(from_value)s::varchar[], %(to_value)s::varchar[], %(date)s::date[],
                            %(source)s::varchar[], %(analysis_id)s::int[], %(contact_id)s::int[])
                     WITH ORDINALITY AS r(event_type, company_id, partner_id, from_value, to_value, date, source,
                                          analysis_id, contact_id, place)
                JOIN res_partner p ON p.id = r.partner_id
                LEFT JOIN res_users owner ON owner.id = p.user_id
                ORDER BY r.place
                RETURNING id
                """,
                uid=self.env.uid,
                **columns,
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        self._run_creation_rules(events)
        return events

    @api.model
    def _run_creation_rules(self, events):
        """The Automation Rules triggered by the creation of ``events``, as ``base_automation``
        runs them after an ORM ``create``: the events each rule's domain selects, then its actions."""
        Automation = self.env["base.automation"]
        automations = Automation._get_actions(events, ["on_create", "on_create_or_write"])
        for automation in automations.with_context(old_values=None):
            automation._process(automation._filter_post(events.with_env(automation.env), feedback=True))

    # ------------------------------------------------------------------ actions of the automation rules

    def _assignee(self, role):
        """The user an activity about this event goes to: ``salesperson`` (the customer's) or
        ``sales_manager`` (the salesperson's reviewer, ``res.users._crm_reviewers``, else the
        salesperson); the company's first sales manager (``res.users._crm_first_sales_manager``)
        when the customer has no salesperson, else the current user."""
        self.ensure_one()
        salesperson = self.partner_id.user_id
        if salesperson:
            return (
                salesperson._crm_reviewers().get(salesperson, salesperson) if role == "sales_manager" else salesperson
            )
        return self.env["res.users"]._crm_first_sales_manager(self.company_id) or self.env.user

    def _due_date(self, working_days):
        """The ``working_days``-th working day after the event's day, on the company's calendar."""
        calendar = self.company_id.resource_calendar_id
        start = datetime.combine(self.date + timedelta(days=1), time.min)
        if not calendar or working_days <= 0:
            return self.date + timedelta(days=max(working_days, 0))
        return calendar.plan_days(working_days, start, compute_leaves=True).date()

    def _schedule_activity(self, activity_xmlid, role, working_days, summary, note=""):
        """Schedule on each event's customer an activity of type ``activity_xmlid`` for ``role``
        (``salesperson`` or ``sales_manager``), due ``working_days`` working days after the event,
        with its summary and note in the assignee's language (a shipped rule's summary is one of
        ``SHIPPED_SUMMARIES``). An open activity of the same type and summary on the customer is not
        repeated."""
        activity_type = self.env.ref(activity_xmlid)
        shipped = SHIPPED_SUMMARIES.get(summary)
        for event in self:
            partner = event.partner_id.sudo()
            if partner._crm_has_open_activity(activity_type, shipped or summary):
                continue
            assignee = event._assignee(role)
            event = event.with_context(lang=assignee.lang or self.env.lang)
            label = event.env._(shipped) if shipped else summary
            strategy = event.suggested_strategy_id
            text = note or ""
            if strategy:
                text = event.env._("%(note)s Suggested strategy: %(strategy)s.", note=text, strategy=strategy.name)
            partner.activity_schedule(
                activity_xmlid,
                date_deadline=event._due_date(working_days),
                summary=label,
                note=f"{event.name}. {text}".strip(),
                user_id=assignee.id,
            )
        return True

    def _suggest_strategy(self, code=None):
        """Suggest a strategy on each event: the strategy of ``code``, or, without one, the strategy
        the portfolio mapped the customer to in the event's run (the run's line), else the
        Quadrant Strategies map of the quadrant the customer moved to."""
        Strategy = self.env["crm.relationship.strategy"].sudo().with_context(active_test=False)
        if code:
            strategy = Strategy.search([("code", "=", code)], limit=1)
            self.sudo().write({"suggested_strategy_id": strategy.id})
            return True
        lines = (
            self.env["crm.portfolio.line"]
            .sudo()
            .search([("analysis_id", "in", self.analysis_id.ids), ("partner_id", "in", self.partner_id.ids)])
        )
        by_line = {(line.analysis_id.id, line.partner_id.id): line.suggested_strategy_id for line in lines}
        maps = self.env["crm.portfolio.strategy.map"].sudo().search([])
        by_quadrant = {entry.quadrant: entry.strategy_id for entry in maps}
        for event in self.sudo():
            strategy = by_line.get((event.analysis_id.id, event.partner_id.id)) or by_quadrant.get(event.to_value)
            event.suggested_strategy_id = strategy or False
        return True

    # ------------------------------------------------------------------ user actions

    def action_apply_suggested_strategy(self):
        """Give each event's customer the suggested strategy (through the customer's strategy rules)."""
        if not self.suggested_strategy_id:
            raise UserError(self.env._("These events carry no Suggested Strategy: there is nothing to apply."))
        reason = self.env._("Suggested after a customer event")
        for event in self.filtered("suggested_strategy_id"):
            if event.partner_id.relationship_strategy_id != event.suggested_strategy_id:
                event.partner_id.write(
                    {
                        "relationship_strategy_id": event.suggested_strategy_id.id,
                        "relationship_strategy_reason": f"{reason}: {event.name}",
                    }
                )
        return True
