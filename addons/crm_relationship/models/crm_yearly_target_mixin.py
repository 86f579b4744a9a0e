from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.period import FIRST_YEAR, LAST_YEAR


class CrmYearlyTargetMixin(models.AbstractModel):
    """A target set for a calendar year (the customer mix, the turnover): the year is four digits,
    from 1900 on, whoever writes it."""

    _name = "crm.yearly.target.mixin"
    _description = "Target for a Year"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    @api.constrains("year")
    def _check_year(self):
        label = self._fields["year"]._description_string(self.env)
        for target in self:
            if not FIRST_YEAR <= target.year <= LAST_YEAR:
                raise ValidationError(
                    self.env._(
                        "%(field)s %(year)s is not a year a target can be for: enter a four-digit year from "
                        "%(first)s to %(last)s.",
                        field=label,
                        year=target.year,
                        first=FIRST_YEAR,
                        last=LAST_YEAR,
                    )
                )
