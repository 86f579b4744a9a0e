from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, is_html_empty, plaintext2html
from odoo.tools.translate import LazyTranslate

from ..tools.complaint_deadlines import (
    DEFAULT_INTERNAL_HOURS,
    DEFAULT_INTERNAL_TAIL_DAYS,
    DEFAULT_KEY_ACCOUNT_HOURS,
    DEFAULT_POLICY,
    DeadlinePolicy,
    NoWorkingDay,
    WorkingSchedule,
    complaint_deadlines,
    schedule_window_days,
)
from ..tools.third_party_waits import waiting_hours

_lt = LazyTranslate(__name__)

COMPLAINT_STEPS = [
    ("received", "Received"),
    ("acknowledged", "Acknowledged"),
    ("assessed", "Assessed"),
    ("investigated", "Investigated"),
    ("resolved", "Resolved"),
    ("follow_up", "Followed up"),
    ("closed", "Closed"),
]
SATISFACTION_SCORES = {"satisfied": 5, "neutral": 3, "dissatisfied": 1}
MAX_FOLLOW_UPS = 2
# The steps before the first answer: a complaint at one of them is open against its first deadline
# (the status mails of the cutoff SLA go out for the same steps).
UNRESOLVED_STEPS = ("received", "acknowledged", "assessed", "investigated")
SLA_STATUSES = [
    ("overdue", "Overdue"),
    ("due_today", "Due today"),
    ("on_track", "On track"),
    ("on_time", "On time"),
    ("late", "Late"),
]
# What the complaint process owns: only its step actions set these (in superuser mode, once the
# caller's own rights were checked), never a create, a write or an import, whoever sends it.
PROCESS_FIELDS = (
    "complaint_step",
    "complaint_number",
    "received_date",
    "acknowledged_date",
    "assessed_date",
    "resolved_date",
    "closed_complaint_date",
    "on_time",
    "first_deadline",
    "final_deadline",
    "follow_up_done",
    "follow_up_count",
    "customer_satisfaction",
    "reopen_count",
    "last_status_mail_date",
    "restitution_booked",
    "faq_entry_id",
    "customer_kind",
    "late_third_party_hours",
)
# The button that moves a complaint to each step (its label in the form).
STEP_ACTIONS = {
    "received": _lt("Complaint (tick it on a ticket)"),
    "acknowledged": _lt("Acknowledge"),
    "assessed": _lt("Assessed"),
    "investigated": _lt("Investigated"),
    "resolved": _lt("Resolve"),
    "follow_up": _lt("Mark the follow-up activity as done"),
    "closed": _lt("Satisfied or Neutral (the customer's answer)"),
}
# A mail's Date header further back than this is not trusted as its received time.
MAIL_DATE_MAX_AGE = timedelta(days=7)
# Fields only colleagues read: a portal customer sees his complaint's step, dates and answer.
INTERNAL = "base.group_user"
# Who reads the contacts with third parties: the agents who handle complaints (not the customer).
AGENTS = "helpdesk_mgmt.group_helpdesk_user"
CUSTOMER_KINDS = [("external", "External"), ("internal", "Internal")]


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "crm.process.fields.mixin"]
    _process_fields = PROCESS_FIELDS

    quality_action_ids = fields.Many2many(
        "crm.quality.action",
        "crm_quality_action_ticket_rel",
        "ticket_id",
        "action_id",
        string="Quality Actions",
        copy=False,
        groups=INTERNAL,
    )
    quality_cost_ids = fields.One2many("crm.quality.cost", "ticket_id", string="Costs of Quality", groups=INTERNAL)
    quality_action_count = fields.Integer(compute="_compute_quality_action_count", string="Actions", groups=INTERNAL)

    # ------------------------------------------------------------------ the complaint
    is_complaint = fields.Boolean(string="Complaint", index=True, tracking=True)
    complaint_number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    received_via = fields.Selection(
        [("mail", "E-mail"), ("portal", "Portal"), ("phone", "Phone"), ("in_person", "In person")], default="mail"
    )
    contact_reason = fields.Selection(
        [
            ("clarify", "Clarify instructions"),
            ("information", "Request information"),
            ("problem", "Point out a problem"),
            ("remedy", "Seek a remedy"),
        ]
    )
    remedy_sought = fields.Text()
    sale_order_id = fields.Many2one("sale.order", string="Order", check_company=True)
    invoice_id = fields.Many2one(
        "account.move",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund'))]",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    paraphrase = fields.Text(string="Customer's Words, Paraphrased", groups=INTERNAL)
    paraphrase_confirmed = fields.Boolean(string="Confirmed by the Customer", tracking=True)
    severity = fields.Selection(
        [("1", "Low"), ("2", "Medium"), ("3", "High"), ("4", "Critical")], tracking=True, groups=INTERNAL
    )
    complexity = fields.Selection([("1", "Simple"), ("2", "Moderate"), ("3", "Complex")], groups=INTERNAL)
    impact = fields.Text(help="What the problem costs the customer, and who else it affects.", groups=INTERNAL)
    immediate_action_needed = fields.Boolean(groups=INTERNAL)
    helper_ids = fields.Many2many(
        "res.users", string="Helpers", help="Colleagues who helped; the owner stays one.", groups=INTERNAL
    )
    complaint_step = fields.Selection(COMPLAINT_STEPS, default="received", tracking=True, copy=False, group_expand=True)
    complaint_sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA",
        compute="_compute_complaint_sla_status",
        search="_search_complaint_sla_status",
        help="Before the first answer: Overdue past the first deadline, Due today when it falls before "
        "midnight (your time zone), On track otherwise. Once resolved: On time when resolved by the "
        "first deadline, else Late.",
    )
    received_date = fields.Datetime(default=fields.Datetime.now, copy=False)
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    assessed_date = fields.Datetime(readonly=True, copy=False)
    resolved_date = fields.Datetime(readonly=True, copy=False)
    closed_complaint_date = fields.Datetime(string="Complaint Closed On", readonly=True, copy=False)
    response = fields.Html(string="Response to the Customer")
    remedy_offered = fields.Text()
    restitution_amount = fields.Monetary(
        currency_field="company_currency_id",
        help="Money given back or spent to put things right; booked as an external-failure cost and a "
        "cost to serve of the customer at resolution.",
        groups=INTERNAL,
    )
    restitution_booked = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        groups=INTERNAL,
        help="The part of the restitution already booked as cost of quality and cost to serve: resolving "
        "again after a reopening books only what was added since.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    first_deadline = fields.Datetime(readonly=True, copy=False, help="Due date of the first answer (cutoff rule).")
    final_deadline = fields.Datetime(readonly=True, copy=False, help="Every complaint closes by then.")
    on_time = fields.Boolean(readonly=True, copy=False, help="Resolved by the first deadline.")
    follow_up_count = fields.Integer(readonly=True, copy=False)
    follow_up_done = fields.Boolean(readonly=True, copy=False)
    customer_satisfaction = fields.Selection(
        [("satisfied", "Satisfied"), ("neutral", "Neutral"), ("dissatisfied", "Dissatisfied")],
        tracking=True,
        copy=False,
    )
    reopen_count = fields.Integer(readonly=True, copy=False, groups=INTERNAL)
    last_status_mail_date = fields.Date(readonly=True, copy=False, groups=INTERNAL)
    faq_entry_id = fields.Many2one(
        "crm.faq.entry",
        string="Answered by FAQ",
        readonly=True,
        copy=False,
        ondelete="restrict",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        help="The published FAQ entry that answered the complaint: set by the action Answered by FAQ, which closes it "
        "(the entry cannot be deleted then: withdraw it).",
    )

    # ------------------------------------------------------------------ internal customers
    customer_kind = fields.Selection(
        CUSTOMER_KINDS,
        compute="_compute_customer_kind",
        store=True,
        index=True,
        groups=INTERNAL,
        help="Internal when the customer is a colleague (an internal user's contact) or an internal "
        "department (a contact of one of our companies): the complaint follows the team's policy for "
        "internal customers, and the reports count it apart from the external ones. Follows the "
        "Customer; nobody sets it by hand.",
    )

    # ------------------------------------------------------------------ third parties
    third_party_contact_ids = fields.One2many(
        "crm.complaint.third.party.contact", "ticket_id", string="Third-Party Contacts", groups=AGENTS
    )
    third_party_hours = fields.Float(
        string="Waited for Third Parties (hours)",
        compute="_compute_third_party_hours",
        digits=(16, 1),
        groups=AGENTS,
        help="Calendar hours the complaint waited for third parties, overlapping waits counted once; a "
        "request without an answer counts until now, or until the complaint was resolved.",
    )
    late_third_party_hours = fields.Float(
        string="Late Hours Waiting for Third Parties",
        compute="_compute_late_third_party_hours",
        store=True,
        digits=(16, 1),
        groups=INTERNAL,
        help="Of the time between the first deadline and a late answer, the hours spent waiting for third "
        "parties (overlapping waits counted once).",
    )

    # ------------------------------------------------------------------ root cause
    trace_ids = fields.One2many("crm.complaint.trace", "ticket_id", string="Root-Cause Trace", groups=INTERNAL)
    cause_category_id = fields.Many2one("crm.complaint.cause.category", tracking=True, groups=INTERNAL)
    customer_department_id = fields.Many2one(
        "crm.quality.department",
        string="Department the Customer Dealt With",
        groups=INTERNAL,
    )
    source_department_id = fields.Many2one(
        "crm.quality.department", compute="_compute_internal_gap", store=True, groups=INTERNAL
    )
    internal_gap = fields.Boolean(
        compute="_compute_internal_gap",
        store=True,
        help="The problem arose in another department than the one the customer dealt with.",
        groups=INTERNAL,
    )
    service_blueprint_id = fields.Many2one(
        "crm.service.blueprint",
        string="Service",
        compute="_compute_service_blueprint_id",
        store=True,
        readonly=False,
        check_company=True,
        index="btree_not_null",
        groups=INTERNAL,
        help="The service blueprint whose steps the root-cause trace picks from: the first blueprint of "
        "the company naming the complaint's product or its category, else its team.",
    )
    source_step_id = fields.Many2one(
        "crm.service.blueprint.step",
        string="Source Process Step",
        compute="_compute_source_step_id",
        store=True,
        index="btree_not_null",
        groups=INTERNAL,
        help="The process step of the trace marked as the source of the problem.",
    )
    recurring_customer_count = fields.Integer(
        compute="_compute_recurring", string="Other Complaints of the Customer (12 months)", groups=INTERNAL
    )
    recurring_product_count = fields.Integer(
        compute="_compute_recurring", string="Other Complaints on the Product (12 months)", groups=INTERNAL
    )

    _sql_constraints = [
        (
            "restitution_not_negative",
            "CHECK(restitution_amount >= 0)",
            "A Restitution cannot be negative: enter 0 or more.",
        ),
    ]

    @api.constrains("company_id", "sale_order_id", "invoice_id", "product_id")
    def _check_complaint_documents_company(self):
        """The order, invoice and product a complaint is about belong to the complaint's company
        (helpdesk tickets do not check their links' companies themselves)."""
        self._check_company(["sale_order_id", "invoice_id", "product_id"])

    @api.depends("trace_ids.is_source", "trace_ids.department_id", "customer_department_id")
    def _compute_internal_gap(self):
        for ticket in self:
            source = ticket.trace_ids.filtered("is_source")[:1].department_id
            ticket.source_department_id = source
            ticket.internal_gap = bool(
                source and ticket.customer_department_id and source != ticket.customer_department_id
            )

    @api.depends("product_id", "team_id", "company_id")
    def _compute_service_blueprint_id(self):
        """The first blueprint (in order) of the complaint's company naming its product, then its
        product's category or a parent of it, then its team; a complaint none names keeps its own
        (if of its company)."""
        # sudo: a helpdesk agent without quality rights files complaints too; same company only
        blueprints = (
            self.env["crm.service.blueprint"].sudo().search([("company_id", "in", self.company_id.ids)])
            if self.company_id
            else self.env["crm.service.blueprint"]
        )
        for ticket in self:
            own = blueprints.filtered(lambda b, t=ticket: b.company_id == t.company_id)
            product, categories = ticket.product_id, ticket.product_id.categ_id
            while categories[-1:].parent_id:
                categories |= categories[-1].parent_id
            match = (
                (product and own.filtered(lambda b, p=product: p in b.product_ids)[:1])
                or (product and own.filtered(lambda b, c=categories: b.product_categ_ids & c)[:1])
                or (ticket.team_id and own.filtered(lambda b, t=ticket: b.team_id == t.team_id)[:1])
            )
            kept = ticket.service_blueprint_id.filtered(lambda b, t=ticket: b.company_id == t.company_id)
            ticket.service_blueprint_id = match or kept

    @api.constrains("company_id", "service_blueprint_id")
    def _check_service_blueprint_company(self):
        for ticket in self.sudo().filtered("service_blueprint_id"):
            if ticket.service_blueprint_id.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "Service: %(service)s is a service blueprint of another company than complaint "
                        "%(complaint)s. Choose a blueprint of %(company)s.",
                        service=ticket.service_blueprint_id.name,
                        complaint=ticket.display_name,
                        company=ticket.company_id.name,
                    )
                )

    @api.depends("trace_ids.is_source", "trace_ids.blueprint_step_id")
    def _compute_source_step_id(self):
        for ticket in self:
            ticket.source_step_id = ticket.trace_ids.filtered("is_source")[:1].blueprint_step_id

    def _compute_recurring(self):
        since = fields.Datetime.now() - timedelta(days=365)
        complaints = self.filtered("is_complaint")
        # sudo: the counts show to users without helpdesk rights, but only their companies' complaints
        domain = [
            ("is_complaint", "=", True),
            ("received_date", ">=", since),
            ("company_id", "in", self.env.companies.ids),
        ]
        by_customer = dict(
            self.sudo()._read_group(
                domain + [("commercial_partner_id", "in", complaints.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        by_product = dict(
            self.sudo()._read_group(
                domain + [("product_id", "in", complaints.product_id.ids)], ["product_id"], ["__count"]
            )
        )
        for ticket in self:
            own = 1 if ticket.is_complaint else 0
            ticket.recurring_customer_count = max(by_customer.get(ticket.commercial_partner_id, 0) - own, 0)
            ticket.recurring_product_count = (
                max(by_product.get(ticket.product_id, 0) - own, 0) if ticket.product_id else 0
            )

    @api.depends(
        "partner_id.commercial_partner_id",
        "partner_id.commercial_partner_id.ref_company_ids",
        "partner_id.user_ids.share",
    )
    def _compute_customer_kind(self):
        """A colleague is the contact of an internal (not portal) user, active or not; an internal
        department is a contact of one of our companies (e.g. "My Company, Warehouse"), active or
        not. Both are plain contacts, so the portal and mail intake serve them as any customer."""
        for ticket in self:
            partner = ticket.partner_id.sudo().with_context(active_test=False)
            colleague = any(not user.share for user in partner.user_ids)
            internal = partner and (colleague or bool(partner.commercial_partner_id.ref_company_ids))
            ticket.customer_kind = "internal" if internal else "external"

    def _third_party_requests(self):
        return [(contact.asked_at, contact.answered_at) for contact in self.sudo().third_party_contact_ids]

    @api.depends("third_party_contact_ids.asked_at", "third_party_contact_ids.answered_at", "resolved_date")
    def _compute_third_party_hours(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.third_party_hours = waiting_hours(ticket._third_party_requests(), ticket.resolved_date or now)

    @api.depends(
        "third_party_contact_ids.asked_at", "third_party_contact_ids.answered_at", "resolved_date", "first_deadline"
    )
    def _compute_late_third_party_hours(self):
        for ticket in self:
            resolved, deadline = ticket.resolved_date, ticket.first_deadline
            late = bool(resolved and deadline and resolved > deadline)
            ticket.late_third_party_hours = (
                waiting_hours(ticket._third_party_requests(), resolved, window=(deadline, resolved)) if late else 0.0
            )

    def _compute_quality_action_count(self):
        for ticket in self:
            ticket.quality_action_count = len(ticket.quality_action_ids)

    # ------------------------------------------------------------------ what the complaint screens show

    def _complaint_sla_instants(self):
        """Now, and the end of today in the user's time zone, both as naive UTC like the deadlines."""
        now = fields.Datetime.now()
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        tomorrow = pytz.utc.localize(now).astimezone(tz).date() + timedelta(days=1)
        end_of_today = tz.localize(datetime.combine(tomorrow, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        return now, end_of_today

    @api.model
    def _complaint_sla_domains(self):
        """The domain of each SLA status: the one definition the column and the filters share."""
        now, end_of_today = self._complaint_sla_instants()
        unresolved = [("is_complaint", "=", True), ("complaint_step", "in", UNRESOLVED_STEPS)]
        resolved = [("is_complaint", "=", True), ("complaint_step", "not in", UNRESOLVED_STEPS)]
        return {
            "overdue": unresolved + [("first_deadline", "<", now)],
            "due_today": unresolved + [("first_deadline", ">=", now), ("first_deadline", "<", end_of_today)],
            "on_track": unresolved + [("first_deadline", ">=", end_of_today)],
            "on_time": resolved + [("on_time", "=", True)],
            "late": resolved + [("on_time", "=", False)],
        }

    @api.depends("is_complaint", "complaint_step", "first_deadline", "on_time")
    @api.depends_context("tz", "uid")
    def _compute_complaint_sla_status(self):
        now, end_of_today = self._complaint_sla_instants()
        for ticket in self:
            deadline = ticket.first_deadline
            if not ticket.is_complaint:
                status = False
            elif ticket.complaint_step not in UNRESOLVED_STEPS:
                status = "on_time" if ticket.on_time else "late"
            elif not deadline:
                status = False
            elif deadline < now:
                status = "overdue"
            elif deadline < end_of_today:
                status = "due_today"
            else:
                status = "on_track"
            ticket.complaint_sla_status = status

    def _search_complaint_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(self.env._("The SLA status can only be searched for equal values."))
        wanted = {value} if operator in ("=", "!=") else set(value)
        domains = self._complaint_sla_domains()
        matching = expression.OR(
            [domain for status, domain in domains.items() if status in wanted] or [expression.FALSE_DOMAIN]
        )
        if False in wanted:
            matching = expression.OR([matching, ["!"] + expression.OR(list(domains.values()))])
        return ["!"] + matching if operator in ("!=", "not in") else matching

    # ------------------------------------------------------------------ creation and ownership

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered("is_complaint")._start_complaint()
        return tickets

    def write(self, vals):
        if "user_id" in vals:
            new_owner = self.env["res.users"].browse(vals["user_id"])
            for ticket in self.filtered(lambda t: t.is_complaint and t.user_id and t.user_id != new_owner):
                ticket.message_post(
                    body=self.env._(
                        "Complaint transferred from %(old)s to %(new)s.",
                        old=ticket.user_id.name,
                        new=new_owner.name or self.env._("nobody"),
                    )
                )
        starting = self.filtered(lambda t: not t.is_complaint) if vals.get("is_complaint") else self.browse()
        kinds = {ticket: ticket.sudo().customer_kind for ticket in self} if "partner_id" in vals else {}
        result = super().write(vals)
        starting._start_complaint()
        # a new customer of another kind (a colleague instead of a customer): the other policy
        changed = self.browse([t.id for t, kind in kinds.items() if t.sudo().customer_kind != kind]) - starting
        changed.filtered(lambda t: t.is_complaint and not t.resolved_date)._recompute_complaint_deadlines()
        return result

    def _process_field_hint(self, name, value):
        if name == "customer_kind":
            return self.env._(
                "it follows the Customer: a colleague's contact or one of our companies' contacts makes the "
                "complaint internal; change the Customer instead."
            )
        if name == "late_third_party_hours":
            return self.env._("it is computed from the Third-Party Contacts; record the contacts instead.")
        if name == "complaint_step" and value in STEP_ACTIONS:
            return self.env._("use the button %(action)s.", action=str(STEP_ACTIONS[value]))
        return self.env._(
            "use the complaint's step buttons (Acknowledge, Assessed, Investigated, Resolve, the customer's answer)."
        )

    def _portal_user_may_access(self, user):
        """A customer logged in on the portal reaches only his own company's tickets, whatever
        link or token he holds; colleagues and anonymous holders of a mailed link are not limited
        here (their rights and the token are checked by the portal)."""
        self.ensure_one()
        return not user.share or user._is_public() or self.commercial_partner_id == user.commercial_partner_id

    def _portal_time_zone(self):
        """The time zone the customer reads his complaint's dates in: his own, else his company's,
        else our company's, else the team's calendar's."""
        self.ensure_one()
        return (
            self.partner_id.tz
            or self.commercial_partner_id.tz
            or self.company_id.partner_id.tz
            or self._complaint_calendar().tz
            or "UTC"
        )

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """Posting, reading messages and uploading attachments on a ticket go through here."""
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        if thread and not thread.sudo()._portal_user_may_access(self.env.user):
            return self.browse()
        return thread

    def _start_complaint(self):
        for ticket in self:
            values = {"received_date": ticket.received_date or fields.Datetime.now()}
            if not ticket.complaint_number:
                values["complaint_number"] = self.env["ir.sequence"].sudo().next_by_code("crm.quality.complaint")
            ticket.sudo().write(values)
        self._recompute_complaint_deadlines()

    def _turn_into_complaint(self, received_date=None, received_via=None):
        """Make ordinary tickets complaints through the process. The received time is when the
        customer wrote (the mail's date, else the ticket's creation), so the SLA counts from then
        and not from the moment somebody noticed it was a complaint."""
        for ticket in self:
            ticket._process_write({"received_date": received_date or ticket.create_date})
        values = {"is_complaint": True}
        if received_via:
            values["received_via"] = received_via
        self.write(values)  # starts the complaint: its number and deadlines from the received time

    @api.model
    def _mail_received_date(self, msg_dict):
        """When the customer sent the mail: its Date header (UTC), unless the date is in the future or
        older than MAIL_DATE_MAX_AGE (a wrong clock or a forged header), then the time we got it."""
        now = fields.Datetime.now()
        try:
            sent = fields.Datetime.to_datetime(msg_dict.get("date"))
        except (TypeError, ValueError):
            sent = None
        return sent if sent and now - MAIL_DATE_MAX_AGE <= sent <= now else now

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a complaint team's alias is a complaint: received by mail at the mail's time,
        numbered, given its deadlines and acknowledged to the customer at once. The alias's defaults
        never set what the complaint process owns."""
        values = {key: value for key, value in (custom_values or {}).items() if key not in PROCESS_FIELDS}
        as_complaint = values.pop("is_complaint", False)
        ticket = super().message_new(msg_dict, custom_values=values)
        if as_complaint or ticket.team_id.mail_complaints:
            ticket._turn_into_complaint(self._mail_received_date(msg_dict), received_via="mail")
            ticket.action_acknowledge()
        return ticket

    # ------------------------------------------------------------------ SLA: the cutoff rule

    def _complaint_calendar(self):
        return (
            self.team_id.resource_calendar_id
            or self.company_id.resource_calendar_id
            or self.env.ref("resource.resource_calendar_std")
        )

    @api.model
    def _working_schedule(self, calendar, start_utc, end_utc):
        """The calendar's working time (its leaves and public holidays taken out) between two UTC
        instants, read once for many complaints."""
        tz = pytz.timezone(calendar.tz or "UTC")
        local_start = pytz.utc.localize(start_utc).astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
        local_end = pytz.utc.localize(end_utc).astimezone(tz) + timedelta(days=1)
        intervals = calendar._work_intervals_batch(local_start, local_end)[False]
        return WorkingSchedule.from_intervals(tz, [(start, stop) for start, stop, _meta in intervals])

    def _recompute_complaint_deadlines(self):
        """Deadlines of many complaints in a fixed number of queries: one read of the tickets with
        their team's policy, one calendar read per calendar, one UPDATE."""
        if not self:
            return
        self.env.flush_all()  # the read below is plain SQL over tickets, teams and customers
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, t.received_date, COALESCE(team.resource_calendar_id, company.resource_calendar_id),
                       COALESCE(team.complaint_cutoff_hour, %(cutoff)s),
                       COALESCE(team.complaint_next_day_hour, %(next_day)s),
                       CASE WHEN t.customer_kind = 'internal'
                            THEN COALESCE(team.complaint_internal_tail_days, %(internal_tail)s)
                            ELSE COALESCE(team.complaint_long_tail_days, %(tail)s) END,
                       CASE WHEN customer.service_tier = 'key'
                            THEN COALESCE(team.complaint_key_hours, %(key_hours)s) ELSE 0 END,
                       CASE WHEN t.customer_kind = 'internal'
                            THEN COALESCE(team.complaint_internal_hours, %(internal_hours)s) ELSE 0 END
                FROM helpdesk_ticket t
                JOIN res_company company ON company.id = t.company_id
                LEFT JOIN helpdesk_ticket_team team ON team.id = t.team_id
                LEFT JOIN res_partner contact ON contact.id = t.partner_id
                LEFT JOIN res_partner customer ON customer.id = contact.commercial_partner_id
                WHERE t.id = ANY(%(ids)s) AND t.is_complaint AND t.received_date IS NOT NULL
                """,
                cutoff=DEFAULT_POLICY.cutoff_hour,
                next_day=DEFAULT_POLICY.next_day_hour,
                tail=DEFAULT_POLICY.tail_days,
                key_hours=DEFAULT_KEY_ACCOUNT_HOURS,
                internal_tail=DEFAULT_INTERNAL_TAIL_DAYS,
                internal_hours=DEFAULT_INTERNAL_HOURS,
                ids=self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        default_calendar = self.env.ref("resource.resource_calendar_std").id
        by_calendar = {}
        for row in rows:
            by_calendar.setdefault(row[2] or default_calendar, []).append(row)
        ids, firsts, finals = [], [], []
        for calendar_id, tickets in by_calendar.items():
            calendar = self.env["resource.calendar"].browse(calendar_id)
            window = timedelta(days=schedule_window_days(max(row[5] for row in tickets)))
            received = [row[1] for row in tickets]
            schedule = self._working_schedule(calendar, min(received), max(received) + window)
            for ticket_id, received_date, _calendar, cutoff, next_day, tail, key_hours, answer_hours in tickets:
                policy = DeadlinePolicy(
                    cutoff_hour=cutoff,
                    next_day_hour=next_day,
                    tail_days=tail,
                    key_hours=key_hours,
                    answer_hours=answer_hours,
                )
                try:
                    first, final = complaint_deadlines(received_date, schedule, policy)
                except NoWorkingDay as no_day:
                    raise UserError(
                        self.env._(
                            "The working calendar %(calendar)s has no working day in the weeks after %(date)s, so no "
                            "complaint deadline can be set: give it working hours, or give the team another "
                            "Working Calendar.",
                            calendar=calendar.sudo().display_name,
                            date=no_day.args[0],
                        )
                    ) from None
                ids.append(ticket_id)
                firsts.append(first)
                finals.append(final)
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t SET first_deadline = v.first_deadline, final_deadline = v.final_deadline
            FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[]) AS v(id, first_deadline, final_deadline)
            WHERE t.id = v.id
            """,
            [ids, firsts, finals],
        )
        self.browse(ids).invalidate_recordset(["first_deadline", "final_deadline"])

    @api.model
    def _recompute_open_complaints(self, domain):
        """After a change of calendar or policy: new deadlines for the complaints not resolved yet."""
        open_complaints = self.sudo().search(
            domain + [("is_complaint", "=", True), ("resolved_date", "=", False), ("received_date", "!=", False)]
        )
        open_complaints._recompute_complaint_deadlines()
        return open_complaints

    # ------------------------------------------------------------------ status mails

    @api.model
    def _cron_complaint_status_mails(self):
        """Tell the customer where his complaint stands, once a working day, while it is past its
        first deadline and not resolved."""
        today = fields.Date.context_today(self)
        late = self.search(
            self._complaint_sla_domains()["overdue"]
            + ["|", ("last_status_mail_date", "=", False), ("last_status_mail_date", "<", today)]
        )
        if today.weekday() >= 5 or not late:
            return
        template = self.env.ref("crm_quality_feedback.mail_template_complaint_status")
        for ticket in late:
            ticket.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        late.sudo().write({"last_status_mail_date": today})

    # ------------------------------------------------------------------ the ISO 10002 steps

    def _require_step(self, *steps):
        for ticket in self:
            if not ticket.is_complaint or ticket.complaint_step not in steps:
                labels = dict(COMPLAINT_STEPS)
                raise UserError(
                    self.env._(
                        "%(ticket)s is at step '%(step)s'; this needs a complaint at step %(steps)s.",
                        ticket=ticket.display_name,
                        step=labels.get(ticket.complaint_step, "-"),
                        steps=", ".join(labels[step] for step in steps),
                    )
                )

    def action_turn_into_complaint(self):
        """An agent turns an ordinary ticket into a complaint: it keeps the time the ticket was
        received, so the complaint's deadlines count from when the customer first wrote."""
        self.check_access("write")
        for ticket in self:
            if ticket.is_complaint:
                raise UserError(self.env._("%(ticket)s is already a complaint.", ticket=ticket.display_name))
        self._turn_into_complaint()
        return True

    def action_acknowledge(self):
        self._require_step("received")
        template = self.env.ref("crm_quality_feedback.mail_template_complaint_acknowledgement")
        for ticket in self:
            ticket._process_write({"complaint_step": "acknowledged", "acknowledged_date": fields.Datetime.now()})
            ticket.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def action_assess(self):
        self._require_step("acknowledged")
        for ticket in self:
            if not (ticket.severity and ticket.complexity):
                raise UserError(
                    self.env._(
                        "Set the Severity and the Complexity of %(ticket)s to assess it.", ticket=ticket.display_name
                    )
                )
        self._process_write({"complaint_step": "assessed", "assessed_date": fields.Datetime.now()})

    def action_investigate(self):
        self._require_step("assessed")
        self._process_write({"complaint_step": "investigated"})

    def action_resolve(self):
        self._require_step("investigated")
        for ticket in self:
            ticket._check_restitution_not_below_booked()
            if not (ticket.response or ticket.remedy_offered):
                raise UserError(
                    self.env._(
                        "Write the Response to the Customer or the Remedy Offered before resolving %(ticket)s.",
                        ticket=ticket.display_name,
                    )
                )
            ticket._process_write({"complaint_step": "resolved", **ticket._resolution_values(fields.Datetime.now())})
            ticket._book_restitution()
            ticket._schedule_follow_up()

    def _resolution_values(self, now):
        """The values of a complaint resolved at ``now``: on time when by its first deadline."""
        self.ensure_one()
        return {"resolved_date": now, "on_time": bool(self.first_deadline and now <= self.first_deadline)}

    def _book_restitution(self):
        """A restitution is an external failure for quality and a cost to serve of the customer.
        Only what was not booked yet is booked: resolving again after a reopening adds the increase,
        never the same amount twice (``action_resolve`` has refused a restitution below what was
        booked before writing anything)."""
        to_book = self.restitution_amount - self.restitution_booked
        if self.company_currency_id.is_zero(to_book):
            return
        customer = self.partner_id.commercial_partner_id
        label = self.env._("Restitution on complaint %(number)s", number=self.complaint_number)
        self.env["crm.quality.cost"].sudo().create(
            {
                "name": label,
                "category": "external_failure",
                "amount": to_book,
                "partner_id": customer.id,
                "ticket_id": self.id,
                "company_id": self.company_id.id,
            }
        )
        if customer:
            self.env["crm.customer.cost"].sudo().create(
                {
                    "name": label,
                    "partner_id": customer.id,
                    "cost_type": "communication_support",
                    "amount": to_book,
                    "company_id": self.company_id.id,
                    "origin_ref": f"helpdesk.ticket,{self.id}",
                }
            )
        self._process_write({"restitution_booked": self.restitution_amount})

    def _check_restitution_not_below_booked(self):
        if self.company_currency_id.compare_amounts(self.restitution_amount, self.restitution_booked) < 0:
            raise UserError(
                self.env._(
                    "%(amount)s of restitution was already booked on %(ticket)s: the Restitution cannot go "
                    "below it. Enter %(amount)s or more.",
                    amount=self.restitution_booked,
                    ticket=self.display_name,
                )
            )

    def _schedule_follow_up(self):
        """A follow-up call, due one working day after resolution. The owner makes at most
        MAX_FOLLOW_UPS of them; past that the call is escalated to the team leader (or a quality
        manager), who closes the complaint with the customer's answer: it is never stuck."""
        now = fields.Datetime.now()
        schedule = self._working_schedule(self._complaint_calendar(), now, now + timedelta(days=14))
        due = next((day for day in schedule.days if day > fields.Date.context_today(self)), None)
        if not due:
            raise UserError(
                self.env._(
                    "The working calendar of %(ticket)s has no working day in the next two weeks: give the "
                    "team a calendar with working days to schedule the follow-up.",
                    ticket=self.display_name,
                )
            )
        if self.follow_up_count < MAX_FOLLOW_UPS:
            caller = self.user_id or self.env.user
            summary = False
        else:
            caller = self._escalation_manager()
            # in the manager's language, not the agent's
            summary = self.with_context(lang=caller.lang or self.env.lang).env._(
                "Follow-up limit reached: escalated to you to close with the customer"
            )
            self.message_post(
                body=self.env._(
                    "%(count)s follow-ups were made already: the next one is escalated to %(manager)s.",
                    count=self.follow_up_count,
                    manager=caller.name,
                )
            )
        self.activity_schedule(
            "crm_quality_feedback.mail_activity_type_complaint_follow_up",
            date_deadline=due,
            user_id=caller.id,
            summary=summary,
        )
        self._process_write({"follow_up_count": self.follow_up_count + 1})

    def _escalation_manager(self):
        """Who decides on a complaint past the follow-up limit: the team leader, else a quality
        manager of the company, else the owner."""
        managers = (
            self.env.ref("crm_quality_feedback.group_quality_manager")
            .sudo()
            .users.filtered(lambda user: not user.share and self.company_id in user.company_ids and user.active)
        )
        return self.team_id.user_id or managers[:1] or self.user_id or self.env.user

    def _follow_up_done(self):
        self.filtered(lambda t: t.complaint_step == "resolved").sudo().write(
            {"complaint_step": "follow_up", "follow_up_done": True}
        )

    def _answer_follow_up(self, satisfaction, note=None):
        """The customer's answer to the follow-up (from the portal, or taken by phone): the
        follow-up is done, the satisfaction recorded, and the complaint closed, or reopened when
        dissatisfied."""
        self.ensure_one()
        follow_up = self.env.ref("crm_quality_feedback.mail_activity_type_complaint_follow_up")
        self.activity_ids.filtered(lambda a: a.activity_type_id == follow_up).action_feedback(
            feedback=note or self.env._("Answered by the customer on the portal")
        )
        self._follow_up_done()
        self._process_write({"customer_satisfaction": satisfaction})
        self.action_close_complaint()

    def _action_answer(self, satisfaction):
        self._require_step("resolved", "follow_up")
        self._require_customer()
        for ticket in self:
            ticket._answer_follow_up(satisfaction, note=self.env._("Answer taken by %(user)s", user=self.env.user.name))
        return True

    def _require_customer(self):
        for ticket in self:
            if not ticket.partner_id:
                raise UserError(
                    self.env._(
                        "%(ticket)s has no Customer: set the customer who complained before closing it, so that "
                        "the answer is recorded as his feedback.",
                        ticket=ticket.display_name,
                    )
                )

    def action_answer_satisfied(self):
        """The customer says he is satisfied: the complaint closes."""
        return self._action_answer("satisfied")

    def action_answer_neutral(self):
        """The customer is neither satisfied nor dissatisfied: the complaint closes."""
        return self._action_answer("neutral")

    def action_answer_dissatisfied(self):
        """The customer is dissatisfied: the complaint is investigated again."""
        return self._action_answer("dissatisfied")

    def action_close_complaint(self):
        self._require_step("follow_up")
        for ticket in self:
            if not ticket.follow_up_done:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot be closed before its follow-up with the customer is done.",
                        ticket=ticket.display_name,
                    )
                )
            if not ticket.customer_satisfaction:
                raise UserError(
                    self.env._(
                        "Record the customer's answer on %(ticket)s (Satisfied, Neutral or Dissatisfied) before "
                        "closing it.",
                        ticket=ticket.display_name,
                    )
                )
        self._require_customer()
        # past the follow-up limit a dissatisfied answer closes the complaint (escalated, recorded)
        # instead of reopening it once more: the process always ends
        dissatisfied = self.filtered(
            lambda t: t.customer_satisfaction == "dissatisfied" and t.follow_up_count <= MAX_FOLLOW_UPS
        )
        for ticket in self:
            ticket._record_satisfaction_feedback()
        for ticket in dissatisfied:
            ticket._process_write(
                {
                    "complaint_step": "investigated",
                    "follow_up_done": False,
                    "customer_satisfaction": False,
                    "reopen_count": ticket.reopen_count + 1,
                },
            )
            ticket.message_post(body=self.env._("The customer is dissatisfied: the complaint is reopened."))
        closed = self - dissatisfied
        if closed:
            closed._process_write({"complaint_step": "closed", "closed_complaint_date": fields.Datetime.now()})
            closed._move_to_closed_stage()
        return True

    def _move_to_closed_stage(self):
        """The helpdesk stage follows the complaint's closure: the first closing stage among the
        stages helpdesk_mgmt applies to the ticket's team and company, one search per team."""
        for (team, company), tickets in self.grouped(lambda ticket: (ticket.team_id, ticket.company_id)).items():
            stage = team.with_company(company)._get_applicable_stages().filtered("closed")[:1]
            if stage:
                tickets.stage_id = stage

    def _record_satisfaction_feedback(self):
        self.env["crm.customer.feedback"].sudo().create(
            {
                "partner_id": self.partner_id.id,
                "respondent_role": "user",
                "score": SATISFACTION_SCORES[self.customer_satisfaction],
                "ticket_id": self.id,
                "company_id": self.company_id.id,
                "comment": self.env._("Answer to the follow-up of complaint %(number)s", number=self.complaint_number),
            }
        )

    def action_view_quality_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_quality_feedback.action_crm_quality_action")
        action["domain"] = [("id", "in", self.quality_action_ids.ids)]
        action["context"] = {"default_ticket_ids": [self.id]}
        return action

    # ------------------------------------------------------------------ FAQ

    def action_propose_faq(self):
        """An agent proposes the answer of a resolved complaint as an FAQ entry: a draft, which a
        quality user reviews (the customer's name or order comes out) and publishes."""
        self.ensure_one()
        self._require_step("resolved", "follow_up", "closed")
        answer = self.response if not is_html_empty(self.response) else plaintext2html(self.remedy_offered or "")
        if is_html_empty(answer):
            raise UserError(
                self.env._(
                    "%(ticket)s has no Response to the Customer nor Remedy Offered: write the answer before "
                    "proposing it as an FAQ entry.",
                    ticket=self.display_name,
                )
            )
        entry = self.env["crm.faq.entry"].create(
            {
                "name": self.name,
                "answer": answer,
                "product_id": self.product_id.id,
                "cause_category_id": self.sudo().cause_category_id.id,
                "company_id": self.company_id.id,
                "ticket_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.faq.entry",
            "res_id": entry.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_answered_by_faq(self):
        """Answered by FAQ: pick the published entry that answers the complaint."""
        self.ensure_one()
        self.check_access("write")
        self._require_step(*UNRESOLVED_STEPS)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Answered by FAQ"),
            "res_model": "crm.faq.answer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _answer_by_faq(self, entry):
        """Close a complaint not answered yet by a published entry of its company: the entry's
        answer is the response, sent to the customer; the complaint is resolved (on time or not,
        against its first deadline) and closed at once. Routine requests end here, without a
        follow-up call; the reports count these complaints apart."""
        self.ensure_one()
        self._require_step(*UNRESOLVED_STEPS)
        entry = entry.exists()
        if len(entry) != 1 or entry.state != "published" or entry.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "FAQ Entry: choose a published entry of %(company)s to answer %(ticket)s.",
                    company=self.company_id.name,
                    ticket=self.display_name,
                )
            )
        now = fields.Datetime.now()
        self.response = entry.answer
        self._process_write(
            {
                "faq_entry_id": entry.id,
                "acknowledged_date": self.acknowledged_date or now,
                **self._resolution_values(now),
                "complaint_step": "closed",
                "closed_complaint_date": now,
            }
        )
        self.message_post(
            body=Markup("<p>%s</p><p><strong>%s</strong></p>%s")
            % (self.env._("Our FAQ answers your complaint:"), entry.name, entry.answer),
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self._move_to_closed_stage()
        return True
