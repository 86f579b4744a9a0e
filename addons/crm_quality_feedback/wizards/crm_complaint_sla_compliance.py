from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.complaint_deadlines import DEFAULT_SLA_TARGET

# Resolved complaints per team, category and month of receipt: how many were resolved by their
# first deadline. One statement whatever the number of complaints.
_COMPLIANCE = """
SELECT t.team_id, t.category_id, date_trunc('month', t.received_date)::date AS month,
       COUNT(*) AS complaints, COUNT(*) FILTER (WHERE t.on_time) AS on_time,
       COALESCE(MAX(team.complaint_sla_target), %s) AS target
FROM helpdesk_ticket t
LEFT JOIN helpdesk_ticket_team team ON team.id = t.team_id
WHERE t.is_complaint AND t.resolved_date IS NOT NULL AND t.company_id = %s
  AND t.received_date >= %s AND t.received_date < %s
GROUP BY t.team_id, t.category_id, date_trunc('month', t.received_date)
"""


class CrmComplaintSlaCompliance(models.TransientModel):
    """Share of complaints answered on time against the team's target, per team, category and month."""

    _name = "crm.complaint.sla.compliance"
    _description = "Complaint SLA Compliance"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
        help="Only a company you work for.",
    )
    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=5)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today, help="Included.")
    line_ids = fields.One2many("crm.complaint.sla.compliance.line", "compliance_id", string="Compliance")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for report in self:
            if report.date_to < report.date_from:
                raise ValidationError(self.env._("The period ends before it starts: set To on or after From."))

    def action_compute(self):
        self.ensure_one()
        # the query below reads every ticket of the company: only for the companies the user works for
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You do not work for %(company)s: choose one of your companies as the Company.",
                    company=self.company_id.sudo().display_name,
                )
            )
        # the rows are the report's output, written by it alone (users only read them)
        self.line_ids.sudo().unlink()
        self.env["helpdesk.ticket"].flush_model()
        self.env.cr.execute(
            _COMPLIANCE, [DEFAULT_SLA_TARGET, self.company_id.id, self.date_from, self.date_to + relativedelta(days=1)]
        )
        values = []
        for team_id, category_id, month, complaints, on_time, target in self.env.cr.fetchall():
            share = round(100.0 * on_time / complaints, 1) if complaints else 0.0
            values.append(
                {
                    "compliance_id": self.id,
                    "team_id": team_id,
                    "category_id": category_id,
                    "month": month,
                    "complaints": complaints,
                    "on_time": on_time,
                    "share_on_time": share,
                    "target": target,
                    "met": share >= target,
                }
            )
        self.env["crm.complaint.sla.compliance.line"].sudo().create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaint SLA Compliance"),
            "res_model": "crm.complaint.sla.compliance.line",
            "view_mode": "list,graph",
            "domain": [("compliance_id", "=", self.id)],
        }
