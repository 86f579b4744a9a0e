from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The three dimensions a CRM implementation rests on (DESIGN.md, section 5).
READINESS_DIMENSIONS = [
    ("people", "People"),
    ("process", "Process"),
    ("technology", "Technology"),
]


# A question counts at most a hundred times another: weights are relative importances.
MAX_WEIGHT = 100


class CrmReadinessQuestion(models.Model):
    """A question of the CRM readiness assessment, scored 1 (not at all) to 5 (fully) with a weight.

    The questions ship as data and an administrator edits them; an assessment copies the active
    questions when it is created, so that editing a question later leaves past assessments as
    they were answered.
    """

    _name = "crm.readiness.question"
    _description = "CRM Readiness Question"
    _order = "dimension, sequence, id"

    sequence = fields.Integer(default=10)
    dimension = fields.Selection(READINESS_DIMENSIONS, required=True)
    name = fields.Char(string="Question", required=True, translate=True)
    guidance = fields.Text(translate=True, help="What a score of 1 and a score of 5 mean for this question.")
    weight = fields.Float(
        default=1.0, required=True, help="How much the answer counts in its dimension's score and the overall score."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "weight_positive",
            "CHECK (weight > 0 AND weight <= 100)",
            "Weight: give the question a weight from above 0 to 100.",
        ),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for question in self:
            if not 0 < question.weight <= MAX_WEIGHT:
                raise ValidationError(
                    self.env._(
                        "Weight of %(question)s: give the question a weight from above 0 to %(max)s.",
                        question=question.name,
                        max=MAX_WEIGHT,
                    )
                )
