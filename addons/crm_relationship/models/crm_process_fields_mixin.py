from odoo import api, models
from odoo.exceptions import UserError


class CrmProcessFieldsMixin(models.AbstractModel):
    """Figures that a process writes and nobody edits (a review's frozen figures, a portfolio
    run's results).

    A model lists them in ``_process_fields``. A create, write or import that sets one of them to
    a new value is refused, whoever sends it: an RPC client can pass any context, so the guard
    trusts nothing but superuser mode, which no client can ask for. The process checks the
    caller's right on the records, then writes the figures with ``sudo()``. Sending a field's
    current value (or its default on create) is harmless: a form that saves every field, or an
    export imported again, still passes. ``_process_field_hint`` names the action to use.
    """

    _name = "crm.process.fields.mixin"
    _description = "Figures Written by a Process"
    _process_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        # a default_<field> key of the context sets a field as surely as a value
        defaults = {key[8:]: value for key, value in self.env.context.items() if key.startswith("default_")}
        for vals in vals_list:
            self.browse()._refuse_process_fields(dict(defaults, **vals), "create")
        return super().create(vals_list)

    def write(self, vals):
        self._refuse_process_fields(vals, "write")
        return super().write(vals)

    def _refuse_process_fields(self, vals, operation):
        if self.env.su:
            return
        for name in self._process_fields:
            if name not in vals:
                continue
            # who may not create or change these records at all is told so first
            self.check_access(operation)
            field = self._fields[name]
            sample = self[:1]
            if self:
                current = [record[name] for record in self.sudo()]
            else:
                current = [field.convert_to_record(field.default(sample) if field.default else False, sample)]
            try:
                wanted = field.convert_to_record(field.convert_to_cache(vals[name], sample), sample)
                unchanged = all(value == wanted for value in current)
            except (ValueError, TypeError, OverflowError):
                unchanged = False  # a value of the wrong shape is never the current one
            if unchanged:
                continue
            raise UserError(
                self.env._(
                    "%(field)s of a %(model)s is written by its process, never edited or imported: %(how)s",
                    field=field._description_string(self.env),
                    model=self._description,
                    how=self._process_field_hint(name, vals[name]),
                )
            )

    def _process_field_hint(self, name, value):
        """How the user gets ``name`` set (to ``value``): the action that does it."""
        return self.env._("run the action that computes it.")

    def _process_write(self, vals):
        """Write what the process owns: the caller's right to change these records is checked
        first, then the write passes the guard (superuser mode)."""
        self.check_access("write")
        return self.sudo().write(vals)
