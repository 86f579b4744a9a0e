from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        follow_up = self.env.ref(
            "crm_quality_feedback.mail_activity_type_complaint_follow_up", raise_if_not_found=False
        )
        tickets = self.filtered(
            lambda a: a.res_model == "helpdesk.ticket" and follow_up and a.activity_type_id == follow_up
        ).mapped("res_id")
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if tickets:
            self.env["helpdesk.ticket"].browse(tickets).sudo()._follow_up_done()
        return result
