from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if {"attendance_ids", "tz"} & set(vals):
            self.env["helpdesk.ticket"]._recompute_open_complaints([("team_id.resource_calendar_id", "in", self.ids)])
        return result
