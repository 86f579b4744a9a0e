from odoo import api, fields, models

SCALE = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class CrmQualityGap(models.Model):
    """One assessment of a service attribute: what was expected against what was perceived."""

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

    _sql_constraints = [
        ("expectation_range", "CHECK(expectation BETWEEN 1 AND 5)", "Expectation goes from 1 to 5."),
        ("perception_range", "CHECK(perception BETWEEN 1 AND 5)", "Perception goes from 1 to 5."),
    ]

    @api.depends("expectation", "perception")
    def _compute_gap(self):
        for assessment in self:
            assessment.gap = assessment.perception - assessment.expectation
