from odoo import api, fields, models
from odoo.tools import SQL

COMMENT_MAX_LENGTH = 4000


class CrmAnnouncementRecipient(models.Model):
    """One customer an announcement was mailed to, with the link (a token of its own) where the
    customer answers; the answer is a customer feedback kept on the announcement. Only sending
    creates these lines and only the customer's answer changes them."""

    _name = "crm.announcement.recipient"
    _description = "Announcement Recipient"
    _inherit = ["portal.mixin"]
    _order = "announcement_id desc, partner_name, id"
    _rec_name = "partner_id"

    announcement_id = fields.Many2one("crm.announcement", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="announcement_id.company_id", store=True, index=True)
    kind = fields.Selection(related="announcement_id.kind", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    partner_name = fields.Char(related="partner_id.name", store=True, string="Customer Name")
    email = fields.Char(readonly=True, help="The address the announcement was mailed to.")
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    mail_message_id = fields.Many2one("mail.message", readonly=True, ondelete="set null")
    feedback_id = fields.Many2one("crm.customer.feedback", readonly=True, ondelete="set null", index="btree_not_null")
    answer_score = fields.Integer(
        related="feedback_id.score",
        store=True,
        aggregator="avg",
        string="Rating",
        help="The customer's satisfaction with the announcement, 1 (very dissatisfied) to 5 (very satisfied).",
    )
    answer_comment = fields.Text(related="feedback_id.comment", string="Comment")
    answered_date = fields.Datetime(string="Answered On", readonly=True)
    answered = fields.Boolean(compute="_compute_answered", store=True)

    _sql_constraints = [
        (
            "one_line_per_customer",
            "UNIQUE(announcement_id, partner_id)",
            "An announcement is mailed once to each customer: the Customer is already a recipient.",
        ),
    ]

    @api.depends("feedback_id")
    def _compute_answered(self):
        for recipient in self:
            recipient.answered = bool(recipient.feedback_id)

    def _compute_access_url(self):
        for recipient in self:
            recipient.access_url = f"/announcement/answer/{recipient.id}"

    def _link_mails(self, mails):
        """Record on each line the mail that went out for it, in one statement."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_announcement_recipient recipient
                   SET mail_id = mail.id, mail_message_id = message.id
                  FROM mail_mail mail
                  JOIN mail_message message ON message.id = mail.mail_message_id
                 WHERE mail.id = ANY(%(mails)s) AND message.model = %(model)s AND message.res_id = recipient.id
                """,
                mails=mails.ids,
                model=self._name,
            )
        )
        self.invalidate_recordset(["mail_id", "mail_message_id"])

    def _record_answer(self, score, comment, respondent=None):
        """Keep the customer's answer (a rating and a comment) as feedback on the announcement; a
        second answer replaces the first. Called on the line whose token the customer holds."""
        self.ensure_one()
        recipient = self.sudo()
        values = {"score": score, "comment": (comment or "").strip()[:COMMENT_MAX_LENGTH] or False}
        if recipient.feedback_id:
            recipient.feedback_id.write(values)
        else:
            announcement = recipient.announcement_id
            feedback = (
                self.env["crm.customer.feedback"]
                .sudo()
                .create(
                    dict(
                        values,
                        company_id=announcement.company_id.id,
                        partner_id=recipient.partner_id.id,
                        respondent_id=respondent.id if respondent else False,
                        announcement_id=announcement.id,
                    )
                )
            )
            recipient.feedback_id = feedback
        recipient.answered_date = fields.Datetime.now()
        return recipient.feedback_id
