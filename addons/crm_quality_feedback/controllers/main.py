import werkzeug

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.exceptions import UserError
from odoo.http import request

CONTACT_REASONS = ("clarify", "information", "problem", "remedy")


def _portal_id(value, label):
    """An id sent by a portal form: empty is none, anything but a number is refused."""
    if value in (None, "", False):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UserError(request.env._("%(field)s: choose one from the list.", field=label)) from None


class ComplaintTicketController(HelpdeskTicketController):
    """helpdesk_mgmt's ticket routes, made to trust nothing the browser sends: the ticket and
    stage ids, the team and the category are checked against the user's customer and company."""

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, **kw):
        """Close one of the customer's own tickets into a closing stage of its team. A complaint
        is never closed from the portal: it ends through its steps and the customer's answer."""
        ticket_id = _portal_id(kw.get("ticket_id"), request.env._("Ticket"))
        stage_id = _portal_id(kw.get("stage_id"), request.env._("Stage"))
        # read with the user's own rights: another customer's ticket is simply not found
        ticket = request.env["helpdesk.ticket"].search([("id", "=", ticket_id)])
        if not ticket or ticket.commercial_partner_id != request.env.user.commercial_partner_id:
            return request.redirect("/my")
        if ticket.is_complaint:
            raise UserError(
                request.env._(
                    "A complaint is closed by our team once you have answered its follow-up; it cannot be "
                    "closed or cancelled from the portal."
                )
            )
        stage = (
            ticket.sudo().team_id._get_applicable_stages().filtered(lambda s: s.id == stage_id and s.close_from_portal)
        )
        if not stage:
            raise UserError(request.env._("This ticket cannot be moved to that stage: choose one of its buttons."))
        ticket.sudo().stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")

    def _prepare_submit_ticket_vals(self, **kw):
        """A ticket is filed only into a team and a category of the user's own company; a ticket
        filed from the portal as a complaint enters the complaint process."""
        company = request.env.user.company_id
        category_id = _portal_id(kw.get("category"), request.env._("Category"))
        team_id = _portal_id(kw.get("team"), request.env._("Team"))
        if category_id:
            category = request.env["helpdesk.ticket.category"].sudo().browse(category_id).exists()
            if not (category and category.active and category.show_in_portal) or (
                category.company_id and category.company_id != company
            ):
                raise UserError(request.env._("Category: choose one from the list."))
        if team_id:
            team = request.env["helpdesk.ticket.team"].sudo().browse(team_id).exists()
            if not (team and team.active and team.show_in_portal) or (team.company_id and team.company_id != company):
                raise UserError(request.env._("Team: choose one from the list."))
        kw = dict(kw, category=category_id or "", team=team_id or "")
        vals = super()._prepare_submit_ticket_vals(**kw)
        vals["company_id"] = company.id
        if kw.get("is_complaint"):
            vals.update(
                is_complaint=True,
                received_via="portal",
                contact_reason=kw.get("contact_reason") if kw.get("contact_reason") in CONTACT_REASONS else False,
                remedy_sought=kw.get("remedy_sought") or False,
            )
        return vals
