from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmServiceBlueprintStep(models.Model):
    """One activity of a service, in order: the department doing it, whether the customer sees it
    (encounter point) or not (back office), whether it adds value or only cost, and, for a fail
    point, the quality standard it must meet and the complaints per period it may cause before a
    corrective action is proposed."""

    _name = "crm.service.blueprint.step"
    _description = "Service Blueprint Step"
    _inherit = ["crm.company.child.mixin"]
    _order = "blueprint_id, sequence, id"
    _check_company_auto = True
    _company_parent = "blueprint_id"

    blueprint_id = fields.Many2one(
        "crm.service.blueprint", string="Service Blueprint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="blueprint_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Activity", required=True, help="What is done at this step, e.g. Schedule delivery.")
    department_id = fields.Many2one(
        "crm.quality.department", required=True, help="Who does it: the hand-offs between departments show."
    )
    contact_type = fields.Selection(
        [("encounter", "Encounter point"), ("back_office", "Back office")],
        string="Customer Contact",
        required=True,
        default="back_office",
        help="Encounter point: the customer and the company meet here. Back office: out of the customer's sight.",
    )
    adds_value = fields.Selection(
        [("value", "Adds value"), ("cost", "Only cost")], string="Value", required=True, default="value"
    )
    is_fail_point = fields.Boolean(
        string="Fail Point", help="The service can go wrong or make the customer wait here: it needs a standard."
    )
    target_hours = fields.Float(
        string="Target Time (hours)", help="Quality standard of a fail point: the step is done within this time."
    )
    target_value = fields.Float(help="Quality standard of a fail point as a value (with its unit), e.g. 98 % on time.")
    target_unit = fields.Char(help="The unit of the target value, e.g. % on time, defects per 100.")
    complaint_threshold = fields.Integer(
        help="More complaints traced to this step in one period of the blueprint than this propose a "
        "corrective action; 0 watches nothing.",
    )
    trace_ids = fields.One2many("crm.complaint.trace", "blueprint_step_id", string="Traces")
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        string="Complaints",
        help="Complaints whose source, in their root-cause trace, is this step.",
    )

    _sql_constraints = [
        (
            "target_hours_not_negative",
            "CHECK(target_hours >= 0)",
            "A step's Target Time cannot be negative: enter 0 or more hours.",
        ),
        (
            "complaint_threshold_not_negative",
            "CHECK(complaint_threshold >= 0)",
            "A step's Complaint Threshold cannot be negative: enter 0 (watch nothing) or more.",
        ),
    ]

    @api.constrains("is_fail_point", "target_hours", "target_value", "target_unit")
    def _check_fail_point_standard(self):
        for step in self.filtered("is_fail_point"):
            if not step.target_hours and not (step.target_value and step.target_unit):
                raise ValidationError(
                    self.env._(
                        "Fail point %(step)s needs a quality standard: enter a Target Time (hours), or a "
                        "Target Value with its Target Unit.",
                        step=step.name,
                    )
                )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("is_complaint", "=", True), ("source_step_id", "in", self.ids)], ["source_step_id"], ["__count"]
            )
            if self.ids
            else []
        )
        for step in self:
            step.complaint_count = counts.get(step, 0)

    @api.depends("name", "blueprint_id.name")
    def _compute_display_name(self):
        for step in self:
            step.display_name = f"{step.blueprint_id.name} / {step.name}" if step.blueprint_id else step.name

    def _complaints_action(self, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("is_complaint", "=", True), ("source_step_id", "in", self.ids)],
            "context": {"create": False},
        }

    def action_view_complaints(self):
        self.ensure_one()
        return self._complaints_action(self.env._("Complaints: %(step)s", step=self.display_name))
