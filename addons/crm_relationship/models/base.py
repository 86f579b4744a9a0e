from odoo import api, models
from odoo.exceptions import ValidationError

# PostgreSQL's integer column: a value outside it fails in the database with a raw error
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
SUITE_MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")


class Base(models.AbstractModel):
    """Integer fields of this suite refuse a number the database cannot hold, with a message
    naming the field, on every model the suite defines or extends (an RPC client is not held
    back by the web client's input checks)."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_integer_range(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_integer_range([vals])
        return super().write(vals)

    @api.model
    def _check_integer_range(self, vals_list):
        integer_fields = self._suite_integer_fields()
        if not integer_fields:
            return
        for vals in vals_list:
            for name in integer_fields & vals.keys():
                value = vals[name]
                if isinstance(value, int) and not isinstance(value, bool) and not INTEGER_MIN <= value <= INTEGER_MAX:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot hold %(value)s: enter a whole number between %(min)s and %(max)s.",
                            field=self._fields[name]._description_string(self.env),
                            value=value,
                            min=INTEGER_MIN,
                            max=INTEGER_MAX,
                        )
                    )

    @api.model
    def _suite_integer_fields(self):
        """The integer fields the suite's modules add to this model (read once per model)."""
        cls = type(self)
        cached = cls.__dict__.get("_crm_suite_integer_fields")
        if cached is None:
            cached = frozenset(
                name
                for name, field in self._fields.items()
                if field.type == "integer" and field._module in SUITE_MODULES
            )
            cls._crm_suite_integer_fields = cached
        return cached
