from odoo import models
from odoo.tools.translate import LazyGettext


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _crm_has_open_activity(self, activity_type, summary):
        """Whether the record (of a model with activities) has an open activity of
        ``activity_type`` reading ``summary``.

        Our jobs write each activity in its assignee's language, so the same activity may read
        differently on two records: a lazy translation (``LazyTranslate``, with its parameters)
        is compared in English and in every installed language; a plain text as it is."""
        self.ensure_one()
        if isinstance(summary, LazyGettext):
            languages = {"en_US", *(code for code, _name in self.env["res.lang"].get_installed())}
            summaries = {summary._translate(code) for code in languages}
        else:
            summaries = {summary}
        return any(
            activity.activity_type_id == activity_type and activity.summary in summaries
            for activity in self.activity_ids
        )

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if self._name != "crm.contact.log":
            self._log_customer_mail(message)
        return result

    def _log_customer_mail(self, message):
        """An e-mail from a customer, or a message sent to one, goes on its contact log."""
        if message.message_type == "email":
            direction, people = "inbound", message.author_id
        elif message.message_type in ("comment", "email_outgoing") and not message.subtype_id.internal:
            direction, people = "outbound", message.partner_ids
        else:
            return
        ContactLog = self.env["crm.contact.log"].sudo()
        customers = ContactLog._customer_partners(people)
        if not customers:
            return
        record = self[:1]
        company = (
            record.company_id if record and "company_id" in record._fields and record.company_id else self.env.company
        )
        if direction == "outbound":
            our_user = self.env.user
        else:
            # the salesperson or owner of the document answers for us
            user_field = record._fields.get("user_id") if record else None
            our_user = (
                record.user_id
                if user_field is not None and user_field.comodel_name == "res.users"
                else self.env["res.users"]
            )
        summary = message.subject or message.record_name or record.display_name or self.env._("E-mail")
        ContactLog.create(
            [
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "channel": "email",
                    "direction": direction,
                    "summary": summary,
                    "user_id": our_user.id,
                    "mail_message_id": message.id,
                    "res_model": message.model,
                    "res_id": message.res_id,
                    "origin": "mail",
                }
                for customer in customers
            ]
        )
