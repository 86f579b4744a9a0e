from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime

THIRD_PARTY_ROLES = [
    ("supplier", "Supplier"),
    ("carrier", "Carrier"),
    ("software_vendor", "Software vendor"),
    ("other", "Other"),
]


class CrmComplaintThirdPartyContact(models.Model):
    """One contact with a third party that a complaint had to wait for: what was asked of a
    supplier, a carrier or a software vendor, when, and when and what it answered.

    Every contact is recorded with the times of the request and of its answer (the literature's
    rule). The contacts are internal information: colleagues handling complaints read them, the
    customer on the portal does not (no portal access, and the complaint's chatter logs them as
    internal notes). The complaint adds the waits up as a union: two requests open at the same
    time make it wait once."""

    _name = "crm.complaint.third.party.contact"
    _description = "Complaint Third-Party Contact"
    _inherit = ["crm.company.child.mixin"]
    _order = "ticket_id, asked_at, id"
    _rec_name = "partner_id"
    _company_parent = "ticket_id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('is_complaint', '=', True)]",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Third Party",
        required=True,
        check_company=True,
        help="The supplier, carrier or software vendor the complaint waited for.",
    )
    role = fields.Selection(THIRD_PARTY_ROLES, required=True, default="supplier", help="What the third party is to us.")
    request = fields.Text(string="What Was Asked", required=True)
    asked_at = fields.Datetime(required=True, default=fields.Datetime.now, help="When the third party was asked.")
    answered_at = fields.Datetime(help="When the third party answered; empty while the complaint still waits for it.")
    answer = fields.Text(help="What the third party answered.")
    user_id = fields.Many2one(
        "res.users",
        string="Asked By",
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
        help="The colleague who asked.",
    )
    waiting = fields.Boolean(
        compute="_compute_answer_hours",
        store=True,
        string="Still Waiting",
        help="No answer yet: the complaint is waiting for this third party.",
    )
    answer_hours = fields.Float(
        string="Hours to Answer",
        compute="_compute_answer_hours",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Calendar hours from the request to the answer (0 while no answer has come).",
    )

    @api.depends("asked_at", "answered_at")
    def _compute_answer_hours(self):
        for contact in self:
            contact.waiting = not contact.answered_at
            contact.answer_hours = (
                (contact.answered_at - contact.asked_at).total_seconds() / 3600.0
                if contact.answered_at and contact.asked_at
                else 0.0
            )

    _sql_constraints = [
        (
            "answered_after_asked",
            "CHECK(answered_at IS NULL OR answered_at >= asked_at)",
            "Answered At cannot be before Asked At: enter when the third party answered, after it was asked.",
        ),
    ]

    @api.constrains("asked_at", "answered_at")
    def _check_dates(self):
        now = fields.Datetime.now()
        for contact in self:
            if contact.answered_at and contact.answered_at < contact.asked_at:
                raise ValidationError(
                    self.env._(
                        "Answered At (%(answered)s) cannot be before Asked At (%(asked)s) on the contact with "
                        "%(party)s: enter when the third party answered, after it was asked.",
                        answered=contact.answered_at,
                        asked=contact.asked_at,
                        party=contact.partner_id.display_name,
                    )
                )
            for name in ("asked_at", "answered_at"):
                if contact[name] and contact[name] > now:
                    raise ValidationError(
                        self.env._(
                            "%(field)s (%(date)s) is in the future on the contact with %(party)s: record a "
                            "contact once it happened, at its real time.",
                            field=self._fields[name]._description_string(self.env),
                            date=contact[name],
                            party=contact.partner_id.display_name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        contacts = super().create(vals_list)
        for contact in contacts:
            contact._log(
                self.env._(
                    "Asked %(party)s (%(role)s) at %(asked)s: %(request)s",
                    party=contact.partner_id.display_name,
                    role=dict(contact._fields["role"]._description_selection(self.env))[contact.role],
                    asked=format_datetime(self.env, contact.asked_at),
                    request=contact.request,
                )
            )
            if contact.answered_at:
                contact._log_answer()
        return contacts

    def write(self, vals):
        answering = self.filtered(lambda c: not c.answered_at) if vals.get("answered_at") else self.browse()
        result = super().write(vals)
        for contact in answering:
            contact._log_answer()
        return result

    def _log_answer(self):
        self._log(
            self.env._(
                "%(party)s answered at %(answered)s, after %(hours)s hours: %(answer)s",
                party=self.partner_id.display_name,
                answered=format_datetime(self.env, self.answered_at),
                hours=round(self.answer_hours, 1),
                answer=self.answer or "-",
            )
        )

    def _log(self, body):
        """An internal note on the complaint: the customer on the portal does not see it."""
        self.ticket_id.message_post(body=body, subtype_xmlid="mail.mt_note")
