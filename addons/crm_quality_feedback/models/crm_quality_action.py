from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

ACTION_STATES = [
    ("draft", "Draft"),
    ("in_progress", "In progress"),
    ("done", "Done, check pending"),
    ("effective", "Effective"),
]


class CrmQualityAction(models.Model):
    """A corrective or preventive action, checked for effectiveness after it is done."""

    _name = "crm.quality.action"
    _description = "Corrective or Preventive Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.process.fields.mixin"]
    _order = "state_sequence, deadline, id desc"
    _check_company_auto = True
    # the state is the action's progress and its verified effect: only the buttons move it
    _process_fields = (
        "state",
        "reference",
        "date_done",
        "effectiveness_check_date",
        "failed_check_count",
        "blueprint_step_id",
        "blueprint_period_start",
    )

    name = fields.Char(string="Action", required=True, tracking=True)
    reference = fields.Char(readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        required=True,
        default="corrective",
        tracking=True,
        help="Corrective removes the cause of a problem that happened; preventive the cause of one that could.",
    )
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "crm_quality_action_ticket_rel",
        "action_id",
        "ticket_id",
        string="Complaints",
        check_company=True,
        help="The complaints this action answers.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    deadline = fields.Date(required=True, tracking=True)
    description = fields.Html()
    state = fields.Selection(ACTION_STATES, required=True, default="draft", tracking=True, group_expand=True)
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    date_done = fields.Date(string="Completed On", readonly=True, copy=False, tracking=True)
    effectiveness_check_date = fields.Date(
        readonly=True,
        copy=False,
        tracking=True,
        help="When to verify that the action removed the cause; set from the company's delay on completion.",
    )
    effectiveness_note = fields.Text(string="Effectiveness Finding", tracking=True)
    failed_check_count = fields.Integer(string="Failed Checks", readonly=True, copy=False)
    blueprint_step_id = fields.Many2one(
        "crm.service.blueprint.step",
        string="Fail Point",
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="set null",
        index="btree_not_null",
        help="The service blueprint step whose complaints passed its threshold: the blueprint proposed this action.",
    )
    blueprint_period_start = fields.Date(
        string="Threshold Period",
        readonly=True,
        copy=False,
        help="Start of the period in which the step's complaints passed its threshold.",
    )

    _sql_constraints = [
        (
            "blueprint_step_period_unique",
            "UNIQUE(blueprint_step_id, blueprint_period_start)",
            "A fail point has one proposed action per period: open the one already proposed.",
        ),
    ]

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {code: index for index, (code, _label) in enumerate(ACTION_STATES)}
        for action in self:
            action.state_sequence = order.get(action.state, 99)

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        # the reference is the process's: numbered once the action exists
        for action in actions.filtered(lambda a: a.reference == self.env._("New")):
            action.sudo().reference = self.env["ir.sequence"].sudo().next_by_code("crm.quality.action")
        return actions

    def _process_field_hint(self, name, value):
        if name == "state" and value == "effective":
            return self.env._("use the button Effective, after the effectiveness check passed.")
        if name in ("blueprint_step_id", "blueprint_period_start"):
            return self.env._("the service blueprint proposes it: use Propose Corrective Actions on the blueprint.")
        if name == "reference":
            return self.env._("the reference is given when the action is created.")
        return self.env._("use the buttons Start, Done, Effective and Not Effective.")

    def _compute_display_name(self):
        for action in self:
            action.display_name = f"{action.reference} {action.name or ''}".strip()

    def action_start(self):
        not_draft = self.filtered(lambda a: a.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Only a draft action can be started: %(actions)s is already under way.",
                    actions=", ".join(not_draft.mapped("display_name")),
                )
            )
        self._process_write({"state": "in_progress"})

    def action_done(self):
        finished = self.filtered(lambda a: a.state not in ("draft", "in_progress"))
        if finished:
            raise UserError(
                self.env._(
                    "%(actions)s is completed already: check its effectiveness instead.",
                    actions=", ".join(finished.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        for action in self:
            delay = action.company_id.quality_effectiveness_check_days
            action._process_write(
                {
                    "state": "done",
                    "date_done": today,
                    "effectiveness_check_date": today + relativedelta(days=delay),
                },
            )
            owner_env = self.with_context(lang=action.user_id.lang or self.env.lang).env
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.effectiveness_check_date,
                summary=owner_env._("Check that the action removed the cause"),  # in the owner's language
                user_id=action.user_id.id,
            )

    def action_check_effective(self):
        self._require_pending_check()
        self._process_write({"state": "effective"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_check_failed(self):
        """A failed check reopens the action: the cause is still there."""
        self._require_pending_check()
        for action in self:
            action._process_write(
                {
                    "state": "in_progress",
                    "failed_check_count": action.failed_check_count + 1,
                    "date_done": False,
                    "effectiveness_check_date": False,
                },
            )
            action.message_post(body=self.env._("Effectiveness check failed: the action is reopened."))
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def _require_pending_check(self):
        not_done = self.filtered(lambda a: a.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "Only a completed action can have its effectiveness checked: %(actions)s is not done yet.",
                    actions=", ".join(not_done.mapped("display_name")),
                )
            )
