from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_readiness_question import MAX_WEIGHT, READINESS_DIMENSIONS

READINESS_SCORES = [
    ("1", "1 - Not at all"),
    ("2", "2 - Barely"),
    ("3", "3 - Partly"),
    ("4", "4 - Largely"),
    ("5", "5 - Fully"),
]


class CrmReadinessAnswer(models.Model):
    """One question of an assessment and the score it got. The question's text, dimension and
    weight are copied from the question, so an assessment keeps what it was answered against."""

    _name = "crm.readiness.answer"
    _description = "CRM Readiness Answer"
    _inherit = ["crm.company.child.mixin"]
    _company_parent = "assessment_id"
    _order = "assessment_id, dimension, sequence, id"

    assessment_id = fields.Many2one("crm.readiness.assessment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    question_id = fields.Many2one("crm.readiness.question", string="Shipped Question", ondelete="set null")
    sequence = fields.Integer(default=10)
    dimension = fields.Selection(READINESS_DIMENSIONS, required=True)
    question = fields.Char(required=True)
    weight = fields.Float(default=1.0, required=True)
    score = fields.Selection(
        READINESS_SCORES, help="1: not at all ready, 5: fully ready. Unscored answers count in no score."
    )
    note = fields.Text(help="Why this score: the evidence, the gap, who owns it.")

    _sql_constraints = [
        (
            "weight_positive",
            "CHECK (weight > 0 AND weight <= 100)",
            "Weight: give the answer a weight from above 0 to 100.",
        ),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for answer in self:
            if not 0 < answer.weight <= MAX_WEIGHT:
                raise ValidationError(
                    self.env._(
                        "Weight of %(question)s: give the answer a weight from above 0 to %(max)s.",
                        question=answer.question,
                        max=MAX_WEIGHT,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        assessment_ids = {vals.get("assessment_id") for vals in vals_list}
        self.env["crm.readiness.assessment"].browse(assessment_ids - {None, False})._require_draft()
        return super().create(vals_list)

    def write(self, vals):
        self.assessment_id._require_draft()
        return super().write(vals)

    def unlink(self):
        self.assessment_id._require_draft()
        return super().unlink()
