from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

ANSWERS = ("satisfied", "neutral", "dissatisfied")


class ComplaintPortal(CustomerPortalHelpdesk):
    def _ticket_check_access(self, ticket_id, access_token=None):
        """The ticket as sudo when the visitor may see it: a logged-in customer sees only his own
        company's tickets (an access token of another customer's ticket opens nothing for him)."""
        ticket_sudo = self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        if not ticket_sudo._portal_user_may_access(request.env.user):
            raise AccessError(request.env._("This ticket belongs to another customer."))
        return ticket_sudo

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            self._ticket_check_access(ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if ticket.is_complaint:  # a complaint ends through its steps, not by a button of the customer
            values["closed_stages"] = request.env["helpdesk.ticket.stage"]
        return values

    @http.route(
        ["/my/complaint/<int:ticket_id>/answer"], type="http", auth="user", methods=["POST"], website=True, csrf=True
    )
    def portal_complaint_answer(self, ticket_id, satisfaction=None, access_token=None, **kw):
        """The customer answers the follow-up of his own resolved complaint."""
        try:
            ticket_sudo = self._ticket_check_access(ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if (
            satisfaction in ANSWERS
            and ticket_sudo.is_complaint
            and ticket_sudo.complaint_step in ("resolved", "follow_up")
        ):
            ticket_sudo._answer_follow_up(satisfaction)
        return request.redirect(f"/my/ticket/{ticket_id}")
