from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

THRESHOLD_PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
# The length of each period, to reach back to the start of the period before the current one.
PERIOD_LENGTHS = {"month": "1 month", "quarter": "3 months", "year": "1 year"}
# A proposed corrective action is due this many days after it is proposed.
PROPOSED_ACTION_DAYS = 30


class CrmServiceBlueprint(models.Model):
    """A service drawn as its ordered steps (Shostack): who does what, where the customer meets
    the company (encounter points) and where the service can fail (fail points, each with its
    quality standard). Complaints are traced to a step; a fail point that passes its complaint
    threshold in a period gets a corrective action proposed."""

    _name = "crm.service.blueprint"
    _description = "Service Blueprint"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(string="Service", required=True, help="The service the blueprint draws, e.g. Delivery.")
    sequence = fields.Integer(default=10, help="The first matching blueprint is a complaint's service.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Owns the corrective actions proposed for the blueprint's fail points.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk Team",
        check_company=True,
        help="Complaints of this team belong to the service when their product names no other one.",
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Complaints about a product of these categories (or their subcategories) belong to the service.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        help="Complaints about these products belong to the service.",
    )
    threshold_period = fields.Selection(
        THRESHOLD_PERIODS,
        required=True,
        default="month",
        help="The period the complaint thresholds of the steps count over.",
    )
    description = fields.Text()
    step_ids = fields.One2many("crm.service.blueprint.step", "blueprint_id", string="Steps", copy=True)
    fail_point_count = fields.Integer(compute="_compute_counts", string="Fail Points")
    complaint_count = fields.Integer(
        compute="_compute_counts", string="Complaints", help="Complaints whose source is one of the steps."
    )
    action_count = fields.Integer(compute="_compute_action_count", string="Actions")

    @api.constrains("company_id")
    def _check_company_of_traced_complaints(self):
        """Complaints of a company are traced to its own blueprints: a blueprint whose steps have
        complaints traced to them stays in their company."""
        traced = (
            self.env["crm.complaint.trace"]
            .sudo()
            ._read_group([("blueprint_step_id.blueprint_id", "in", self.ids)], ["blueprint_step_id", "company_id"])
        )
        for step, company in traced:
            if step.blueprint_id.company_id != company:
                raise ValidationError(
                    self.env._(
                        "Company: complaints of %(company)s are traced to the steps of %(service)s, so it "
                        "stays in %(company)s. Archive it and draw the service again in the other company.",
                        company=company.name,
                        service=step.blueprint_id.name,
                    )
                )

    @api.depends("step_ids.is_fail_point", "step_ids.complaint_count")
    def _compute_counts(self):
        for blueprint in self:
            blueprint.fail_point_count = len(blueprint.step_ids.filtered("is_fail_point"))
            # the steps count their complaints in one query for all the steps read together
            blueprint.complaint_count = sum(blueprint.step_ids.mapped("complaint_count"))

    def _compute_action_count(self):
        counts = dict(
            self.env["crm.quality.action"]._read_group(
                [("blueprint_step_id.blueprint_id", "in", self.ids)], ["blueprint_step_id"], ["__count"]
            )
            if self.ids
            else []
        )
        for blueprint in self:
            blueprint.action_count = sum(counts.get(step, 0) for step in blueprint.step_ids)

    def action_view_complaints(self):
        self.ensure_one()
        return self.step_ids._complaints_action(self.env._("Complaints: %(service)s", service=self.name))

    def action_view_quality_actions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Corrective Actions: %(service)s", service=self.name),
            "res_model": "crm.quality.action",
            "view_mode": "list,form",
            "domain": [("blueprint_step_id", "in", self.step_ids.ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------ corrective actions

    def action_propose_corrective_actions(self):
        """Propose a draft corrective action for each step of these blueprints over its threshold
        in the current or the previous period; the caller must be allowed to create actions."""
        self.check_access("write")
        self.env["crm.quality.action"].check_access("create")
        actions = self._propose_corrective_actions(self.ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if actions else "info",
                "message": self.env._(
                    "%(count)s corrective action(s) proposed for the fail points over their threshold.",
                    count=len(actions),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_propose_corrective_actions(self):
        self._propose_corrective_actions()

    @api.model
    def _propose_corrective_actions(self, blueprint_ids=None, today=None):
        """One query finds the steps (of the given blueprints, else of every active one) whose
        complaints in a period, counted by the complaint's received date (UTC), pass the step's
        threshold, in the current and the previous period of its blueprint, leaving out a step
        and period that already have an action (a second run proposes nothing). Each gets a
        draft corrective action linked to those complaints, owned by the blueprint's owner."""
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(self._over_threshold_query(blueprint_ids, today))
        found = self.env.cr.fetchall()
        if not found:
            return self.env["crm.quality.action"]
        steps = self.env["crm.service.blueprint.step"].sudo().browse([row[0] for row in found])
        periods = dict(self._fields["threshold_period"]._description_selection(self.env))
        vals_list = []
        for step, (_step_id, period_start, ticket_ids) in zip(steps, found, strict=True):
            blueprint = step.blueprint_id
            period = periods[blueprint.threshold_period].lower()
            vals_list.append(
                {
                    "name": self.env._(
                        "Fail point %(step)s: %(count)s complaints in the %(period)s from %(start)s",
                        step=step.display_name,
                        count=len(ticket_ids),
                        period=period,
                        start=fields.Date.to_string(period_start),
                    ),
                    "action_type": "corrective",
                    "company_id": step.company_id.id,
                    "user_id": blueprint.user_id.id,
                    "deadline": today + timedelta(days=PROPOSED_ACTION_DAYS),
                    "ticket_ids": [Command.set(ticket_ids)],
                    "blueprint_step_id": step.id,
                    "blueprint_period_start": period_start,
                    "description": self.env._(
                        "<p>%(count)s complaints traced to this step in the %(period)s from %(start)s, more "
                        "than its threshold of %(threshold)s: find and remove the cause.</p>",
                        count=len(ticket_ids),
                        period=period,
                        start=fields.Date.to_string(period_start),
                        threshold=step.complaint_threshold,
                    ),
                }
            )
        # the proposal is the blueprint's process: the period it answers is not the user's to set
        return self.env["crm.quality.action"].sudo().create(vals_list).sudo(False)

    def _over_threshold_query(self, blueprint_ids, today):
        period = SQL("b.threshold_period")
        period_start = SQL("date_trunc(%s, t.received_date)::date", period)
        current = SQL("date_trunc(%s, %s::timestamp)", period, today)
        length = SQL(
            "CAST(CASE b.threshold_period WHEN 'quarter' THEN %s WHEN 'year' THEN %s ELSE %s END AS interval)",
            PERIOD_LENGTHS["quarter"],
            PERIOD_LENGTHS["year"],
            PERIOD_LENGTHS["month"],
        )
        scope = SQL("b.id IN %s", tuple(blueprint_ids)) if blueprint_ids else SQL("b.active")
        return SQL(
            """
            WITH counted AS (
                SELECT s.id AS step_id, s.complaint_threshold, %(period_start)s AS period_start,
                       ARRAY_AGG(t.id ORDER BY t.id) AS ticket_ids
                FROM helpdesk_ticket t
                JOIN crm_service_blueprint_step s ON s.id = t.source_step_id
                JOIN crm_service_blueprint b ON b.id = s.blueprint_id
                WHERE t.is_complaint
                  AND t.received_date IS NOT NULL
                  AND s.complaint_threshold > 0
                  AND %(scope)s
                  AND t.received_date >= %(current)s - %(length)s
                  AND t.received_date < %(current)s + %(length)s
                GROUP BY s.id, s.complaint_threshold, %(period_start)s
            )
            SELECT c.step_id, c.period_start, c.ticket_ids
            FROM counted c
            WHERE CARDINALITY(c.ticket_ids) > c.complaint_threshold
              AND NOT EXISTS (
                  SELECT 1 FROM crm_quality_action a
                  WHERE a.blueprint_step_id = c.step_id AND a.blueprint_period_start = c.period_start
              )
            ORDER BY c.step_id, c.period_start
            """,
            period_start=period_start,
            scope=scope,
            current=current,
            length=length,
        )
