from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.crm_revenue_source import with_document_depends

COUNTED_AS = [
    ("inquiry", "Inquiry"),
    ("quotation", "Quotation"),
    ("sale", "Sale"),
    ("refund", "Credit Note"),
    ("customer", "Customer of the Previous Year"),
    ("contact", "Customer Contact"),
    ("datacard", "Customer Data Card"),
]
# The SQL type of an empty cell, by field type (a UNION needs one type per column).
_EMPTY = {
    "integer": SQL("NULL::integer"),
    "float": SQL("NULL::numeric"),
    "monetary": SQL("NULL::numeric"),
    "many2one": SQL("NULL::integer"),
    "date": SQL("NULL::date"),
    "selection": SQL("NULL::varchar"),
}


class CrmSalesMeasureReport(models.Model):
    """The sales-side measures (DESIGN, Sales-side measures) per salesperson, team, customer and
    period: one row per fact a measure counts, to pivot by salesperson, team and month.

    A row is an inquiry (a lead), a quotation, a revenue document (a sale or a credit note of the
    Revenue Source setting, read from ``crm.revenue.source``), a customer of the previous calendar
    year (retention) or a logged contact; leaf modules add theirs. A count is 1 on the rows it
    counts and 0 on the others. A share (%) is 100 or 0 on the rows it is about and empty on the
    others, so that its average over any grouping is the exact share of that grouping (inquiry
    conversion = leads won / leads, not an average of salespeople's rates).

    Retention compares calendar years: each customer that bought in a year is a row dated 1 January
    of the next year (of the salesperson and team of its last sale of that year), retained when it
    buys again in that next year, so far for the current year. Read it per year: a filter on the
    current year gives this year's retention against last year.

    Extension point: ``_measure_parts`` returns the row sources; a module that adds a measure adds
    its field on this model and appends a part made with ``_measure_part``.
    """

    _name = "crm.sales.measure.report"
    _description = "Sales Measures"
    _auto = False
    _rec_name = "kind"
    _order = "date desc, id desc"
    _depends = with_document_depends(
        {
            "crm.lead": [
                "create_date",
                "company_id",
                "user_id",
                "team_id",
                "partner_id",
                "stage_id",
                "active",
                "lost_reason_id",
            ],
            "crm.team": ["company_id"],
            "crm.stage": ["is_won"],
            "crm.lost.reason": ["unmet_demand"],
            "res.users": ["sale_team_id"],
            "crm.contact.log": ["date", "company_id", "user_id", "partner_id"],
            "crm.customer.datacard": ["date", "company_id", "user_id", "partner_id", "completeness"],
        }
    )

    kind = fields.Selection(COUNTED_AS, string="Counted As", readonly=True)
    date = fields.Date(
        readonly=True,
        help="The day of the fact: an inquiry's creation, a quotation's or order's date, an invoice's or credit "
        "note's date, a contact's date; for retention, 1 January of the year measured.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    inquiries = fields.Integer(readonly=True, aggregator="sum", help="Leads and opportunities created.")
    inquiries_converted = fields.Integer(
        string="Became Customers", readonly=True, aggregator="sum", help="Inquiries in a won stage."
    )
    inquiries_unmet = fields.Integer(
        string="Unmet Demand",
        readonly=True,
        aggregator="sum",
        help="Inquiries lost for a reason marked 'unmet demand'.",
    )
    inquiry_conversion = fields.Float(
        string="Inquiry Conversion (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Inquiries that became customers / inquiries.",
    )
    demand_satisfaction = fields.Float(
        string="Primary-Demand Satisfaction (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Inquiries not lost for unmet demand / inquiries.",
    )
    offers = fields.Integer(
        string="Quotations Sent",
        readonly=True,
        aggregator="sum",
        help="Quotations sent, confirmed or cancelled, at the quotation's date.",
    )
    offers_accepted = fields.Integer(string="Quotations Confirmed", readonly=True, aggregator="sum")
    offer_acceptance = fields.Float(
        string="Offer Acceptance (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Quotations confirmed / quotations sent.",
    )
    revenue = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Untaxed, in the company's currency, net of credit notes, from the Revenue Source setting "
        "(confirmed orders or posted invoices).",
    )
    margin = fields.Monetary(string="Gross Margin", readonly=True, aggregator="sum")
    sales = fields.Integer(
        readonly=True, aggregator="sum", help="Orders or invoices, by the Revenue Source setting; credit notes not."
    )
    new_customers = fields.Integer(
        readonly=True, aggregator="sum", help="Customers whose first sale ever falls in the row (on its salesperson)."
    )
    customers_previous = fields.Integer(
        string="Customers Last Year",
        readonly=True,
        aggregator="sum",
        help="Customers that bought in the previous calendar year, on the salesperson of their last sale of "
        "that year, dated 1 January of the year measured.",
    )
    customers_retained = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Customers Last Year that bought again in the year measured (so far for the current year).",
    )
    retention = fields.Float(
        string="Retention (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Customers Retained / Customers Last Year, per calendar year: the previous period of a year is the "
        "calendar year before it. Read it by year (group or filter by year); turnover is 100 - retention.",
    )
    contacts = fields.Integer(
        string="Customer Contacts", readonly=True, aggregator="sum", help="Contacts logged by the salesperson."
    )
    datacard_completeness = fields.Float(
        string="Data Card Completeness (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="How complete the data cards of the salesperson's customers are, on average, at their last refresh "
        "(dated that day): the share of the company's data card items each customer record holds.",
    )

    @property
    def _table_query(self):
        # a row's id is its part's key and the part's place: the same row keeps its id as data is added
        parts = self._measure_parts()
        return SQL(
            """
            WITH revenue_documents AS MATERIALIZED (%(documents)s)
            SELECT measure.key * %(count)s + measure.part AS id, %(columns)s, company.currency_id
            FROM (%(parts)s) measure
            LEFT JOIN res_company company ON company.id = measure.company_id
            """,
            documents=self._revenue_documents(),
            count=len(parts),
            columns=SQL(", ").join(SQL("measure.%s", SQL.identifier(name)) for name in self._measure_columns()),
            parts=SQL(" UNION ALL ").join(
                SQL("SELECT %s AS part, part.* FROM (%s) part", index, part) for index, part in enumerate(parts)
            ),
        )

    # ------------------------------------------------------------------ extension point

    @api.model
    def _measure_parts(self):
        """The row sources of the report, each an ``SQL`` SELECT made by ``_measure_part``.

        A module that adds a measure adds its field on this model (``aggregator="sum"`` for a count
        or an amount; ``"avg"`` for a share that is 100 or 0 on the rows it is about) and returns
        ``super()._measure_parts()`` with its own part appended. A part gives ``date``,
        ``company_id`` and, where it has them, ``user_id``, ``team_id`` and ``partner_id`` (a
        commercial partner). The revenue documents of all companies are the CTE
        ``revenue_documents`` (the columns of ``crm.revenue.source._revenue_documents`` and
        ``first_sale``); the company rule limits the rows a user reads."""
        return [
            self._inquiry_part(),
            self._quotation_part(),
            self._revenue_part(),
            self._retention_part(),
            self._contact_part(),
            self._datacard_part(),
        ]

    @api.model
    def _measure_part(self, key, columns, from_clause):
        """``SELECT <key>, <every column of the report> <from_clause>``: ``key`` is an ``SQL``
        integer that tells the part's rows apart (the id of the record a row counts); ``columns``
        maps column names to ``SQL`` expressions, and a column left out is 0 for a summed measure
        and empty otherwise."""
        names = self._measure_columns()
        unknown = set(columns) - set(names)
        if unknown:
            raise ValueError(f"Not columns of {self._name}: {sorted(unknown)}")
        return SQL(
            "SELECT %s::bigint AS key, %s %s",
            key,
            SQL(", ").join(
                SQL("%s AS %s", columns[name] if name in columns else self._empty_cell(name), SQL.identifier(name))
                for name in names
            ),
            from_clause,
        )

    @api.model
    def _measure_columns(self):
        """The columns every part gives, in the order of the fields."""
        return [name for name, field in self._fields.items() if field.store and name not in ("id", "currency_id")]

    @api.model
    def _empty_cell(self, name):
        field = self._fields[name]
        if field.type in ("integer", "float", "monetary") and field.aggregator == "sum":
            return SQL("0")
        return _EMPTY[field.type]

    # ------------------------------------------------------------------ the parts

    @api.model
    def _revenue_documents(self):
        """Every revenue document of every company up to today (``crm.revenue.source``, the
        Revenue Source setting), with ``first_sale``: the customer's first sale ever."""
        Source = self.env["crm.revenue.source"]
        documents = Source._revenue_documents(
            self.env["res.company"].sudo().search([]),
            Source._default_source(),
            Source._period_until(fields.Date.context_today(self) + timedelta(days=1)),
        )
        return SQL(
            """
            SELECT d.*, d.is_sale AND ROW_NUMBER() OVER (
                       PARTITION BY d.company_id, d.partner_id, d.is_sale ORDER BY d.ts, d.amount DESC, d.user_id
                   ) = 1 AS first_sale
            FROM (%s) d
            """,
            documents,
        )

    @api.model
    def _document_key(self, alias):
        """A revenue document's key: an order and a credit note may have the same id."""
        return SQL("%s.document_id * 2 + CASE WHEN %s.is_sale THEN 0 ELSE 1 END", alias, alias)

    @api.model
    def _inquiry_part(self):
        """Leads and opportunities, archived ones included, at their creation; a lead without a
        company counts in its sales team's."""
        won = SQL("COALESCE(stage.is_won, FALSE)")
        unmet = SQL("(NOT lead.active AND COALESCE(reason.unmet_demand, FALSE))")
        return self._measure_part(
            SQL("lead.id"),
            {
                "kind": SQL("'inquiry'"),
                "date": SQL("lead.create_date::date"),
                "company_id": SQL("COALESCE(lead.company_id, team.company_id)"),
                "user_id": SQL("lead.user_id"),
                "team_id": SQL("lead.team_id"),
                "partner_id": SQL("customer.commercial_partner_id"),
                "inquiries": SQL("1"),
                "inquiries_converted": SQL("CASE WHEN %s THEN 1 ELSE 0 END", won),
                "inquiries_unmet": SQL("CASE WHEN %s THEN 1 ELSE 0 END", unmet),
                "inquiry_conversion": SQL("CASE WHEN %s THEN 100.0 ELSE 0.0 END", won),
                "demand_satisfaction": SQL("CASE WHEN %s THEN 0.0 ELSE 100.0 END", unmet),
            },
            SQL(
                """
                FROM crm_lead lead
                LEFT JOIN crm_team team ON team.id = lead.team_id
                LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                LEFT JOIN crm_lost_reason reason ON reason.id = lead.lost_reason_id
                LEFT JOIN res_partner customer ON customer.id = lead.partner_id
                """
            ),
        )

    @api.model
    def _quotation_part(self):
        """Quotations sent, confirmed or cancelled, at the order's date."""
        confirmed = SQL("so.state = 'sale'")
        return self._measure_part(
            SQL("so.id"),
            {
                "kind": SQL("'quotation'"),
                "date": SQL("so.date_order::date"),
                "company_id": SQL("so.company_id"),
                "user_id": SQL("so.user_id"),
                "team_id": SQL("so.team_id"),
                "partner_id": SQL("customer.commercial_partner_id"),
                "offers": SQL("1"),
                "offers_accepted": SQL("CASE WHEN %s THEN 1 ELSE 0 END", confirmed),
                "offer_acceptance": SQL("CASE WHEN %s THEN 100.0 ELSE 0.0 END", confirmed),
            },
            SQL(
                """
                FROM sale_order so
                JOIN res_partner customer ON customer.id = so.partner_id
                WHERE so.state IN ('sent', 'sale', 'cancel')
                """
            ),
        )

    @api.model
    def _revenue_part(self):
        """The revenue documents: a sale or a credit note per row."""
        return self._measure_part(
            self._document_key(SQL("d")),
            {
                "kind": SQL("CASE WHEN d.is_sale THEN 'sale' ELSE 'refund' END"),
                "date": SQL("d.ts::date"),
                "company_id": SQL("d.company_id"),
                "user_id": SQL("d.user_id"),
                "team_id": SQL("d.team_id"),
                "partner_id": SQL("d.partner_id"),
                "revenue": SQL("d.amount"),
                "margin": SQL("d.margin"),
                "sales": SQL("CASE WHEN d.is_sale THEN 1 ELSE 0 END"),
                "new_customers": SQL("CASE WHEN d.first_sale THEN 1 ELSE 0 END"),
            },
            SQL("FROM revenue_documents d"),
        )

    @api.model
    def _retention_part(self):
        """Per company, customer and year up to the current one: the customers that bought in the
        year before, on the salesperson and team of their last sale of that year (whose key the
        row takes), retained when they buy again in the year (from any salesperson)."""
        this_year = fields.Date.context_today(self).year
        return self._measure_part(
            SQL("base.key"),
            {
                "kind": SQL("'customer'"),
                "date": SQL("base.year_start"),
                "company_id": SQL("base.company_id"),
                "user_id": SQL("base.user_id"),
                "team_id": SQL("base.team_id"),
                "partner_id": SQL("base.partner_id"),
                "customers_previous": SQL("1"),
                "customers_retained": SQL("CASE WHEN base.retained THEN 1 ELSE 0 END"),
                "retention": SQL("CASE WHEN base.retained THEN 100.0 ELSE 0.0 END"),
            },
            SQL(
                """
                FROM (
                    SELECT last_year.*, EXISTS (
                               SELECT 1 FROM revenue_documents d
                               WHERE d.is_sale AND d.company_id = last_year.company_id
                                 AND d.partner_id = last_year.partner_id
                                 AND d.ts >= last_year.year_start::timestamp
                                 AND d.ts < (last_year.year_start + INTERVAL '1 year')
                           ) AS retained
                    FROM (
                        SELECT d.company_id, d.partner_id,
                               (ARRAY_AGG(%(key)s ORDER BY d.ts DESC))[1] AS key,
                               (ARRAY_AGG(d.user_id ORDER BY d.ts DESC))[1] AS user_id,
                               (ARRAY_AGG(d.team_id ORDER BY d.ts DESC))[1] AS team_id,
                               (DATE_TRUNC('year', d.ts) + INTERVAL '1 year')::date AS year_start
                        FROM revenue_documents d
                        WHERE d.is_sale AND d.ts < %(this_year)s::timestamp
                        GROUP BY d.company_id, d.partner_id, DATE_TRUNC('year', d.ts)
                    ) last_year
                ) base
                """,
                key=self._document_key(SQL("d")),
                this_year=date(this_year, 1, 1),
            ),
        )

    @api.model
    def _contact_part(self):
        """Logged contacts, on the user who had them (and his sales team)."""
        return self._measure_part(
            SQL("log.id"),
            {
                "kind": SQL("'contact'"),
                "date": SQL("log.date::date"),
                "company_id": SQL("log.company_id"),
                "user_id": SQL("log.user_id"),
                "team_id": SQL("salesperson.sale_team_id"),
                "partner_id": SQL("log.partner_id"),
                "contacts": SQL("1"),
            },
            SQL(
                """
                FROM crm_contact_log log
                LEFT JOIN res_users salesperson ON salesperson.id = log.user_id
                """
            ),
        )

    @api.model
    def _datacard_part(self):
        """The customers' data cards at their last refresh, on the customer's salesperson (and his
        sales team): their completeness averages to the salesperson's."""
        return self._measure_part(
            SQL("card.id"),
            {
                "kind": SQL("'datacard'"),
                "date": SQL("card.date"),
                "company_id": SQL("card.company_id"),
                "user_id": SQL("card.user_id"),
                "team_id": SQL("salesperson.sale_team_id"),
                "partner_id": SQL("card.partner_id"),
                "datacard_completeness": SQL("card.completeness"),
            },
            SQL(
                """
                FROM crm_customer_datacard card
                LEFT JOIN res_users salesperson ON salesperson.id = card.user_id
                """
            ),
        )
