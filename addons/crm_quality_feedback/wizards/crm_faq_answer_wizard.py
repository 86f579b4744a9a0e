from odoo import fields, models


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

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._answer_by_faq(self.entry_id)
        return {"type": "ir.actions.act_window_close"}
