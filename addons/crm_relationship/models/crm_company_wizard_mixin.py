from odoo import api, fields, models
from odoo.exceptions import AccessError


class CrmCompanyWizardMixin(models.AbstractModel):
    """A wizard that computes over one company: only a company the user works for.

    Such wizards read the company's documents in SQL, where record rules do not apply, so the
    company is checked when the wizard is created or changed, before anything is written. Their
    rows belong to their creator: give each model a global rule ``create_uid = user``.
    """

    _name = "crm.company.wizard.mixin"
    _description = "Computed over One of the User's Companies"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_user_company(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_user_company([vals])
        return super().write(vals)

    @api.model
    def _check_user_company(self, vals_list):
        if self.env.su:
            return
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id") or ())
            if company and company not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "%(report)s cannot be computed for %(company)s: you do not work for that company. "
                        "Choose one of your companies in the Company field.",
                        report=self._description,
                        company=company.sudo().display_name,
                    )
                )
