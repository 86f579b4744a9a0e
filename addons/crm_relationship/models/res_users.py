from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _crm_first_sales_manager(self, company, exclude=None):
        """The first (by id) active internal sales manager of ``company`` other than ``exclude``:
        who receives the reviews nobody closer is there for."""
        managers = (
            self.env.ref("sales_team.group_sale_manager")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share and company in user.company_ids)
        )
        return (managers - (exclude or self.browse())).sorted("id")[:1]

    def _crm_reviewers(self):
        """``{salesperson: his reviewer}``: the leader of his sales team, unless it is himself;
        else the company's first sales manager who is not himself (``_crm_first_sales_manager``);
        else nobody (absent from the result). One rule for every review our jobs schedule (event
        activities, data-card reviews)."""
        reviewers = {}
        for salesperson in self:
            leader = salesperson.sale_team_id.user_id
            if leader and leader != salesperson:
                reviewers[salesperson] = leader
                continue
            manager = self._crm_first_sales_manager(salesperson.company_id, exclude=salesperson)
            if manager:
                reviewers[salesperson] = manager
        return reviewers
