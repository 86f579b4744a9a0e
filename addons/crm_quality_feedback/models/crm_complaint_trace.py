from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmComplaintTrace(models.Model):
    """One step of tracing a complaint upstream to where it was caused."""

    _name = "crm.complaint.trace"
    _description = "Complaint Root-Cause Trace"
    _inherit = ["crm.company.child.mixin"]
    _order = "ticket_id, sequence, id"
    _company_parent = "ticket_id"
    _check_company_auto = True

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    department_id = fields.Many2one("crm.quality.department", required=True)
    activity = fields.Char(required=True, help="What this department did to the order or the service.")
    adds_value = fields.Selection(
        [("value", "Adds value"), ("cost", "Only cost")], required=True, default="value", string="Value"
    )
    is_source = fields.Boolean(string="Source of the Problem")
    service_blueprint_id = fields.Many2one(related="ticket_id.service_blueprint_id")
    blueprint_step_id = fields.Many2one(
        "crm.service.blueprint.step",
        string="Process Step",
        check_company=True,
        ondelete="restrict",
        index="btree_not_null",
        domain="[('blueprint_id', '=?', service_blueprint_id)]",
        help="The step of the complaint's service blueprint this trace went through; its department, "
        "activity and value are taken from the step.",
    )

    @api.model
    def _values_from_step(self, step):
        """What a trace takes from its process step: the department, activity and value."""
        return {"department_id": step.department_id.id, "activity": step.name, "adds_value": step.adds_value}

    @api.model_create_multi
    def create(self, vals_list):
        # an id of another shape is left to the field's conversion, which refuses it
        step_ids = [vals.get("blueprint_step_id") for vals in vals_list]
        step_ids = [step_id if type(step_id) is int else 0 for step_id in step_ids]
        # sudo: the step's company is checked by the constraint below; one query for all the steps
        Step = self.env["crm.service.blueprint.step"].sudo()
        steps = {step.id: step for step in Step.browse(set(step_ids) - {0}).exists()}
        for vals, step_id in zip(vals_list, step_ids, strict=True):
            step = steps.get(step_id)
            if step:
                for name, value in self._values_from_step(step).items():
                    vals.setdefault(name, value)
        return super().create(vals_list)

    @api.onchange("blueprint_step_id")
    def _onchange_blueprint_step_id(self):
        step = self.blueprint_step_id
        if step:
            values = self._values_from_step(step)
            values["activity"] = self.activity or values["activity"]
            self.update(values)

    @api.constrains("blueprint_step_id", "ticket_id")
    def _check_blueprint_step(self):
        for trace in self.filtered("blueprint_step_id"):
            step = trace.sudo().blueprint_step_id
            ticket = trace.sudo().ticket_id
            if step.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "Process Step: %(step)s belongs to another company than complaint %(complaint)s. "
                        "Choose a step of a service blueprint of %(company)s.",
                        step=step.display_name,
                        complaint=ticket.display_name,
                        company=ticket.company_id.name,
                    )
                )
            if ticket.service_blueprint_id and step.blueprint_id != ticket.service_blueprint_id:
                raise ValidationError(
                    self.env._(
                        "Process Step: %(step)s is not a step of %(service)s, the service of complaint "
                        "%(complaint)s. Choose one of its steps, or change the complaint's Service.",
                        step=step.display_name,
                        service=ticket.service_blueprint_id.name,
                        complaint=ticket.display_name,
                    )
                )
