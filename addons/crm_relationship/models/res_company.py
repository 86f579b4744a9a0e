from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # each company words and switches its own customer data card items
        self.env["crm.datacard.criterion"]._ensure_company_criteria(companies)
        return companies
