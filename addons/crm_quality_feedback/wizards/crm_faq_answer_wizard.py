from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmFaqAnswerWizard(models.TransientModel):
    """Answered by FAQ: the agent points a complaint to the published entry that answers it."""

    _name = "crm.faq.answer.wizard"
    _description = "Answer a Complaint by an FAQ Entry"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", required=True, readonly=True)
    company_id = fields.Many2one(related="ticket_id.company_id")
    entry_id = fields.Many2one(
        "crm.faq.entry",
        string="FAQ Entry",
        required=True,
        domain="[('state', '=', 'published'), ('company_id', '=', company_id)]",
        help="A published entry of the complaint's company: its answer is sent to the customer and the "
        "complaint closes.",
    )

    @api.constrains("ticket_id", "entry_id")
    def _check_ticket_and_entry(self):
        """A complaint of the user's companies, and a published entry of the complaint's company:
        a wizard never holds another company's records, whatever the client sends."""
        for wizard in self:
            ticket = wizard.ticket_id
            if not ticket.is_complaint or (not self.env.su and ticket.company_id not in self.env.companies):
                raise ValidationError(self.env._("Complaint: choose a complaint of your companies."))
            entry = wizard.entry_id.sudo()
            if entry.state != "published" or entry.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "FAQ Entry: choose a published entry of %(company)s.", company=ticket.company_id.sudo().name
                    )
                )

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._answer_by_faq(self.entry_id)
        return {"type": "ir.actions.act_window_close"}
