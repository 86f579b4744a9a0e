from odoo import fields, models
from odoo.tools import SQL

PARETO_DIMENSIONS = [
    ("cause_category", "Cause Category"),
    ("product", "Product"),
    ("customer", "Customer"),
    ("department", "Source Department"),
    ("process_step", "Process Step"),
]
# the vital few: the categories that start below this cumulative share (the ABC rule)
VITAL_FEW_CUT = 80


class CrmComplaintParetoReport(models.Model):
    """Which few causes: the complaints of each company counted per category of one dimension
    (cause category, product, customer, source department and process step of the root-cause
    trace), largest
    first, with the share, the cumulative share and the cost of quality of each category.

    The vital few are the categories that start below the 80 % cut: the cumulative share before
    the category is under 80 % (the same rule as the ABC classes). Complaints without a value for
    the dimension (cause not yet found, no product, ...) are not a category: they are counted
    apart (Not Yet Found) and left out of the shares. The cumulative runs over all time: a
    period filter would cut the rows, not recompute the cumulative.

    Internal complaints (colleagues, internal departments) and external ones make two Paretos
    side by side, split by Customer Kind: each has its own shares, cumulative and vital few."""

    _name = "crm.complaint.pareto.report"
    _description = "Complaint Pareto"
    _auto = False
    _rec_name = "category"
    _order = "company_id, customer_kind, dimension, rank"
    _depends = {
        "helpdesk.ticket": [
            "is_complaint",
            "company_id",
            "cause_category_id",
            "product_id",
            "commercial_partner_id",
            "source_department_id",
            "source_step_id",
            "faq_entry_id",
            "customer_kind",
        ],
        "crm.quality.cost": ["ticket_id", "amount"],
        "crm.complaint.cause.category": ["name"],
        "crm.quality.department": ["name"],
        "crm.service.blueprint": ["name"],
        "crm.service.blueprint.step": ["name", "blueprint_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["name"],
        "res.partner": ["name"],
        "res.company": ["currency_id"],
    }

    dimension = fields.Selection(PARETO_DIMENSIONS, readonly=True)
    customer_kind = fields.Selection(
        [("external", "External"), ("internal", "Internal")],
        readonly=True,
        help="Internal: complaints of colleagues and internal departments, ranked apart from the external ones.",
    )
    category = fields.Char(readonly=True)
    cause_category_id = fields.Many2one("crm.complaint.cause.category", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    department_id = fields.Many2one("crm.quality.department", string="Source Department", readonly=True)
    step_id = fields.Many2one("crm.service.blueprint.step", string="Process Step", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    rank = fields.Integer(readonly=True, aggregator="min")
    complaints = fields.Integer(readonly=True, aggregator="sum")
    share = fields.Float(
        string="Share (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="The category's complaints over the complaints with a category in this dimension.",
    )
    cumulative_share = fields.Float(
        string="Cumulative (%)",
        readonly=True,
        aggregator="max",
        digits=(16, 1),
        help="Share of this category and of all larger ones (ties in name order).",
    )
    vital_few = fields.Boolean(
        readonly=True,
        help="The category starts below the 80 % cut: the cumulative share before it is under 80 %.",
    )
    cost = fields.Monetary(
        string="Cost of Quality",
        currency_field="currency_id",
        readonly=True,
        aggregator="sum",
        help="Costs of quality booked on the category's complaints.",
    )
    faq_answered = fields.Integer(
        string="Answered by FAQ",
        readonly=True,
        aggregator="sum",
        help="The category's complaints closed by pointing to a published FAQ entry.",
    )
    complaints_apart = fields.Integer(
        string="Not Yet Found",
        readonly=True,
        aggregator="max",
        help="The company's complaints without a value for this dimension: counted apart, not in the shares.",
    )

    @property
    def _table_query(self):
        return SQL(
            "%s %s",
            self._with_complaints(),
            self._select_ranked(),
        )

    def _with_complaints(self):
        """Each complaint once per dimension, keyed by its category there (NULL: not yet found)."""
        return SQL(
            """
            WITH cost AS (
                SELECT ticket_id, SUM(amount) AS amount
                FROM crm_quality_cost
                WHERE ticket_id IS NOT NULL
                GROUP BY ticket_id
            ), keyed AS (
                SELECT t.company_id, COALESCE(t.customer_kind, 'external') AS customer_kind, k.dimension, k.key_id,
                       COALESCE(cost.amount, 0) AS cost, t.faq_entry_id IS NOT NULL AS faq_answered
                FROM helpdesk_ticket t
                LEFT JOIN cost ON cost.ticket_id = t.id
                CROSS JOIN LATERAL (
                    VALUES ('cause_category', t.cause_category_id),
                           ('product', t.product_id),
                           ('customer', t.commercial_partner_id),
                           ('department', t.source_department_id),
                           ('process_step', t.source_step_id)
                ) AS k(dimension, key_id)
                WHERE t.is_complaint AND t.company_id IS NOT NULL
            ), counted AS (
                SELECT company_id, customer_kind, dimension, key_id, COUNT(*) AS complaints, SUM(cost) AS cost,
                       COUNT(*) FILTER (WHERE faq_answered) AS faq_answered,
                       SUM(COUNT(*)) OVER (PARTITION BY company_id, customer_kind, dimension) AS total
                FROM keyed
                WHERE key_id IS NOT NULL
                GROUP BY company_id, customer_kind, dimension, key_id
            ), apart AS (
                SELECT company_id, customer_kind, dimension, COUNT(*) AS apart
                FROM keyed
                WHERE key_id IS NULL
                GROUP BY company_id, customer_kind, dimension
            ), named AS (
                SELECT c.*, %(name)s AS category
                FROM counted c
                %(names_from)s
            )
            """,
            name=self._category_name(),
            names_from=self._names_from(),
        )

    def _category_name(self):
        lang = self.env.lang or "en_US"
        return SQL(
            """CASE c.dimension
                   WHEN 'cause_category' THEN COALESCE(cc.name->>%(lang)s, cc.name->>'en_US')
                   WHEN 'product' THEN COALESCE(pt.name->>%(lang)s, pt.name->>'en_US')
                   WHEN 'customer' THEN partner.name
                   WHEN 'process_step' THEN blueprint.name || ' / ' || step.name
                   ELSE COALESCE(dep.name->>%(lang)s, dep.name->>'en_US')
               END""",
            lang=lang,
        )

    def _names_from(self):
        return SQL(
            """
            LEFT JOIN crm_complaint_cause_category cc ON c.dimension = 'cause_category' AND cc.id = c.key_id
            LEFT JOIN product_product pp ON c.dimension = 'product' AND pp.id = c.key_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN res_partner partner ON c.dimension = 'customer' AND partner.id = c.key_id
            LEFT JOIN crm_quality_department dep ON c.dimension = 'department' AND dep.id = c.key_id
            LEFT JOIN crm_service_blueprint_step step ON c.dimension = 'process_step' AND step.id = c.key_id
            LEFT JOIN crm_service_blueprint blueprint ON blueprint.id = step.blueprint_id
            """
        )

    def _select_ranked(self):
        """Largest first per company and dimension; the running sum gives the cumulative share,
        and the vital-few test compares integers (before / total < 80 %) so that a category
        starting exactly at 80 % is never taken in by a rounding."""
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY n.company_id, n.customer_kind, n.dimension, n.key_id) AS id,
                   n.company_id, company.currency_id, n.customer_kind, n.dimension, n.category,
                   CASE WHEN n.dimension = 'cause_category' THEN n.key_id END AS cause_category_id,
                   CASE WHEN n.dimension = 'product' THEN n.key_id END AS product_id,
                   CASE WHEN n.dimension = 'customer' THEN n.key_id END AS partner_id,
                   CASE WHEN n.dimension = 'department' THEN n.key_id END AS department_id,
                   CASE WHEN n.dimension = 'process_step' THEN n.key_id END AS step_id,
                   ROW_NUMBER() OVER pareto AS rank,
                   n.complaints, n.cost, n.faq_answered,
                   100.0 * n.complaints / n.total AS share,
                   100.0 * SUM(n.complaints) OVER pareto / n.total AS cumulative_share,
                   (SUM(n.complaints) OVER pareto - n.complaints) * 100 < %(cut)s * n.total AS vital_few,
                   COALESCE(apart.apart, 0) AS complaints_apart
            FROM named n
            JOIN res_company company ON company.id = n.company_id
            LEFT JOIN apart ON apart.company_id = n.company_id AND apart.customer_kind = n.customer_kind
                           AND apart.dimension = n.dimension
            WINDOW pareto AS (
                PARTITION BY n.company_id, n.customer_kind, n.dimension
                ORDER BY n.complaints DESC, n.category, n.key_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            )
            """,
            cut=VITAL_FEW_CUT,
        )
