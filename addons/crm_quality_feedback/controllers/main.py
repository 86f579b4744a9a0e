from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

CONTACT_REASONS = ("clarify", "information", "problem", "remedy")


class ComplaintTicketController(HelpdeskTicketController):
    def _prepare_submit_ticket_vals(self, **kw):
        """A ticket filed from the portal as a complaint enters the complaint process."""
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("is_complaint"):
            vals.update(
                is_complaint=True,
                received_via="portal",
                contact_reason=kw.get("contact_reason") if kw.get("contact_reason") in CONTACT_REASONS else False,
                remedy_sought=kw.get("remedy_sought") or False,
            )
        return vals
