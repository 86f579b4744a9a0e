from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

ANSWERS = ("satisfied", "neutral", "dissatisfied")


class ComplaintPortal(CustomerPortalHelpdesk):
    @http.route(
        ["/my/complaint/<int:ticket_id>/answer"], type="http", auth="user", methods=["POST"], website=True, csrf=True
    )
    def portal_complaint_answer(self, ticket_id, satisfaction=None, access_token=None, **kw):
        """The customer answers the follow-up of his own resolved complaint."""
        try:
            # raises for a complaint the user may not read: another customer's id leads nowhere
            ticket_sudo = self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if (
            satisfaction in ANSWERS
            and ticket_sudo.is_complaint
            and ticket_sudo.complaint_step in ("resolved", "follow_up")
        ):
            ticket_sudo._answer_follow_up(satisfaction)
        return request.redirect(f"/my/ticket/{ticket_id}")
