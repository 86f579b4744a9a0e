from odoo import fields, models
from odoo.tools import SQL

from ..tools.complaint_deadlines import DEFAULT_INTERNAL_SLA_TARGET, DEFAULT_SLA_TARGET


class CrmComplaintSlaReport(models.Model):
    """Resolved complaints against their first deadline, one row per complaint, to pivot by team,
    category, owner, customer and month of receipt.

    SLA compliance is the share of resolved complaints answered by their first deadline: the
    average of On Time (%) (100 for a complaint on time, 0 otherwise) over any grouping, shown
    beside the team's target (95 % unless the team sets its own). Open complaints are not
    counted: they have no outcome yet (the complaints list shows the overdue ones).

    Internal complaints (from colleagues and internal departments) are measured against the
    team's internal target and split from the external ones by Customer Kind. Of a late answer,
    the report shows the late hours (first deadline to answer, calendar hours) and how many of
    them the complaint spent waiting for third parties."""

    _name = "crm.complaint.sla.report"
    _description = "Complaint SLA Compliance"
    _auto = False
    _rec_name = "complaint_number"
    _order = "received_date desc"
    _depends = {
        "helpdesk.ticket": [
            "is_complaint",
            "complaint_number",
            "company_id",
            "team_id",
            "category_id",
            "user_id",
            "commercial_partner_id",
            "received_date",
            "resolved_date",
            "first_deadline",
            "on_time",
            "faq_entry_id",
            "customer_kind",
            "late_third_party_hours",
        ],
        "helpdesk.ticket.team": ["complaint_sla_target", "complaint_internal_sla_target"],
    }

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    complaint_number = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    received_date = fields.Datetime(string="Received", readonly=True)
    resolved_date = fields.Datetime(string="Resolved", readonly=True)
    first_deadline = fields.Datetime(readonly=True)
    customer_kind = fields.Selection(
        [("external", "External"), ("internal", "Internal")],
        readonly=True,
        help="Internal: a complaint of a colleague or an internal department, under the internal policy.",
    )
    complaints = fields.Integer(string="Resolved Complaints", readonly=True, aggregator="sum")
    on_time_count = fields.Integer(string="On Time", readonly=True, aggregator="sum")
    share_on_time = fields.Float(
        string="On Time (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the resolved complaints answered by their first deadline.",
    )
    target = fields.Float(
        string="Target (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="The team's on-time target; the product's default when the complaint has no team.",
    )
    faq_answered = fields.Integer(
        string="Answered by FAQ",
        readonly=True,
        aggregator="sum",
        help="Complaints closed by pointing to a published FAQ entry.",
    )
    hours_to_resolve = fields.Float(
        string="Hours to Resolve", readonly=True, aggregator="avg", digits=(16, 1), help="Calendar hours."
    )
    late_hours = fields.Float(
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Calendar hours from the first deadline to the answer; 0 when answered in time.",
    )
    third_party_late_hours = fields.Float(
        string="Late Hours Waiting for Third Parties",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="The part of the late hours the complaint spent waiting for a supplier, a carrier or another "
        "third party (overlapping waits counted once).",
    )
    third_party_late_share = fields.Float(
        string="Third-Party Share of Lateness (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Third-party hours over late hours, for a late complaint (empty when on time); grouped, the "
        "average over the late complaints.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id, t.id AS ticket_id, t.complaint_number, t.company_id, t.team_id, t.category_id,
                   t.user_id, t.commercial_partner_id, t.received_date, t.resolved_date, t.first_deadline,
                   1 AS complaints,
                   CASE WHEN t.on_time THEN 1 ELSE 0 END AS on_time_count,
                   CASE WHEN t.on_time THEN 100.0 ELSE 0.0 END AS share_on_time,
                   CASE WHEN t.customer_kind = 'internal'
                        THEN COALESCE(team.complaint_internal_sla_target, %(internal_target)s)
                        ELSE COALESCE(team.complaint_sla_target, %(default_target)s) END AS target,
                   CASE WHEN t.faq_entry_id IS NOT NULL THEN 1 ELSE 0 END AS faq_answered,
                   EXTRACT(EPOCH FROM t.resolved_date - t.received_date) / 3600.0 AS hours_to_resolve,
                   COALESCE(t.customer_kind, 'external') AS customer_kind,
                   late.hours AS late_hours,
                   CASE WHEN late.hours > 0 THEN COALESCE(t.late_third_party_hours, 0) ELSE 0 END
                       AS third_party_late_hours,
                   CASE WHEN late.hours > 0 THEN 100.0 * COALESCE(t.late_third_party_hours, 0) / late.hours END
                       AS third_party_late_share
            FROM helpdesk_ticket t
            LEFT JOIN helpdesk_ticket_team team ON team.id = t.team_id
            CROSS JOIN LATERAL (
                SELECT GREATEST(EXTRACT(EPOCH FROM t.resolved_date - t.first_deadline) / 3600.0, 0) AS hours
            ) AS late
            WHERE t.is_complaint AND t.resolved_date IS NOT NULL AND t.received_date IS NOT NULL
            """,
            default_target=DEFAULT_SLA_TARGET,
            internal_target=DEFAULT_INTERNAL_SLA_TARGET,
        )
