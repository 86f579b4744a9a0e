"""States that a process owns (a complaint's steps, an action's effectiveness).

A model lists such fields in ``_process_fields``, calls ``refuse_process_fields`` from its
``create`` and ``write``, and lets only its own actions set them, through ``process_write``. A
create, write or import that sets one to a new value is refused, whoever sends it: an RPC client
can pass any context, so the guard trusts nothing but superuser mode, which no client can ask for.
The model names the action to use in ``_process_field_hint(name, value)``.
"""

from odoo.exceptions import UserError


def refuse_process_fields(records, vals):
    """Refuse setting a process field to a new value. Sending a field's current value (or its
    default on create) is harmless: an export re-imported, or a form that saves every field,
    still passes."""
    if records.env.su:
        return
    for name in records._process_fields:
        if name not in vals:
            continue
        field = records._fields[name]
        default = field.default(records) if field.default else False
        current = [record[name] for record in records.sudo()] or [field.convert_to_record(default, records)]
        try:
            wanted = field.convert_to_record(field.convert_to_cache(vals[name], records), records)
        except (ValueError, TypeError):
            wanted = object()  # an unknown value is never the current one
        if all(value == wanted for value in current):
            continue
        raise UserError(
            records.env._(
                "%(field)s of %(model)s is set by its process, not by editing or importing it: use %(how)s.",
                field=field._description_string(records.env),
                model=records._description,
                how=records._process_field_hint(name, vals[name]),
            )
        )


def refuse_process_defaults(model, vals_list):
    """On create, a ``default_<field>`` key of the context sets a field as surely as a value."""
    defaults = {key[8:]: value for key, value in model.env.context.items() if key.startswith("default_")}
    for vals in vals_list:
        refuse_process_fields(model.browse(), dict(defaults, **vals))


def process_write(records, vals):
    """Write what the process owns: the caller's right to change these records is checked first,
    then the write passes the guard."""
    records.check_access("write")
    return records.sudo().write(vals)
