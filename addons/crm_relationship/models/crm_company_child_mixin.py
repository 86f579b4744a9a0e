from odoo import api, models
from odoo.exceptions import ValidationError


class CrmCompanyChildMixin(models.AbstractModel):
    """A record that lives in its parent's company: its ``company_id`` is related to the parent
    link that the model names in ``_company_parent`` (a plan's objective, a review's line).

    Record rules check a record's company before a write, not after it: without this rule a user
    could move a record of his company under a parent of a company he does not work for, or make
    one there through a model whose rules do not look at the company. The parent must belong to
    one of the user's companies (or to none) whenever the link is set. Superuser mode, which the
    processes use and no client can ask for, is trusted.
    """

    _name = "crm.company.child.mixin"
    _description = "Lives in its Parent's Company"
    _company_parent = None

    @api.constrains(lambda self: [self._company_parent] if self._company_parent else [])
    def _check_parent_company(self):
        if self.env.su:
            return
        field = self._fields[self._company_parent]
        for record in self:
            company = record.sudo()[field.name].company_id
            if company and company not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(field)s: the chosen %(parent)s belongs to a company you do not work for, and a "
                        "%(record)s lives in the company of its %(field)s. Choose a %(field)s of one of your "
                        "companies.",
                        field=field._description_string(self.env),
                        parent=self.env[field.comodel_name]._description,
                        record=self._description,
                    )
                )
