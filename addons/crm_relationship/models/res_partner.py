from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import split_every

from .crm_client_risk import RISK_LEVELS
from .crm_customer_value import PROFITABILITY
from .crm_portfolio_line import ABC_CLASSES, BCG_QUADRANTS, RFM_SEGMENTS, XYZ_STABILITY

LIFECYCLE_STAGES = [
    ("potential", "Potential"),
    ("one_time", "One-time"),
    ("regular", "Regular"),
    ("at_risk", "At risk"),
    ("lost", "Lost"),
    ("won_back", "Won back"),
]
RELATIONSHIP_LEVELS = [
    ("encounter", "Encounter"),
    ("competent_supplier", "Competent supplier"),
    ("trusted_partner", "Trusted partner"),
    ("partnership", "Partnership"),
]
SERVICE_TIERS = [("standard", "Standard"), ("priority", "Priority"), ("key", "Key account")]

_LEVEL_RANK = {code: rank for rank, (code, _label) in enumerate(RELATIONSHIP_LEVELS)}
_LIFECYCLE_HEALTH = {
    "regular": 100,
    "won_back": 80,
    "one_time": 60,
    "potential": 50,
    "at_risk": 30,
    "lost": 0,
}
_PROFITABILITY_HEALTH = {"profitable": 100, "below_target": 50, "loss_making": 0}
_RISK_HEALTH = {False: 100, "1": 80, "2": 60, "3": 30, "4": 0}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------ steering (stored)
    relationship_strategy_id = fields.Many2one(
        "crm.relationship.strategy",
        tracking=True,
        index="btree_not_null",
        help="How we steer this customer. Assigning a strategy launches its activity plan.",
    )
    relationship_strategy_reason = fields.Text(string="Strategy Reason", tracking=True)
    relationship_strategy_date = fields.Date(string="Strategy Since", readonly=True, copy=False)
    relationship_strategy_user_id = fields.Many2one(
        "res.users", string="Strategy Set By", readonly=True, copy=False, check_company=True
    )
    customer_loss_reason_id = fields.Many2one(
        "crm.lost.reason",
        string="Loss Reason",
        tracking=True,
        help="Why the customer left us; required to steer it with the Win back strategy.",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        tracking=True,
        index="btree_not_null",
        copy=False,
        help="Computed every night from confirmed orders. Setting it by hand keeps your value "
        "until you hand it back to the scheduler.",
    )
    lifecycle_stage_locked = fields.Boolean(
        string="Lifecycle Set by Hand",
        tracking=True,
        copy=False,
        help="The scheduler leaves this stage alone.",
    )
    relationship_level = fields.Selection(
        RELATIONSHIP_LEVELS,
        default="encounter",
        tracking=True,
        copy=False,
        help="Encounter, competent supplier, trusted partner, partnership: climbed one rung at a time.",
    )
    relationship_level_placed = fields.Boolean(
        string="Level Placed by a Manager",
        readonly=True,
        copy=False,
        help="A Relationship Manager placed this customer on its rung once, with a reason in the chatter; "
        "from there it climbs one rung at a time.",
    )
    service_tier = fields.Selection(
        SERVICE_TIERS,
        default="standard",
        tracking=True,
        help="Service level owed to this customer; key-account management sets it, complaint SLAs read it.",
    )

    # ------------------------------------------------------------------ dossier (computed, never stored)
    customer_value_id = fields.Many2one("crm.customer.value", compute="_compute_customer_value_id")
    value_currency_id = fields.Many2one("res.currency", compute="_compute_customer_value_id")
    value_revenue = fields.Monetary(
        compute="_compute_customer_value_id", string="Revenue (period)", currency_field="value_currency_id"
    )
    value_order_count = fields.Integer(compute="_compute_customer_value_id", string="Orders (period)")
    value_average_order = fields.Monetary(
        compute="_compute_customer_value_id", string="Average Order", currency_field="value_currency_id"
    )
    value_last_order_date = fields.Date(compute="_compute_customer_value_id", string="Last Order")
    value_margin = fields.Monetary(
        compute="_compute_customer_value_id",
        string="Gross Margin (period)",
        currency_field="value_currency_id",
    )
    value_cost_to_serve = fields.Monetary(
        compute="_compute_customer_value_id",
        string="Cost to Serve (period)",
        currency_field="value_currency_id",
    )
    value_net_profit = fields.Monetary(
        compute="_compute_customer_value_id", string="Net Profit (period)", currency_field="value_currency_id"
    )
    value_profitability = fields.Selection(
        PROFITABILITY,
        string="Profitability",
        compute="_compute_customer_value_id",
        search="_search_value_profitability",
    )
    contact_log_ids = fields.One2many("crm.contact.log", "partner_id")
    contact_log_count = fields.Integer(compute="_compute_contact_figures", string="Contacts")
    last_personal_meeting = fields.Datetime(compute="_compute_contact_figures")
    days_since_personal_meeting = fields.Integer(
        compute="_compute_contact_figures",
        help="-1 when there has never been a personal meeting.",
    )
    client_risk_ids = fields.One2many("crm.client.risk", "partner_id", string="Client Risks")
    highest_open_risk_level = fields.Selection(
        RISK_LEVELS, compute="_compute_highest_open_risk", string="Highest Open Risk"
    )
    highest_open_risk_id = fields.Many2one(
        "crm.client.risk", compute="_compute_highest_open_risk", string="Highest Open Risk Entry"
    )
    customer_cost_count = fields.Integer(compute="_compute_customer_cost_count", string="Cost Entries")
    open_quotation_count = fields.Integer(compute="_compute_open_quotation_count", string="Open Quotations")
    relationship_event_count = fields.Integer(compute="_compute_relationship_event_count", string="Events")
    portfolio_line_ids = fields.One2many("crm.portfolio.line", "partner_id", string="Portfolio History")
    portfolio_line_id = fields.Many2one(
        "crm.portfolio.line", compute="_compute_portfolio_line_id", string="Latest Portfolio Analysis"
    )
    portfolio_bcg_quadrant = fields.Selection(
        BCG_QUADRANTS, compute="_compute_portfolio_line_id", string="BCG Quadrant"
    )
    portfolio_abc_class = fields.Selection(ABC_CLASSES, compute="_compute_portfolio_line_id", string="ABC Class")
    portfolio_xyz_stability = fields.Selection(
        XYZ_STABILITY, compute="_compute_portfolio_line_id", string="XYZ (Demand Stability)"
    )
    portfolio_rfm_segment = fields.Selection(RFM_SEGMENTS, compute="_compute_portfolio_line_id", string="RFM Segment")
    portfolio_suggested_strategy_id = fields.Many2one(
        "crm.relationship.strategy", compute="_compute_portfolio_line_id", string="Suggested Strategy"
    )
    relationship_health = fields.Integer(
        compute="_compute_relationship_health",
        help="0 to 100: the weighted average of the health factors (lifecycle, profitability, risks, "
        "and those added by other modules such as satisfaction).",
    )
    datacard_id = fields.Many2one("crm.customer.datacard", compute="_compute_datacard_id", string="Data Card")
    datacard_completeness = fields.Float(
        compute="_compute_datacard_id",
        string="Data Card Completeness (%)",
        digits=(16, 0),
        help="Share of the data card items of the company that the customer record holds, at the last refresh "
        "(every night, or Recompute now).",
    )
    datacard_missing_ids = fields.Many2many(
        "crm.datacard.criterion", compute="_compute_datacard_id", string="Missing from the Data Card"
    )

    # ------------------------------------------------------------------ computes

    def _commercial_ids(self):
        return self.commercial_partner_id.ids

    def _compute_relationship_event_count(self):
        counts = dict(
            self.env["crm.relationship.event"]._read_group(
                [("partner_id", "in", self._commercial_ids())], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.relationship_event_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_customer_value_id(self):
        values = self.env["crm.customer.value"].search(
            [("company_id", "=", self.env.company.id), ("partner_id", "in", self._commercial_ids())]
        )
        by_partner = {value.partner_id.id: value for value in values}
        for partner in self:
            value = by_partner.get(partner.commercial_partner_id.id, values.browse())
            partner.customer_value_id = value
            partner.value_currency_id = value.currency_id or self.env.company.currency_id
            partner.value_revenue = value.revenue
            partner.value_order_count = value.order_count
            partner.value_average_order = value.average_order_value
            partner.value_last_order_date = value.last_order_date
            partner.value_margin = value.margin
            partner.value_cost_to_serve = value.cost_to_serve
            partner.value_net_profit = value.net_profit
            partner.value_profitability = value.profitability

    @api.depends_context("company")
    def _compute_datacard_id(self):
        cards = self.env["crm.customer.datacard"].search(
            [("company_id", "=", self.env.company.id), ("partner_id", "in", self._commercial_ids())]
        )
        by_partner = {card.partner_id.id: card for card in cards}
        for partner in self:
            card = by_partner.get(partner.commercial_partner_id.id, cards.browse())
            partner.datacard_id = card
            partner.datacard_completeness = card.completeness
            partner.datacard_missing_ids = card.missing_criterion_ids

    @api.depends_context("company")
    def _compute_portfolio_line_id(self):
        """The customer's classes in the company's latest done portfolio analysis."""
        latest = self.env["crm.portfolio.analysis"].search(
            [("company_id", "=", self.env.company.id), ("state", "=", "done")], order="date desc, id desc", limit=1
        )
        lines = self.env["crm.portfolio.line"].search(
            [("analysis_id", "=", latest.id), ("partner_id", "in", self._commercial_ids())]
        )
        by_partner = {line.partner_id.id: line for line in lines}
        for partner in self:
            line = by_partner.get(partner.commercial_partner_id.id, lines.browse())
            partner.portfolio_line_id = line
            partner.portfolio_bcg_quadrant = line.bcg_quadrant
            partner.portfolio_abc_class = line.abc_class
            partner.portfolio_xyz_stability = line.xyz_stability
            partner.portfolio_rfm_segment = line.rfm_segment
            partner.portfolio_suggested_strategy_id = line.suggested_strategy_id

    def _search_value_profitability(self, operator, value):
        values = self.env["crm.customer.value"]._search(
            [("company_id", "=", self.env.company.id), ("profitability", operator, value)]
        )
        return [("commercial_partner_id", "in", values.subselect("partner_id"))]

    def _compute_contact_figures(self):
        Log = self.env["crm.contact.log"]
        domain = [("partner_id", "in", self._commercial_ids())]
        counts = dict(Log._read_group(domain, ["partner_id"], ["__count"]))
        meetings = dict(Log._read_group(domain + [("channel", "=", "meeting")], ["partner_id"], ["date:max"]))
        now = fields.Datetime.now()
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.contact_log_count = counts.get(commercial, 0)
            last_meeting = meetings.get(commercial)
            partner.last_personal_meeting = last_meeting
            partner.days_since_personal_meeting = (now - last_meeting).days if last_meeting else -1

    def _compute_highest_open_risk(self):
        risks = self.env["crm.client.risk"].search(
            [("partner_id", "in", self._commercial_ids()), ("state", "!=", "closed")],
            order="level desc, date desc, id desc",
        )
        highest = {}
        for risk in risks:
            highest.setdefault(risk.partner_id.id, risk)
        for partner in self:
            risk = highest.get(partner.commercial_partner_id.id, self.env["crm.client.risk"])
            partner.highest_open_risk_id = risk
            partner.highest_open_risk_level = risk.level

    def _compute_customer_cost_count(self):
        counts = dict(
            self.env["crm.customer.cost"]._read_group(
                [("partner_id", "in", self._commercial_ids())], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.customer_cost_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_open_quotation_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("partner_id", "child_of", self._commercial_ids()), ("state", "in", ("draft", "sent"))],
                ["partner_id"],
                ["__count"],
            )
        )
        per_commercial = {}
        for contact, count in counts.items():
            key = contact.commercial_partner_id.id
            per_commercial[key] = per_commercial.get(key, 0) + count
        for partner in self:
            partner.open_quotation_count = per_commercial.get(partner.commercial_partner_id.id, 0)

    @api.depends_context("company")
    def _compute_relationship_health(self):
        factors = self._crm_health_factors()
        for partner in self:
            weighted = factors.get(partner.commercial_partner_id.id, [])
            total_weight = sum(weight for _label, _score, weight in weighted)
            partner.relationship_health = (
                round(sum(score * weight for _label, score, weight in weighted) / total_weight) if total_weight else 0
            )

    # ------------------------------------------------------------------ extension point

    def _crm_health_factors(self):
        """Extension point: the health factors of these partners' commercial entities.

        Returns ``{commercial_partner_id: [(label, score, weight), ...]}`` with
        scores from 0 (bad) to 100 (good). An override calls ``super()``, appends
        its own factors for the whole batch with a bounded number of queries
        (``_read_group`` or SQL, never one query per partner) and returns the dict.
        """
        factors = {}
        for partner in self.commercial_partner_id:
            entries = factors.setdefault(partner.id, [])
            if partner.lifecycle_stage:
                entries.append((self.env._("Lifecycle"), _LIFECYCLE_HEALTH[partner.lifecycle_stage], 1))
            if partner.customer_value_id.profitability:
                entries.append(
                    (self.env._("Profitability"), _PROFITABILITY_HEALTH[partner.customer_value_id.profitability], 1)
                )
            entries.append((self.env._("Open risks"), _RISK_HEALTH[partner.highest_open_risk_level or False], 1))
        return factors

    # ------------------------------------------------------------------ rules

    @api.constrains("relationship_strategy_user_id")
    def _check_strategy_user_company(self):
        # partners check no company of their own fields: the one the suite adds is checked here
        self._check_company(["relationship_strategy_user_id"])

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_level_fields(vals)
            if _LEVEL_RANK.get(vals.get("relationship_level"), 0) > 1 and not self.env.su:
                self._raise_level_jump_on_create(vals)
            if vals.get("relationship_strategy_id"):
                self._check_strategy_rights(
                    self.env["crm.relationship.strategy"].browse(vals["relationship_strategy_id"])
                )
                vals.setdefault("relationship_strategy_date", fields.Date.context_today(self))
                vals.setdefault("relationship_strategy_user_id", self.env.uid)
        partners = super().create(vals_list)
        with_strategy = partners.filtered("relationship_strategy_id")
        if with_strategy:
            with_strategy._check_strategy_requirements()
            with_strategy._launch_strategy_plans()
        return partners

    def write(self, vals):
        self._check_level_fields(vals)
        if "relationship_level" in vals:
            self._check_level_step(vals["relationship_level"])
        if "lifecycle_stage" in vals and "lifecycle_stage_locked" not in vals:
            vals = dict(vals, lifecycle_stage_locked=bool(vals["lifecycle_stage"]))
        changed = self.env["res.partner"]
        if "relationship_strategy_id" in vals:
            strategy = self.env["crm.relationship.strategy"].browse(vals["relationship_strategy_id"])
            changed = self.filtered(lambda p: p.relationship_strategy_id != strategy)
            if changed:
                self._check_strategy_rights(strategy)
                for lifted in changed.relationship_strategy_id:
                    self._check_strategy_rights(lifted, lifting=True)
                vals = dict(
                    vals,
                    relationship_strategy_date=fields.Date.context_today(self),
                    relationship_strategy_user_id=self.env.uid,
                )
        result = super().write(vals)
        if "relationship_strategy_id" in vals or "customer_loss_reason_id" in vals:
            self.filtered("relationship_strategy_id")._check_strategy_requirements()
        if changed.relationship_strategy_id:
            changed._launch_strategy_plans()
        return result

    @api.model
    def _check_strategy_rights(self, strategy, lifting=False):
        """Ending a relationship, and taking it back from End, is a Relationship Manager's decision."""
        if strategy.code != "end" or self.env.user.has_group("crm_relationship.group_relationship_manager"):
            return
        if lifting:
            raise AccessError(
                self.env._(
                    "Only a Relationship Manager can lift the %(strategy)s strategy: ask your manager to "
                    "change the Relationship Strategy of this customer.",
                    strategy=strategy.name,
                )
            )
        raise AccessError(
            self.env._(
                "Only a Relationship Manager can assign the %(strategy)s strategy: ask your manager to "
                "end this relationship.",
                strategy=strategy.name,
            )
        )

    def _check_strategy_requirements(self):
        for partner in self:
            if partner.relationship_strategy_id.code == "win_back" and not partner.customer_loss_reason_id:
                raise ValidationError(
                    self.env._(
                        "%(customer)s cannot be steered with %(strategy)s without a Loss Reason: "
                        "fill in why the customer left first.",
                        customer=partner.display_name,
                        strategy=partner.relationship_strategy_id.name,
                    )
                )

    def _check_level_step(self, new_level):
        labels = dict(self._fields["relationship_level"]._description_selection(self.env))
        new_rank = _LEVEL_RANK.get(new_level, 0)
        for partner in self:
            current = partner.relationship_level or "encounter"
            if new_rank > _LEVEL_RANK[current] + 1:
                next_level = RELATIONSHIP_LEVELS[_LEVEL_RANK[current] + 1][0]
                raise ValidationError(
                    self.env._(
                        "%(customer)s is at Relationship Level '%(current)s': a relationship climbs one rung "
                        "at a time, so set it to '%(next)s' before '%(requested)s'.",
                        customer=partner.display_name,
                        current=labels[current],
                        next=labels[next_level],
                        requested=labels[new_level],
                    )
                )

    @api.model
    def _raise_level_jump_on_create(self, vals):
        labels = dict(self._fields["relationship_level"]._description_selection(self.env))
        raise ValidationError(
            self.env._(
                "%(customer)s cannot start at Relationship Level '%(requested)s': a relationship climbs one rung "
                "at a time, so create it at '%(first)s' or '%(second)s'. A Relationship Manager places a "
                "customer higher once, with a reason, through Place on the Ladder.",
                customer=vals.get("name") or self.env._("A new customer"),
                requested=labels[vals["relationship_level"]],
                first=labels[RELATIONSHIP_LEVELS[0][0]],
                second=labels[RELATIONSHIP_LEVELS[1][0]],
            )
        )

    def _check_level_fields(self, vals):
        if "relationship_level_placed" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "Level Placed by a Manager is set by the placement on the relationship ladder only: "
                    "a Relationship Manager uses Place on the Ladder."
                )
            )

    def _place_relationship_level(self, level, reason):
        """Put customers on any rung, once each, with the reason in their chatter: how a
        Relationship Manager places the customers a database already had before this module."""
        if not self.env.user.has_group("crm_relationship.group_relationship_manager"):
            raise AccessError(
                self.env._("Only a Relationship Manager can place a customer on the relationship ladder.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the Reason for placing these customers on the ladder."))
        placed = self.filtered("relationship_level_placed")
        if placed:
            raise UserError(
                self.env._(
                    "%(customers)s were already placed on the ladder once: from there a relationship climbs "
                    "one rung at a time (change the Relationship Level one step).",
                    customers=", ".join(placed.mapped("display_name")),
                )
            )
        self.check_access("write")
        labels = dict(self._fields["relationship_level"]._description_selection(self.env))
        for partner in self:
            partner.message_post(
                body=self.env._(
                    "Placed at Relationship Level %(level)s: %(reason)s", level=labels[level], reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        # past the one-rung rule of write(): this placement is the manager's, once, with its reason
        return super().write({"relationship_level": level, "relationship_level_placed": True})

    def _launch_strategy_plans(self):
        """Schedule the strategy's activity plan on each customer, for its salesperson."""
        Schedule = self.env["mail.activity.schedule"]
        groups = {}
        for partner in self.filtered("relationship_strategy_id.activity_plan_id"):
            key = (partner.relationship_strategy_id.activity_plan_id, partner.user_id or self.env.user)
            groups.setdefault(key, self.env["res.partner"])
            groups[key] |= partner
        today = fields.Date.context_today(self)
        for (plan, user), partners in groups.items():
            # the wizard reads its records from the context, at most _batch_size at a time
            for batch in split_every(Schedule._batch_size, partners.ids):
                Schedule.with_context(active_model="res.partner", active_ids=list(batch)).create(
                    {"plan_id": plan.id, "plan_on_demand_user_id": user.id, "plan_date": today}
                ).action_schedule_plan()

    # ------------------------------------------------------------------ actions

    def action_refresh_customer_value(self):
        self.env["crm.customer.value"]._refresh(companies=self.env.company, partner_ids=self.commercial_partner_id.ids)

    def action_refresh_datacard(self):
        self.env["crm.customer.datacard"]._refresh(
            companies=self.env.company, partner_ids=self.commercial_partner_id.ids
        )

    def action_unlock_lifecycle(self):
        self.write({"lifecycle_stage_locked": False})
        self.action_refresh_customer_value()

    def action_assign_strategy(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign a Strategy"),
            "res_model": "crm.strategy.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    def _action_related(self, xmlid, extra_context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        action["context"] = dict(default_partner_id=self.commercial_partner_id[:1].id, **(extra_context or {}))
        return action

    def action_view_contact_log(self):
        return self._action_related("crm_relationship.action_crm_contact_log")

    def action_view_client_risks(self):
        return self._action_related("crm_relationship.action_crm_client_risk")

    def action_view_customer_costs(self):
        return self._action_related("crm_relationship.action_crm_customer_cost")

    def action_view_open_quotations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("state", "in", ("draft", "sent")),
        ]
        action["context"] = {"default_partner_id": self.commercial_partner_id[:1].id}
        return action

    def action_view_relationship_events(self):
        return self._action_related("crm_relationship.action_crm_relationship_event")
