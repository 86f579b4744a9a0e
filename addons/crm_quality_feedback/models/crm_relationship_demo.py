from datetime import timedelta

from odoo import api, models

# The demo complaint whose first answer came after its first deadline; the others were answered
# in time, as a team meeting most of its SLA would.
LATE_DEMO_COMPLAINTS = ("crm_quality_feedback.demo_complaint_reopened",)


class CrmRelationshipDemo(models.AbstractModel):
    _inherit = "crm.relationship.demo"

    @api.model
    def _date_demo_complaints(self):
        """The demo complaints went through their steps while the demo loaded, so every step is
        stamped with the load's time. Give them the history a quality team leaves: acknowledged
        within the hour, assessed soon after, answered shortly before the first deadline (the late
        ones between the first and the final deadline), closed a day after the answer. Written
        as the superuser loading the demo: these dates are the complaint process's own."""
        tickets = self.env["ir.model.data"].search(
            [("module", "=", "crm_quality_feedback"), ("model", "=", "helpdesk.ticket")]
        )
        tickets = self.env["helpdesk.ticket"].browse(tickets.mapped("res_id")).filtered("received_date")
        late = self.env["helpdesk.ticket"].browse(
            [self.env.ref(xmlid).id for xmlid in LATE_DEMO_COMPLAINTS if self.env.ref(xmlid, raise_if_not_found=False)]
        )
        for ticket in tickets:
            received = ticket.received_date
            values = {}
            if ticket.acknowledged_date:
                values["acknowledged_date"] = min(ticket.acknowledged_date, received + timedelta(minutes=25))
            if ticket.assessed_date:
                values["assessed_date"] = min(ticket.assessed_date, received + timedelta(minutes=70))
            if ticket.resolved_date and ticket.first_deadline:
                first, final = ticket.first_deadline, ticket.final_deadline or ticket.first_deadline
                if ticket in late:
                    # a day past the first deadline, within the final one
                    resolved = min(first + timedelta(days=1), first + (final - first) / 2)
                else:
                    resolved = max(received + (first - received) / 2, first - timedelta(hours=2))
                values["resolved_date"] = resolved
                values["on_time"] = resolved <= first
                if ticket.closed_complaint_date:
                    values["closed_complaint_date"] = resolved + timedelta(days=1)
            if values:
                ticket.sudo().write(values)
        return tickets

    @api.model
    def _demo_answer_announcement(self, xmlid, answers):
        """The first recipients of a sent demo announcement answer it: ``answers`` is a list of
        (rating, comment), given in the recipients' order, as the link of their mail would."""
        announcement = self.env.ref(xmlid)
        for recipient, (score, comment) in zip(announcement.recipient_ids, answers, strict=False):
            recipient._record_answer(score, comment)
        return announcement
