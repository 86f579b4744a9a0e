from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _crm_reviewers(self):
        """``{salesperson: his reviewer}``: the leader of his sales team, unless it is himself;
        else the first active internal sales manager of his company who is not himself; else
        nobody (absent from the result). One rule for every review our jobs schedule (event
        activities, data-card reviews)."""
        managers = (
            self.env.ref("sales_team.group_sale_manager")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
            .sorted("id")
        )
        reviewers = {}
        for salesperson in self:
            leader = salesperson.sale_team_id.user_id
            if leader and leader != salesperson:
                reviewers[salesperson] = leader
                continue
            manager = next(
                (m for m in managers if m != salesperson and salesperson.company_id in m.company_ids),
                None,
            )
            if manager:
                reviewers[salesperson] = manager
        return reviewers
