from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        self._log_customer_contacts(feedback)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _log_customer_contacts(self, feedback):
        """A done activity of a mapped type is a contact with the customer it concerns."""
        logs = []
        ContactLog = self.env["crm.contact.log"].sudo()
        for activity in self.filtered(lambda a: a.activity_type_id.contact_channel and a.res_model and a.res_id):
            record = self.env[activity.res_model].sudo().browse(activity.res_id).exists()
            if activity.res_model == "res.partner":
                person = record
            elif (
                record and "partner_id" in record._fields and record._fields["partner_id"].comodel_name == "res.partner"
            ):
                person = record.partner_id
            else:
                continue
            customer = ContactLog._customer_partners(person)
            if not customer:
                continue
            company = record.company_id if "company_id" in record._fields and record.company_id else self.env.company
            logs.append(
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "contact_id": person.id if person != customer else False,
                    "channel": activity.activity_type_id.contact_channel,
                    "summary": activity.summary or activity.activity_type_id.name,
                    "note": feedback or activity.note,
                    "user_id": activity.user_id.id or self.env.uid,
                    "activity_type_id": activity.activity_type_id.id,
                    "res_model": activity.res_model,
                    "res_id": activity.res_id,
                    "origin": "activity",
                }
            )
        if logs:
            ContactLog.create(logs)
