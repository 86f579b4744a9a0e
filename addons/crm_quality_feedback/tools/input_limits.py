"""Limits on what a user types, checked before the database sees it (an index refuses a value
longer than a few thousand bytes with a raw error)."""

from odoo.exceptions import ValidationError

NAME_MAX_LENGTH = 200


def check_name_length(model, vals_list, field_name="name", limit=NAME_MAX_LENGTH):
    """Refuse a name longer than ``limit`` characters, naming the field and the limit."""
    for vals in vals_list:
        value = vals.get(field_name)
        if isinstance(value, str) and len(value) > limit:
            raise ValidationError(
                model.env._(
                    "%(field)s is %(length)s characters long: shorten it to %(limit)s characters at most.",
                    field=model._fields[field_name]._description_string(model.env),
                    length=len(value),
                    limit=limit,
                )
            )
