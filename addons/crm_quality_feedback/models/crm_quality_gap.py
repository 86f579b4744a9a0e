from odoo import api, fields, models
from odoo.tools import SQL

SCALE = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class CrmQualityGap(models.Model):
    """One assessment of a service attribute: what was expected against what was perceived.

    Beside it, staff's estimate of what the customer perceives: managers misjudge it, and the
    perception gap (estimate - perception) shows by how much.
    """

    _name = "crm.quality.gap"
    _description = "Service Quality Gap"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    attribute_id = fields.Many2one("crm.quality.attribute", string="Service Attribute", required=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index="btree_not_null", check_company=True)
    source = fields.Selection(
        [("customer", "Customer"), ("staff", "Staff"), ("mystery_shopper", "Mystery shopper")],
        required=True,
        default="customer",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    expectation = fields.Integer(required=True, help="1 (low) to 5 (high).")
    perception = fields.Integer(required=True, help="1 (poor) to 5 (excellent).")
    gap = fields.Integer(compute="_compute_gap", store=True, aggregator="avg", help="Perception - expectation.")
    staff_estimate = fields.Integer(
        help="What staff think the customer perceives, 1 (poor) to 5 (excellent); empty when not estimated.",
    )
    perception_gap = fields.Integer(
        compute="_compute_perception_gap",
        store=True,
        aggregator="avg",
        help="Staff estimate - perception: above zero, staff think the customer sees the service better "
        "than the customer does. Assessments without a staff estimate are left out of the average.",
    )

    _sql_constraints = [
        ("expectation_range", "CHECK(expectation BETWEEN 1 AND 5)", "Expectation goes from 1 to 5."),
        ("perception_range", "CHECK(perception BETWEEN 1 AND 5)", "Perception goes from 1 to 5."),
        (
            "staff_estimate_range",
            "CHECK(staff_estimate IS NULL OR staff_estimate BETWEEN 0 AND 5)",
            "Staff Estimate goes from 1 to 5; leave it empty (0) when staff did not estimate.",
        ),
    ]

    @api.depends("expectation", "perception")
    def _compute_gap(self):
        for assessment in self:
            assessment.gap = assessment.perception - assessment.expectation

    @api.depends("staff_estimate", "perception")
    def _compute_perception_gap(self):
        for assessment in self:
            estimate = assessment.staff_estimate
            assessment.perception_gap = estimate - assessment.perception if estimate else 0

    def _read_group_select(self, aggregate_spec, query):
        """The average perception gap counts only the assessments that carry a staff estimate."""
        if aggregate_spec != "perception_gap:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "AVG(%(gap)s) FILTER (WHERE %(estimate)s > 0)",
            gap=self._field_to_sql(self._table, "perception_gap", query),
            estimate=self._field_to_sql(self._table, "staff_estimate", query),
        )
