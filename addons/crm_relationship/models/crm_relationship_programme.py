from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.programme_return import Sums, change, member_result, roi

PROGRAMME_KINDS = [
    ("loyalty_package", "Loyalty package"),
    ("offer", "Offer"),
    ("incentive", "Incentive campaign"),
]
NO_SUMS = Sums(0.0, 0.0, 0, 0)


class CrmRelationshipProgramme(models.Model):
    """A relationship programme (a loyalty package, an offer, an incentive campaign) and its return.

    Its evaluation compares each member's margin and purchases in the evaluation period with his
    own baseline (the equal period before his enrolment) and with the control group of his
    segment (the non-members of the same BCG quadrant and ABC class in the last portfolio run
    before the programme started). The incremental margin is what the members made beyond what
    their baseline grown by their control group's change promised; the ROI sets it against the
    cost. Free riders, regular buyers at enrolment who bought no more than their control group
    did, are left out of the next wave. The figures come from ``tools/programme_return.py``.
    """

    _name = "crm.relationship.programme"
    _description = "Relationship Programme"
    _inherit = ["mail.thread", "crm.process.fields.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _process_fields = (
        "state",
        "analysis_id",
        "member_count",
        "baseline_margin",
        "evaluation_margin",
        "margin_change",
        "control_margin_change",
        "expected_margin",
        "incremental_margin",
        "total_cost",
        "roi",
        "free_rider_count",
        "free_rider_cost",
    )

    name = fields.Char(required=True, tracking=True, translate=True)
    kind = fields.Selection(PROGRAMME_KINDS, required=True, default="offer", tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    package_id = fields.Many2one(
        "crm.loyalty.package",
        string="Loyalty Package",
        check_company=True,
        help="The package whose members the programme enrols (button Enrol the Package's Members).",
    )
    description = fields.Text(help="What the members are offered, and why.")
    date_start = fields.Date(
        string="Enrolment Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The wave's enrolment date: the default of each member's, and the end of the control group's baseline.",
    )
    evaluation_date_from = fields.Date(string="Evaluation From", required=True, tracking=True)
    evaluation_date_to = fields.Date(
        string="Evaluation To", required=True, tracking=True, help="The evaluation period's last day (included)."
    )
    evaluation_days = fields.Integer(
        string="Evaluation Length (days)",
        compute="_compute_evaluation_days",
        help="The baseline of each member is the same number of days before his enrolment.",
    )
    cost_fixed = fields.Monetary(string="Fixed Cost", tracking=True, help="What the programme costs whoever joins.")
    cost_per_member = fields.Monetary(tracking=True, help="The offer's cost for each member (discount, gift, event).")
    free_rider_threshold = fields.Float(
        string="Free Rider Threshold (%)",
        default=5.0,
        tracking=True,
        help="A member regular at enrolment is a free rider when neither his margin nor his purchases rose "
        "beyond his control group's change by more than this.",
    )
    previous_wave_id = fields.Many2one(
        "crm.relationship.programme", check_company=True, copy=False, index="btree_not_null"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("evaluated", "Evaluated")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    member_ids = fields.One2many("crm.relationship.programme.member", "programme_id", string="Members", copy=False)
    free_rider_ids = fields.One2many(
        "crm.relationship.programme.member",
        "programme_id",
        string="Free Riders",
        domain=[("is_free_rider", "=", True)],
        readonly=True,
        copy=False,
    )

    analysis_id = fields.Many2one(
        "crm.portfolio.analysis",
        string="Segments From",
        readonly=True,
        copy=False,
        help="The last portfolio run on or before the enrolment date: the members' segments and the control group.",
    )
    member_count = fields.Integer(string="Members Evaluated", readonly=True, copy=False)
    baseline_margin = fields.Monetary(readonly=True, copy=False, help="The members' margin before their enrolment.")
    evaluation_margin = fields.Monetary(readonly=True, copy=False, help="The members' margin of the evaluation.")
    margin_change = fields.Float(string="Members' Change (%)", readonly=True, copy=False, digits=(16, 1))
    control_margin_change = fields.Float(
        string="Control Change (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="The change the control groups of the members' segments saw, weighted by the members' baselines.",
    )
    expected_margin = fields.Monetary(
        readonly=True, copy=False, help="The members' baselines grown by their control groups' change."
    )
    incremental_margin = fields.Monetary(
        readonly=True, copy=False, help="Evaluation margin less the expected margin: what the programme added."
    )
    total_cost = fields.Monetary(readonly=True, copy=False, help="Fixed cost plus the cost per member for each member.")
    roi = fields.Float(
        string="ROI (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="(Incremental margin - cost) / cost; none for a programme that cost nothing.",
    )
    free_rider_count = fields.Integer(string="Number of Free Riders", readonly=True, copy=False)
    free_rider_cost = fields.Monetary(
        string="Offer Cost of Free Riders", readonly=True, copy=False, help="What was given to those who came anyway."
    )

    _sql_constraints = [
        ("cost_fixed_not_negative", "CHECK(cost_fixed >= 0)", "Fixed Cost: enter 0 or more."),
        ("cost_per_member_not_negative", "CHECK(cost_per_member >= 0)", "Cost per Member: enter 0 or more."),
        (
            "free_rider_threshold_range",
            "CHECK(free_rider_threshold >= 0 AND free_rider_threshold <= 100)",
            "Free Rider Threshold: enter a percentage from 0 to 100.",
        ),
        (
            "evaluation_dates_in_order",
            "CHECK(evaluation_date_to >= evaluation_date_from)",
            "Evaluation To: choose a day on or after Evaluation From.",
        ),
    ]

    @api.depends("evaluation_date_from", "evaluation_date_to")
    def _compute_evaluation_days(self):
        for programme in self:
            if programme.evaluation_date_from and programme.evaluation_date_to:
                programme.evaluation_days = (programme.evaluation_date_to - programme.evaluation_date_from).days + 1
            else:
                programme.evaluation_days = 0

    @api.constrains(
        "cost_fixed", "cost_per_member", "free_rider_threshold", "evaluation_date_from", "evaluation_date_to"
    )
    def _check_figures(self):
        for programme in self:
            if programme.cost_fixed < 0 or programme.cost_per_member < 0:
                raise ValidationError(
                    self.env._("Fixed Cost and Cost per Member of %(name)s: enter 0 or more.", name=programme.name)
                )
            if not 0 <= programme.free_rider_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "Free Rider Threshold of %(name)s: enter a percentage from 0 to 100 (5 by default).",
                        name=programme.name,
                    )
                )
            if programme.evaluation_date_to < programme.evaluation_date_from:
                raise ValidationError(
                    self.env._(
                        "Evaluation To of %(name)s: choose a day on or after Evaluation From.", name=programme.name
                    )
                )

    def _process_field_hint(self, name, value):
        return self.env._("use the button Evaluate; the figures are computed from the revenue source.")

    # ------------------------------------------------------------------ members

    def action_enrol_package_members(self):
        """Enrol the package's current members (granted or in grace), each on the day he was granted it."""
        self.check_access("write")
        for programme in self:
            if not programme.package_id:
                raise UserError(
                    self.env._("Loyalty Package of %(name)s: choose the package to enrol.", name=programme.name)
                )
            enrolled = set(programme.member_ids.partner_id.ids)
            memberships = programme.package_id.membership_ids.filtered(
                lambda m, enrolled=enrolled: m.state in ("granted", "grace") and m.partner_id.id not in enrolled
            )
            self.env["crm.relationship.programme.member"].create(
                [
                    {
                        "programme_id": programme.id,
                        "partner_id": membership.partner_id.id,
                        "date_enrolled": membership.date_granted or programme.date_start,
                    }
                    for membership in memberships
                ]
            )
        return True

    # ------------------------------------------------------------------ evaluation

    def action_evaluate(self):
        """Evaluate each programme: two queries over the revenue source, one for the members' own
        windows, one for the control groups; the figures are written in one pass."""
        self.check_access("write")
        for programme in self:
            programme._evaluate()
        return True

    def _segment_analysis(self):
        """The company's last done portfolio run dated on or before the enrolment date."""
        self.ensure_one()
        return (
            self.env["crm.portfolio.analysis"]
            .sudo()
            .search(
                [("company_id", "=", self.company_id.id), ("state", "=", "done"), ("date", "<=", self.date_start)],
                order="date desc, id desc",
                limit=1,
            )
        )

    def _evaluate(self):
        self.ensure_one()
        Member = self.env["crm.relationship.programme.member"]
        source = self.env["crm.revenue.source"]
        analysis = self._segment_analysis()
        days = self.evaluation_days
        evaluation = source._period_through(self.evaluation_date_from, self.evaluation_date_to)
        self.env.flush_all()
        members = self._member_sums(analysis, days, evaluation)
        controls = self._control_sums(analysis, days, evaluation, {(row[1], row[2]) for row in members})
        threshold = self.free_rider_threshold / 100.0
        updates = []
        totals = {"base": 0.0, "evaluation": 0.0, "expected": 0.0}
        free_riders = []
        for member_id, bcg, abc, stage, sums in members:
            regular = stage == "regular"
            result = member_result(sums, controls.get((bcg, abc), NO_SUMS), regular, threshold)
            totals["base"] += sums.base_margin
            totals["evaluation"] += sums.evaluation_margin
            totals["expected"] += result.expected_margin
            if result.free_rider:
                free_riders.append(member_id)
            updates.append((member_id, bcg, abc, stage, regular, sums, result))
        Member._write_results(updates, self.cost_per_member, self.currency_id)
        incremental = totals["evaluation"] - totals["expected"]
        cost = self.cost_fixed + self.cost_per_member * len(members)
        programme_roi = roi(incremental, cost)
        self._process_write(
            {
                "state": "evaluated",
                "analysis_id": analysis.id,
                "member_count": len(members),
                "baseline_margin": totals["base"],
                "evaluation_margin": totals["evaluation"],
                "margin_change": change(totals["base"], totals["evaluation"]) * 100,
                "control_margin_change": change(totals["base"], totals["expected"]) * 100,
                "expected_margin": totals["expected"],
                "incremental_margin": incremental,
                "total_cost": cost,
                "roi": programme_roi * 100 if programme_roi is not None else False,
                "free_rider_count": len(free_riders),
                "free_rider_cost": self.cost_per_member * len(free_riders),
            }
        )

    def _windows(self, enrolled, days, evaluation):
        """The FILTER conditions of the baseline (the ``days`` before ``enrolled``, an SQL date)
        and of the evaluation on a revenue document ``d``."""
        baseline = SQL(
            "d.ts >= (%(enrolled)s - %(days)s)::timestamp AND d.ts < %(enrolled)s::timestamp",
            enrolled=enrolled,
            days=days,
        )
        during = SQL("d.ts >= %s::timestamp AND d.ts < %s::timestamp", evaluation.start, evaluation.end)
        return baseline, during

    def _sums_columns(self, baseline, during):
        return SQL(
            """COALESCE(SUM(d.margin) FILTER (WHERE %(baseline)s), 0),
               COALESCE(SUM(d.margin) FILTER (WHERE %(during)s), 0),
               COUNT(*) FILTER (WHERE d.is_sale AND %(baseline)s),
               COUNT(*) FILTER (WHERE d.is_sale AND %(during)s)""",
            baseline=baseline,
            during=during,
        )

    def _member_sums(self, analysis, days, evaluation):
        """``[(member id, bcg quadrant, abc class, lifecycle stage, Sums)]``: each member's segment
        at enrolment and his sums over his own baseline and the evaluation, in one query."""
        self.env.cr.execute(
            SQL(
                "SELECT MIN(date_enrolled), MAX(date_enrolled) FROM crm_relationship_programme_member "
                "WHERE programme_id = %s",
                self.id,
            )
        )
        first, last = self.env.cr.fetchone()
        if first is None:
            return []
        start = min(first - timedelta(days=days), evaluation.start)
        end = max(last, evaluation.end)
        documents = self.env["crm.revenue.source"]._revenue_documents(
            self.company_id, self.env["crm.revenue.source"]._default_source(), self._envelope(start, end)
        )
        baseline, during = self._windows(SQL("m.date_enrolled"), days, evaluation)
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, l.bcg_quadrant, l.abc_class, l.lifecycle_stage, %(sums)s
                FROM crm_relationship_programme_member m
                LEFT JOIN crm_portfolio_line l ON l.analysis_id = %(analysis)s AND l.partner_id = m.partner_id
                LEFT JOIN (%(documents)s) d ON d.partner_id = m.partner_id
                WHERE m.programme_id = %(programme)s
                GROUP BY m.id, l.bcg_quadrant, l.abc_class, l.lifecycle_stage
                ORDER BY m.id
                """,
                sums=self._sums_columns(baseline, during),
                analysis=analysis.id or None,
                documents=documents,
                programme=self.id,
            )
        )
        return [
            (member_id, bcg or False, abc or False, stage or False, Sums(float(base), float(during_), base_n, during_n))
            for member_id, bcg, abc, stage, base, during_, base_n, during_n in self.env.cr.fetchall()
        ]

    def _control_sums(self, analysis, days, evaluation, segments):
        """``{(bcg quadrant, abc class): Sums}`` of the non-members of each of ``segments`` in the
        run: baseline the ``days`` before the enrolment date, and the evaluation, in one query."""
        segments = [segment for segment in segments if all(segment)]
        if not analysis or not segments:
            return {}
        documents = self.env["crm.revenue.source"]._revenue_documents(
            self.company_id,
            self.env["crm.revenue.source"]._default_source(),
            self._envelope(
                min(self.date_start - timedelta(days=days), evaluation.start), max(self.date_start, evaluation.end)
            ),
        )
        baseline, during = self._windows(SQL("%s::date", self.date_start), days, evaluation)
        self.env.cr.execute(
            SQL(
                """
                SELECT l.bcg_quadrant, l.abc_class, %(sums)s
                FROM crm_portfolio_line l
                JOIN unnest(%(bcg)s::varchar[], %(abc)s::varchar[]) AS s(bcg_quadrant, abc_class)
                     ON s.bcg_quadrant = l.bcg_quadrant AND s.abc_class = l.abc_class
                JOIN (%(documents)s) d ON d.partner_id = l.partner_id
                WHERE l.analysis_id = %(analysis)s
                  AND NOT EXISTS (SELECT 1 FROM crm_relationship_programme_member m
                                  WHERE m.programme_id = %(programme)s AND m.partner_id = l.partner_id)
                GROUP BY l.bcg_quadrant, l.abc_class
                """,
                sums=self._sums_columns(baseline, during),
                bcg=[bcg for bcg, _abc in segments],
                abc=[abc for _bcg, abc in segments],
                documents=documents,
                analysis=analysis.id,
                programme=self.id,
            )
        )
        return {
            (bcg, abc): Sums(float(base), float(during_), base_n, during_n)
            for bcg, abc, base, during_, base_n, during_n in self.env.cr.fetchall()
        }

    def _envelope(self, start, end):
        """The period from ``start`` to ``end`` (dates), for the revenue documents of both windows."""
        return self.env["crm.revenue.source"]._period(start, days=max((end - start).days, 1))

    # ------------------------------------------------------------------ next wave

    def action_next_wave(self):
        """The next wave: a draft copy moved forward by the evaluation length, with the members
        less the free riders, whose names are posted on both programmes."""
        self.ensure_one()
        self.check_access("create")
        if self.state != "evaluated":
            raise UserError(
                self.env._(
                    "%(name)s: evaluate it first; its free riders are left out of the next wave.", name=self.name
                )
            )
        shift = timedelta(days=self.evaluation_days)
        wave = self.copy(
            {
                "name": self.env._("%(name)s (next wave)", name=self.name),
                "previous_wave_id": self.id,
                "date_start": self.date_start + shift,
                "evaluation_date_from": self.evaluation_date_from + shift,
                "evaluation_date_to": self.evaluation_date_to + shift,
            }
        )
        kept = self.member_ids.filtered(lambda member: not member.is_free_rider)
        self.env["crm.relationship.programme.member"].create(
            [{"programme_id": wave.id, "partner_id": partner.id} for partner in kept.partner_id]
        )
        excluded = self.free_rider_ids.partner_id
        names = escape(", ").join(excluded.mapped("name")) if excluded else escape(self.env._("none"))
        body = Markup("%s %s") % (self.env._("Free riders left out of the next wave:"), names)
        self.message_post(body=body + Markup(" (%s)") % wave.name)
        wave.message_post(body=body + Markup(" (%s)") % self.name)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wave.id,
            "view_mode": "form",
        }

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_relationship.action_crm_relationship_programme_member"
        )
        action["domain"] = [("programme_id", "=", self.id)]
        action["context"] = {"default_programme_id": self.id}
        return action
