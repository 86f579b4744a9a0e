from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.complaint_deadlines import (
    DEFAULT_INTERNAL_HOURS,
    DEFAULT_INTERNAL_SLA_TARGET,
    DEFAULT_INTERNAL_TAIL_DAYS,
    DEFAULT_KEY_ACCOUNT_HOURS,
    DEFAULT_POLICY,
    DEFAULT_SLA_TARGET,
)


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    complaint_cutoff_hour = fields.Float(
        string="Same-Day Cutoff",
        default=DEFAULT_POLICY.cutoff_hour,
        help="A complaint received before this time is due by the end of that working day.",
    )
    complaint_next_day_hour = fields.Float(
        string="Next-Day Due Time",
        default=DEFAULT_POLICY.next_day_hour,
        help="A complaint received at or after the cutoff is due at this time on the next working day.",
    )
    complaint_long_tail_days = fields.Integer(
        string="Final Deadline (working days)",
        default=DEFAULT_POLICY.tail_days,
        help="Every complaint must be closed within this many working days, the customer informed meanwhile.",
    )
    complaint_sla_target = fields.Float(string="On-Time Target (%)", default=DEFAULT_SLA_TARGET)
    complaint_key_hours = fields.Float(
        string="Key Accounts: Due Within (working hours)",
        default=DEFAULT_KEY_ACCOUNT_HOURS,
        help="The faster policy of customers whose service tier is Key account.",
    )
    complaint_internal_hours = fields.Float(
        string="Internal Customers: Answer Within (working hours)",
        default=DEFAULT_INTERNAL_HOURS,
        help="The policy of complaints from colleagues and internal departments (a customer who is an "
        "internal user's contact or one of our companies' contacts): the first answer is due this many "
        "working hours after receipt, instead of the same-day cutoff.",
    )
    complaint_internal_tail_days = fields.Integer(
        string="Internal Customers: Final Deadline (working days)",
        default=DEFAULT_INTERNAL_TAIL_DAYS,
        help="Every internal complaint must be closed within this many working days.",
    )
    complaint_internal_sla_target = fields.Float(
        string="Internal Customers: On-Time Target (%)",
        default=DEFAULT_INTERNAL_SLA_TARGET,
        help="The share of internal complaints to answer by their first deadline, shown in the SLA report.",
    )
    mail_complaints = fields.Boolean(
        string="Mails Are Complaints",
        help="Every mail to the team's alias becomes a complaint: received by mail at the mail's time, "
        "numbered, given its deadlines and acknowledged to the customer at once. Replies to a complaint "
        "are added to it.",
    )

    def write(self, vals):
        result = super().write(vals)
        policy = {
            "resource_calendar_id",
            "complaint_cutoff_hour",
            "complaint_next_day_hour",
            "complaint_long_tail_days",
            "complaint_key_hours",
            "complaint_internal_hours",
            "complaint_internal_tail_days",
        }
        if policy & set(vals):
            self.env["helpdesk.ticket"]._recompute_open_complaints([("team_id", "in", self.ids)])
        return result

    @api.constrains(
        "complaint_cutoff_hour",
        "complaint_next_day_hour",
        "complaint_long_tail_days",
        "complaint_sla_target",
        "complaint_key_hours",
        "complaint_internal_hours",
        "complaint_internal_tail_days",
        "complaint_internal_sla_target",
    )
    def _check_complaint_policy(self):
        for team in self:
            if not (0 <= team.complaint_cutoff_hour < 24 and 0 <= team.complaint_next_day_hour < 24):
                raise ValidationError(self.env._("Same-Day Cutoff and Next-Day Due Time are hours from 0 to 24."))
            if team.complaint_long_tail_days < 1:
                raise ValidationError(self.env._("Final Deadline must be at least 1 working day."))
            if not 0 < team.complaint_sla_target <= 100:
                raise ValidationError(self.env._("On-Time Target is a percentage: enter a value from 1 to 100."))
            if not 0 < team.complaint_key_hours <= 24 * 5:
                raise ValidationError(
                    self.env._(
                        "Key Accounts: Due Within is a number of working hours: enter more than 0 and at most "
                        "120 (%(team)s has %(hours)s).",
                        team=team.display_name,
                        hours=team.complaint_key_hours,
                    )
                )
            if not 0 < team.complaint_internal_hours <= 24 * 5:
                raise ValidationError(
                    self.env._(
                        "Internal Customers: Answer Within is a number of working hours: enter more than 0 and "
                        "at most 120 (%(team)s has %(hours)s).",
                        team=team.display_name,
                        hours=team.complaint_internal_hours,
                    )
                )
            if team.complaint_internal_tail_days < 1:
                raise ValidationError(self.env._("Internal Customers: Final Deadline must be at least 1 working day."))
            if not 0 < team.complaint_internal_sla_target <= 100:
                raise ValidationError(
                    self.env._("Internal Customers: On-Time Target is a percentage: enter a value from 1 to 100.")
                )
