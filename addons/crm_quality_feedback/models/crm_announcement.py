import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .helpdesk_ticket import COMPLAINT_STEPS

ANNOUNCEMENT_KINDS = [
    ("maintenance", "Scheduled downtime or maintenance"),
    ("release", "Release or new feature"),
    ("training", "Training"),
    ("support_hours", "Support hours"),
]
ANNOUNCEMENT_STATES = [("draft", "Draft"), ("scheduled", "Scheduled"), ("sent", "Sent")]
# what the customers were told and who was chosen: fixed once the announcement is sent
SENT_FIELDS = (
    "name",
    "kind",
    "body",
    "date_start",
    "date_end",
    "company_id",
    "audience_tag_ids",
    "audience_service_tier",
    "audience_product_ids",
    "audience_complaint_product_ids",
)
# a complaint is open until its last step
OPEN_COMPLAINT_STEPS = tuple(code for code, _label in COMPLAINT_STEPS if code != "closed")


class CrmAnnouncement(models.Model):
    """A notice told to customers in advance (downtime, a release, training, support hours),
    mailed to an audience chosen by tag, service tier, product bought or open complaint, each
    mail with a link back where the customer answers: the feedback is kept on the announcement."""

    _name = "crm.announcement"
    _description = "Customer Announcement"
    _inherit = ["mail.thread", "crm.process.fields.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # sending is the process: only the buttons Schedule, Back to Draft and Send move these
    _process_fields = ("state", "sent_date")

    name = fields.Char(string="Subject", required=True, tracking=True, help="The subject of the mail.")
    kind = fields.Selection(
        ANNOUNCEMENT_KINDS,
        required=True,
        default="maintenance",
        tracking=True,
        help="What the customers are told about: downtime or maintenance, a release, training or support hours.",
    )
    body = fields.Html(required=True, help="The text of the mail, above the link where the customer answers.")
    date_start = fields.Datetime(string="Starts", help="When the downtime, release, training or support hours begin.")
    date_end = fields.Datetime(string="Ends", help="When they end; leave empty for a single moment.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    audience_tag_ids = fields.Many2many(
        "res.partner.category",
        "crm_announcement_partner_category_rel",
        "announcement_id",
        "category_id",
        string="Customer Tags",
        help="Customers carrying any of these tags (on the customer itself, not on its contacts).",
    )
    audience_service_tier = fields.Selection(
        selection="_selection_service_tier",
        string="Service Tier",
        help="Customers of this service tier.",
    )
    audience_product_ids = fields.Many2many(
        "product.product",
        "crm_announcement_product_rel",
        "announcement_id",
        "product_id",
        string="Bought Products",
        check_company=True,
        help="Customers with a confirmed sale order of any of these products.",
    )
    audience_complaint_product_ids = fields.Many2many(
        "product.product",
        "crm_announcement_complaint_product_rel",
        "announcement_id",
        "product_id",
        string="Open Complaints on",
        check_company=True,
        help="Customers with a complaint on any of these products that is not closed yet.",
    )
    audience_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_audience",
        string="Audience",
        help="The customers the announcement goes to: every criterion filled in must match (a customer "
        "with any of the tags, and of the tier, and ...), and the customer needs an e-mail address.",
    )
    audience_count = fields.Integer(compute="_compute_audience", string="Audience Size")
    state = fields.Selection(
        ANNOUNCEMENT_STATES, string="Status", required=True, default="draft", tracking=True, copy=False
    )
    scheduled_date = fields.Datetime(
        string="Send On", copy=False, help="When a scheduled announcement is mailed (checked every hour)."
    )
    sent_date = fields.Datetime(string="Sent On", readonly=True, copy=False)
    recipient_ids = fields.One2many("crm.announcement.recipient", "announcement_id", string="Recipients")
    recipient_count = fields.Integer(compute="_compute_answers", string="Recipients Count")
    answer_count = fields.Integer(compute="_compute_answers", string="Answers")
    answer_score = fields.Float(
        compute="_compute_answers", string="Average Rating", digits=(16, 2), help="The answers' rating, 1 to 5."
    )

    _sql_constraints = [
        (
            "dates_in_order",
            "CHECK(date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
            "Ends must not be before Starts: correct one of the two dates.",
        ),
    ]

    @api.model
    def _selection_service_tier(self):
        return self.env["res.partner"]._fields["service_tier"]._description_selection(self.env)

    def _process_field_hint(self, name, value):
        return self.env._("use the buttons Schedule, Back to Draft and Send Now.")

    # ------------------------------------------------------------------ audience

    def _audience_domain(self):
        """The customers this announcement is for, as one domain: the ORM makes it a single query
        with the orders and complaints as sub-queries."""
        self.ensure_one()
        domain = [
            ("active", "=", True),
            ("email", "!=", False),
            ("ref_company_ids", "=", False),  # not one of our own companies
            ("company_id", "in", [False, self.company_id.id]),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]
        Partner = self.env["res.partner"].sudo()
        company = [("company_id", "=", self.company_id.id)]
        if self.audience_tag_ids:
            domain.append(("category_id", "in", self.audience_tag_ids.ids))
        if self.audience_service_tier:
            domain.append(("service_tier", "=", self.audience_service_tier))
        if self.audience_product_ids:
            lines = (
                self.env["sale.order.line"]
                .sudo()
                ._search(company + [("state", "=", "sale"), ("product_id", "in", self.audience_product_ids.ids)])
            )
            # the person who ordered may have left since: his company still bought it
            buyers = Partner.with_context(active_test=False)._search(
                [("id", "in", lines.subselect("order_partner_id"))]
            )
            domain.append(("id", "in", buyers.subselect("commercial_partner_id")))
        if self.audience_complaint_product_ids:
            complaints = (
                self.env["helpdesk.ticket"]
                .sudo()
                ._search(
                    company
                    + [
                        ("is_complaint", "=", True),
                        ("complaint_step", "in", OPEN_COMPLAINT_STEPS),
                        ("product_id", "in", self.audience_complaint_product_ids.ids),
                    ]
                )
            )
            domain.append(("id", "in", complaints.subselect("commercial_partner_id")))
        return domain

    def _has_audience_criterion(self):
        self.ensure_one()
        return bool(
            self.audience_tag_ids
            or self.audience_service_tier
            or self.audience_product_ids
            or self.audience_complaint_product_ids
        )

    def _audience(self):
        """The customers (commercial partners) the announcement goes to; none without a criterion."""
        self.ensure_one()
        if not self._has_audience_criterion():
            return self.env["res.partner"]
        return self.env["res.partner"].sudo().search(self._audience_domain(), order="name, id").sudo(False)

    @api.depends(
        "company_id",
        "audience_tag_ids",
        "audience_service_tier",
        "audience_product_ids",
        "audience_complaint_product_ids",
        "state",
        "recipient_ids",
    )
    def _compute_audience(self):
        for announcement in self:
            if announcement.state == "sent":
                partners = announcement.recipient_ids.partner_id
            else:
                partners = announcement._audience()
            announcement.audience_partner_ids = partners
            announcement.audience_count = len(partners)

    @api.depends("recipient_ids")
    def _compute_answers(self):
        groups = self.env["crm.announcement.recipient"]._read_group(
            [("announcement_id", "in", self.ids)],
            ["announcement_id", "answered"],
            ["__count", "answer_score:sum"],
        )
        figures = {announcement.id: [0, 0, 0] for announcement in self}
        for announcement, answered, count, score_sum in groups:
            figures[announcement.id][0] += count
            if answered:
                figures[announcement.id][1:] = [count, score_sum]
        for announcement in self:
            count, answers, score_sum = figures.get(announcement.id, (0, 0, 0))
            announcement.recipient_count = count
            announcement.answer_count = answers
            # the average of the ratings given; a customer who did not answer gave none
            announcement.answer_score = score_sum / answers if answers else 0.0

    # ------------------------------------------------------------------ edits

    def write(self, vals):
        locked = [name for name in SENT_FIELDS if name in vals]
        if locked and any(announcement.state == "sent" for announcement in self):
            raise UserError(
                self.env._(
                    "%(field)s cannot change: the announcement was sent. Copy it (Duplicate) to send a new one.",
                    field=self._fields[locked[0]]._description_string(self.env),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(announcement.state == "sent" for announcement in self):
            raise UserError(
                self.env._("A sent announcement is kept with its answers: it cannot be deleted (Status: Sent).")
            )

    # ------------------------------------------------------------------ process

    def _check_sendable(self):
        for announcement in self:
            if announcement.state == "sent":
                raise UserError(
                    self.env._(
                        "%(name)s was already sent on %(date)s: an announcement is mailed once. "
                        "Duplicate it to send it again.",
                        name=announcement.name,
                        date=announcement.sent_date,
                    )
                )
            if not announcement._has_audience_criterion():
                raise UserError(
                    self.env._(
                        "%(name)s has no audience: choose Customer Tags, a Service Tier, Bought Products "
                        "or Open Complaints on.",
                        name=announcement.name,
                    )
                )

    def action_schedule(self):
        self._check_sendable()
        for announcement in self:
            if not announcement.scheduled_date:
                raise UserError(
                    self.env._("%(name)s: set Send On to schedule the announcement.", name=announcement.name)
                )
        self._process_write({"state": "scheduled"})
        return True

    def action_reset_draft(self):
        if any(announcement.state != "scheduled" for announcement in self):
            raise UserError(self.env._("Only a scheduled announcement goes back to draft (Status: Scheduled)."))
        self._process_write({"state": "draft"})
        return True

    def action_send(self):
        """Mail each customer of the audience once, log each mail on the customer's contact log."""
        self.check_access("write")
        self._check_sendable()
        # two clicks or a click and the scheduler: the second waits here, then finds it sent
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT id FROM crm_announcement WHERE id = ANY(%s) FOR UPDATE", self.ids))
        self.invalidate_recordset(["state", "sent_date"])
        self._check_sendable()
        for announcement in self:
            audience = announcement._audience()
            if not audience:
                raise UserError(
                    self.env._(
                        "%(name)s has no customer in its audience (with an e-mail address): widen the criteria.",
                        name=announcement.name,
                    )
                )
            announcement.with_company(announcement.company_id)._send_to(audience)
        self._process_write({"state": "sent", "sent_date": fields.Datetime.now()})
        return True

    def _send_to(self, partners):
        self.ensure_one()
        recipients = (
            self.env["crm.announcement.recipient"]
            .sudo()
            .create(
                [
                    {
                        "announcement_id": self.id,
                        "partner_id": partner.id,
                        "email": partner.email,
                        "access_token": str(uuid.uuid4()),
                    }
                    for partner in partners
                ]
            )
        )
        template = self.env.ref("crm_quality_feedback.mail_template_announcement").sudo()
        mails = template.send_mail_batch(recipients.ids)
        recipients._link_mails(mails)
        self.env["crm.contact.log"].sudo().create(
            [
                {
                    "company_id": self.company_id.id,
                    "partner_id": recipient.partner_id.id,
                    "channel": "email",
                    "direction": "outbound",
                    "summary": self.name,
                    "user_id": self.env.user.id,
                    "mail_message_id": recipient.mail_message_id.id,
                    "res_model": self._name,
                    "res_id": self.id,
                    "origin": "mail",
                }
                for recipient in recipients
            ]
        )
        return recipients

    @api.model
    def _cron_send_scheduled(self):
        due = self.search([("state", "=", "scheduled"), ("scheduled_date", "<=", fields.Datetime.now())])
        for announcement in due:
            # one announcement that can no longer be sent (its audience emptied since it was
            # scheduled) goes back to draft with the reason; the others are still sent
            try:
                with self.env.cr.savepoint():
                    announcement.action_send()
            except UserError as error:
                announcement._process_write({"state": "draft"})
                announcement.message_post(body=str(error))

    def action_open_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_quality_feedback.action_crm_announcement_answer")
        action["domain"] = [("announcement_id", "=", self.id), ("feedback_id", "!=", False)]
        action["context"] = {"create": False}
        return action

    def action_open_recipients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_quality_feedback.action_crm_announcement_answer")
        action["domain"] = [("announcement_id", "=", self.id)]
        action["context"] = {"create": False, "search_default_filter_answered": False}
        return action
