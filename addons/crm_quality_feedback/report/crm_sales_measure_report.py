from odoo import api, fields, models
from odoo.tools import SQL


class CrmSalesMeasureReport(models.Model):
    """Complaints in the sales measures: each complaint counts against the customer's salesperson
    (and that salesperson's sales team), at its receipt."""

    _inherit = "crm.sales.measure.report"
    _depends = {
        "helpdesk.ticket": ["is_complaint", "received_date", "company_id", "commercial_partner_id"],
        "res.partner": ["user_id"],
    }

    kind = fields.Selection(selection_add=[("complaint", "Complaint")])
    complaints = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Complaints received from the salesperson's customers, at their receipt.",
    )

    @api.model
    def _measure_parts(self):
        return [
            *super()._measure_parts(),
            self._measure_part(
                SQL("ticket.id"),
                {
                    "kind": SQL("'complaint'"),
                    "date": SQL("ticket.received_date::date"),
                    "company_id": SQL("ticket.company_id"),
                    "user_id": SQL("customer.user_id"),
                    "team_id": SQL("salesperson.sale_team_id"),
                    "partner_id": SQL("ticket.commercial_partner_id"),
                    "complaints": SQL("1"),
                },
                SQL(
                    """
                    FROM helpdesk_ticket ticket
                    LEFT JOIN res_partner customer ON customer.id = ticket.commercial_partner_id
                    LEFT JOIN res_users salesperson ON salesperson.id = customer.user_id
                    WHERE ticket.is_complaint AND ticket.received_date IS NOT NULL
                    """
                ),
            ),
        ]
