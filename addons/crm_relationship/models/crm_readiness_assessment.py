from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.business_case import Assumptions, Baseline, project
from .crm_readiness_question import READINESS_DIMENSIONS

# The cost-to-serve items that are sales and marketing cost in the business case: the account
# managers' time, co-marketing, and the amortised call-centre and web costs.
SALES_MARKETING_COST_TYPES = ("account_management", "co_marketing", "call_centre_web")
# The answers listed as the weakest: scored 1 or 2.
WEAK_SCORES = ("1", "2")
# (field, lowest, highest) of the editable assumptions, in percent or points.
ASSUMPTION_BOUNDS = (
    ("transaction_growth", -100.0, 100.0),
    ("margin_points", -100.0, 100.0),
    ("cost_reduction", 0.0, 100.0),
)


class CrmReadinessAssessment(models.Model):
    """Is the company ready for CRM, and what would it gain? A dated assessment of people,
    process and technology, the implementation SWOT, and a business case projected from the
    company's own last twelve months (revenue source and cost-to-serve ledger)."""

    _name = "crm.readiness.assessment"
    _description = "CRM Readiness Assessment"
    _inherit = ["mail.thread", "crm.process.fields.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _process_fields = (
        "state",
        "baseline_date_from",
        "baseline_date_to",
        "baseline_revenue",
        "baseline_transactions",
        "baseline_margin",
        "baseline_cost",
    )

    name = fields.Char(required=True, tracking=True, default=lambda self: self.env._("CRM readiness"))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    user_id = fields.Many2one("res.users", string="Assessed by", default=lambda self: self.env.user, check_company=True)
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Done")], default="draft", required=True, readonly=True, tracking=True
    )
    answer_ids = fields.One2many("crm.readiness.answer", "assessment_id", string="Answers", copy=True)
    projection_ids = fields.One2many("crm.readiness.projection", "assessment_id", string="Business Case")

    score_people = fields.Float(string="People", compute="_compute_scores", store=True, digits=(16, 2))
    score_process = fields.Float(string="Process", compute="_compute_scores", store=True, digits=(16, 2))
    score_technology = fields.Float(string="Technology", compute="_compute_scores", store=True, digits=(16, 2))
    score_overall = fields.Float(
        string="Overall",
        compute="_compute_scores",
        store=True,
        digits=(16, 2),
        help="The weighted mean of the scored answers, 1 (not ready) to 5 (ready).",
    )
    unscored_count = fields.Integer(string="Unscored Questions", compute="_compute_scores", store=True)
    weakest_answer_ids = fields.Many2many(
        "crm.readiness.answer",
        compute="_compute_weakest_answers",
        string="Weakest Answers",
        help="The answers scored 1 or 2, lowest first: where the implementation must start.",
    )

    swot_strengths = fields.Text(string="Strengths")
    swot_weaknesses = fields.Text(string="Weaknesses")
    swot_opportunities = fields.Text(string="Opportunities")
    swot_threats = fields.Text(string="Threats")

    revenue_source = fields.Selection(
        selection=lambda self: self.env["crm.revenue.source"]._selection_source(),
        default=lambda self: self.env["crm.revenue.source"]._default_source(),
        required=True,
    )
    baseline_date_from = fields.Date(string="Baseline From", readonly=True)
    baseline_date_to = fields.Date(string="Baseline To", readonly=True, help="The baseline's last day.")
    baseline_revenue = fields.Monetary(readonly=True)
    baseline_transactions = fields.Integer(
        readonly=True, help="Orders (or invoices) of the baseline; refunds not counted."
    )
    baseline_margin = fields.Monetary(readonly=True)
    baseline_cost = fields.Monetary(
        string="Baseline Sales and Marketing Cost",
        readonly=True,
        help="The cost-to-serve items account management, co-marketing and call-centre and web costs.",
    )
    transaction_growth = fields.Float(
        string="Transactions per Year (%)",
        default=5.0,
        tracking=True,
        help="Growth of the number of transactions a year, compounded (the literature: +5 % a year).",
    )
    margin_points = fields.Float(
        string="Margin per Year (points)",
        default=1.0,
        tracking=True,
        help="Percentage points the margin rate gains each year (the literature: +1 point a year).",
    )
    cost_reduction = fields.Float(
        string="Cost Reduction by Year 3 (%)",
        default=10.0,
        tracking=True,
        help="How much lower the sales and marketing cost is in the last projected year, reached linearly "
        "(the literature: -10 % within three years).",
    )

    @api.depends("answer_ids.score", "answer_ids.weight", "answer_ids.dimension")
    def _compute_scores(self):
        for assessment in self:
            sums = {dimension: [0.0, 0.0] for dimension, _label in READINESS_DIMENSIONS}
            for answer in assessment.answer_ids.filtered("score"):
                sums[answer.dimension][0] += int(answer.score) * answer.weight
                sums[answer.dimension][1] += answer.weight
            for dimension, (weighted, weight) in sums.items():
                assessment[f"score_{dimension}"] = weighted / weight if weight else 0.0
            weighted, weight = (sum(column) for column in zip(*sums.values(), strict=True))
            assessment.score_overall = weighted / weight if weight else 0.0
            assessment.unscored_count = len(assessment.answer_ids.filtered(lambda answer: not answer.score))

    @api.depends("answer_ids.score", "answer_ids.weight")
    def _compute_weakest_answers(self):
        for assessment in self:
            weak = assessment.answer_ids.filtered(lambda answer: answer.score in WEAK_SCORES)
            assessment.weakest_answer_ids = weak.sorted(lambda answer: (answer.score, -answer.weight, answer.id))

    @api.constrains(*(name for name, *_rest in ASSUMPTION_BOUNDS))
    def _check_assumptions(self):
        for assessment in self:
            for name, lowest, highest in ASSUMPTION_BOUNDS:
                if not lowest <= assessment[name] <= highest:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: enter a value from %(lowest)s to %(highest)s.",
                            field=self._fields[name]._description_string(self.env),
                            lowest=lowest,
                            highest=highest,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        questions = self.env["crm.readiness.question"].search([])
        for vals in vals_list:
            if "answer_ids" not in vals:
                vals["answer_ids"] = [
                    Command.create(
                        {
                            "question_id": question.id,
                            "sequence": question.sequence,
                            "dimension": question.dimension,
                            "question": question.name,
                            "weight": question.weight,
                        }
                    )
                    for question in questions
                ]
        assessments = super().create(vals_list)
        assessments._project()
        return assessments

    def write(self, vals):
        if set(vals) - {"state"}:
            self._require_draft()
        result = super().write(vals)
        if {name for name, *_rest in ASSUMPTION_BOUNDS} & set(vals):
            self._project()
        return result

    def _process_field_hint(self, name, value):
        if name == "state":
            return self.env._("use the buttons Done and Back to Draft.")
        return self.env._("use the button Read Baseline, which reads the last twelve months.")

    # ------------------------------------------------------------------ actions

    def action_read_baseline(self):
        """Read the twelve months before the assessment's date: revenue, transactions and margin
        from the revenue source, sales and marketing cost from the cost-to-serve ledger."""
        self._require_draft()
        Revenue = self.env["crm.revenue.source"]
        for assessment in self:
            period = Revenue._period(assessment.date - relativedelta(months=12), months=12)
            documents = Revenue._revenue_documents(assessment.company_id, assessment.revenue_source, period)
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT COALESCE(SUM(d.amount), 0), COALESCE(SUM(d.margin), 0), COUNT(*) FILTER (WHERE d.is_sale) "
                    "FROM (%s) d",
                    documents,
                )
            )
            revenue, margin, transactions = self.env.cr.fetchone()
            [[cost]] = (
                self.env["crm.customer.cost"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", assessment.company_id.id),
                        ("date", ">=", period.start),
                        ("date", "<", period.end),
                        ("cost_type", "in", SALES_MARKETING_COST_TYPES),
                    ],
                    aggregates=["amount:sum"],
                )
            )
            assessment._process_write(
                {
                    "baseline_date_from": period.start,
                    "baseline_date_to": period.last_day,
                    "baseline_revenue": revenue,
                    "baseline_transactions": transactions,
                    "baseline_margin": margin,
                    "baseline_cost": cost,
                }
            )
        self._project()
        return True

    def action_done(self):
        self._require_draft()
        unscored = self.filtered("unscored_count")
        if unscored:
            raise UserError(
                self.env._(
                    "Score every question of %(assessments)s before closing it (%(count)s unscored).",
                    assessments=", ".join(unscored.mapped("name")),
                    count=sum(unscored.mapped("unscored_count")),
                )
            )
        self._process_write({"state": "done"})
        return True

    def action_draft(self):
        self._process_write({"state": "draft"})
        return True

    def _require_draft(self):
        done = self.filtered(lambda assessment: assessment.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "%(assessments)s is done: use Back to Draft to change it.",
                    assessments=", ".join(done.mapped("name")),
                )
            )

    def _project(self):
        """Rewrite the business case rows from the baseline and the assumptions."""
        rows = []
        for assessment in self:
            baseline = Baseline(
                assessment.baseline_revenue,
                assessment.baseline_transactions,
                assessment.baseline_margin,
                assessment.baseline_cost,
            )
            assumptions = Assumptions(
                assessment.transaction_growth / 100, assessment.margin_points, assessment.cost_reduction / 100
            )
            years = project(baseline, assumptions)
            for year in years:
                rows.append(
                    {
                        "assessment_id": assessment.id,
                        "year": year.year,
                        "transactions": year.transactions,
                        "revenue": year.revenue,
                        "margin_rate": year.margin_rate * 100,
                        "margin": year.margin,
                        "cost": year.cost,
                        "contribution": year.contribution,
                        "contribution_gain": year.contribution - years[0].contribution,
                    }
                )
        projections = self.env["crm.readiness.projection"].sudo()
        projections.search([("assessment_id", "in", self.ids)]).unlink()
        projections.create(rows)
