from odoo import fields, models
from odoo.tools import SQL


class CrmServiceBlueprintReport(models.Model):
    """Fail point analysis: every step of the company's active service blueprints with the
    complaints traced to it (the step of the trace line marked as the source) and the cost of
    quality booked on them, ranked per company by complaints, then cost (ties in blueprint and
    step order). The fail points that lead the ranking are where to act first."""

    _name = "crm.service.blueprint.report"
    _description = "Service Blueprint Fail Points"
    _auto = False
    _rec_name = "step_id"
    _order = "company_id, rank"
    _depends = {
        "helpdesk.ticket": ["is_complaint", "source_step_id", "customer_kind"],
        "crm.quality.cost": ["ticket_id", "amount"],
        "crm.service.blueprint": ["name", "sequence", "active", "company_id"],
        "crm.service.blueprint.step": [
            "blueprint_id",
            "company_id",
            "sequence",
            "department_id",
            "contact_type",
            "adds_value",
            "is_fail_point",
            "complaint_threshold",
        ],
        "res.company": ["currency_id"],
    }

    step_id = fields.Many2one("crm.service.blueprint.step", string="Process Step", readonly=True)
    blueprint_id = fields.Many2one("crm.service.blueprint", string="Service Blueprint", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    department_id = fields.Many2one("crm.quality.department", readonly=True)
    sequence = fields.Integer(readonly=True, aggregator="min")
    contact_type = fields.Selection(
        [("encounter", "Encounter point"), ("back_office", "Back office")], string="Customer Contact", readonly=True
    )
    adds_value = fields.Selection([("value", "Adds value"), ("cost", "Only cost")], string="Value", readonly=True)
    is_fail_point = fields.Boolean(string="Fail Point", readonly=True)
    complaint_threshold = fields.Integer(readonly=True, aggregator="max")
    rank = fields.Integer(
        readonly=True,
        aggregator="min",
        help="Place of the step among the company's steps: most complaints first, then most cost of quality.",
    )
    complaints = fields.Integer(readonly=True, aggregator="sum", help="Complaints whose source is this step.")
    internal_complaints = fields.Integer(
        readonly=True, aggregator="sum", help="Of the step's complaints, those of internal customers (colleagues)."
    )
    external_complaints = fields.Integer(
        readonly=True, aggregator="sum", help="Of the step's complaints, those of external customers."
    )
    share = fields.Float(
        string="Share (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="The step's complaints over the complaints traced to any step of the company.",
    )
    cost = fields.Monetary(
        string="Cost of Quality",
        currency_field="currency_id",
        readonly=True,
        aggregator="sum",
        help="Costs of quality booked on the step's complaints.",
    )

    @property
    def _table_query(self):
        return SQL("%s %s", self._with_traced(), self._select_ranked())

    def _with_traced(self):
        return SQL(
            """
            WITH cost AS (
                SELECT ticket_id, SUM(amount) AS amount
                FROM crm_quality_cost
                WHERE ticket_id IS NOT NULL
                GROUP BY ticket_id
            ), traced AS (
                SELECT t.source_step_id AS step_id, COUNT(*) AS complaints,
                       COUNT(*) FILTER (WHERE t.customer_kind = 'internal') AS internal_complaints,
                       SUM(COALESCE(cost.amount, 0)) AS cost
                FROM helpdesk_ticket t
                LEFT JOIN cost ON cost.ticket_id = t.id
                WHERE t.is_complaint AND t.source_step_id IS NOT NULL
                GROUP BY t.source_step_id
            )
            """
        )

    def _select_ranked(self):
        return SQL(
            """
            SELECT s.id AS id, s.id AS step_id, s.blueprint_id, s.company_id, company.currency_id,
                   s.department_id, s.sequence, s.contact_type, s.adds_value, s.is_fail_point,
                   s.complaint_threshold,
                   ROW_NUMBER() OVER (
                       PARTITION BY s.company_id
                       ORDER BY COALESCE(traced.complaints, 0) DESC, COALESCE(traced.cost, 0) DESC,
                                b.sequence, b.name, b.id, s.sequence, s.id
                   ) AS rank,
                   COALESCE(traced.complaints, 0) AS complaints,
                   COALESCE(traced.internal_complaints, 0) AS internal_complaints,
                   COALESCE(traced.complaints - traced.internal_complaints, 0) AS external_complaints,
                   COALESCE(
                       100.0 * traced.complaints
                       / NULLIF(SUM(traced.complaints) OVER (PARTITION BY s.company_id), 0),
                       0
                   ) AS share,
                   COALESCE(traced.cost, 0) AS cost
            FROM crm_service_blueprint_step s
            JOIN crm_service_blueprint b ON b.id = s.blueprint_id
            JOIN res_company company ON company.id = s.company_id
            LEFT JOIN traced ON traced.step_id = s.id
            WHERE b.active
            """
        )
