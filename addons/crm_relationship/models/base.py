import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# PostgreSQL's integer column: a value outside it fails in the database with a raw error
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
SUITE_MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
CHECKED_TYPES = ("integer", "float", "monetary", "selection", "many2one", "date", "datetime", "boolean")


class Base(models.AbstractModel):
    """The fields this suite defines or adds refuse a value of the wrong shape (a word for a
    number, NaN, a number the database cannot hold, an unknown choice, an id that does not
    exist, a date that is not one) with a message naming the field, on every model the suite
    defines or extends: an RPC client or an import is not held back by the web client's input
    checks, and Odoo's own conversion would fail with a raw error."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_suite_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_suite_values([vals])
        return super().write(vals)

    @api.model
    def _check_suite_values(self, vals_list):
        suite_fields = self._suite_checked_fields()
        if not suite_fields:
            return
        for vals in vals_list:
            for name in suite_fields & vals.keys():
                value = vals[name]
                if value is False or value is None:
                    continue
                field = self._fields[name]
                fix = self._suite_value_fix(field, value)
                if fix:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot take %(value)s: %(fix)s",
                            field=field._description_string(self.env),
                            value=repr(value)[:60],
                            fix=fix,
                        )
                    )

    def _suite_value_fix(self, field, value):
        """What to enter instead of ``value`` in ``field``, or None when the value fits."""
        check = getattr(self, f"_suite_fix_{field.type}")
        return check(field, value)

    def _suite_fix_integer(self, field, value):
        if not isinstance(value, int) or isinstance(value, bool) or not INTEGER_MIN <= value <= INTEGER_MAX:
            return self.env._("enter a whole number between %(min)s and %(max)s.", min=INTEGER_MIN, max=INTEGER_MAX)
        return None

    def _suite_fix_float(self, field, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return self.env._("enter a number.")
        return None

    _suite_fix_monetary = _suite_fix_float

    def _suite_fix_boolean(self, field, value):
        return None if isinstance(value, (bool, int)) else self.env._("tick or untick it.")

    def _suite_fix_selection(self, field, value):
        allowed = [key for key, _label in field._description_selection(self.env)]
        if value not in allowed:
            return self.env._("choose one of %(choices)s.", choices=", ".join(map(str, allowed)))
        return None

    def _suite_fix_many2one(self, field, value):
        # an id that does not exist is refused by the database's foreign key, which Odoo's RPC
        # layer reports as a validation error; here only the shape is checked, without a query
        if isinstance(value, models.BaseModel):
            return None if value._name == field.comodel_name and len(value) <= 1 else self.env._("choose one record.")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= INTEGER_MAX:
            return self.env._("choose a record from the list.")
        return None

    def _suite_fix_date(self, field, value):
        to_value = fields.Date.to_date if field.type == "date" else fields.Datetime.to_datetime
        try:
            converted = to_value(value)
        except (TypeError, ValueError, OverflowError):
            converted = None
        return None if converted else self.env._("enter a date (for example 2026-12-31).")

    _suite_fix_datetime = _suite_fix_date

    @api.model
    def _suite_checked_fields(self):
        """The fields the suite's modules add to this model whose values are checked (read once
        per model class)."""
        cls = type(self)
        cached = cls.__dict__.get("_crm_suite_checked_fields")
        if cached is None:
            cached = frozenset(
                name
                for name, field in self._fields.items()
                if field.type in CHECKED_TYPES
                and field._module in SUITE_MODULES
                and not field.compute
                or (field.type in CHECKED_TYPES and field._module in SUITE_MODULES and field.related)
            )
            cls._crm_suite_checked_fields = cached
        return cached
