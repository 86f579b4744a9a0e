from odoo import api, models
from odoo.tools import SQL

from ..tools.period import CustomerPeriod, Period

# The sources a figure can read its revenue from (the labels say what is netted).
REVENUE_SOURCES = [
    ("orders", "Confirmed sales orders, net of credit notes"),
    ("invoices", "Posted customer invoices, net of credit notes"),
]

# The columns of a revenue document, in the order every part gives them; a read of dates only
# (``_revenue_document_dates``) gives the first ones without the amounts and the salespeople.
DOCUMENT_COLUMNS = (
    "partner_id",
    "ts",
    "is_sale",
    "amount",
    "margin",
    "user_id",
    "team_id",
    "company_id",
    "document_id",
)
DATE_COLUMNS = ("partner_id", "ts", "is_sale", "company_id", "document_id")
# The columns of a revenue line (``_revenue_lines``): a document's columns, per product line,
# with the line's product and its product category.
LINE_COLUMNS = (*DOCUMENT_COLUMNS, "product_id", "categ_id")


# The stored fields the revenue documents read, by model: a report whose query reads them
# declares them in its ``_depends`` (``with_document_depends``) so that the ORM writes pending
# changes of them before the report is read.
DOCUMENT_DEPENDS = {
    "sale.order": [
        "state",
        "date_order",
        "company_id",
        "user_id",
        "team_id",
        "partner_id",
        "amount_untaxed",
        "margin",
        "currency_rate",
    ],
    "sale.order.line": ["order_id", "invoice_lines"],
    "account.move": [
        "move_type",
        "state",
        "invoice_date",
        "company_id",
        "invoice_user_id",
        "team_id",
        "commercial_partner_id",
        "amount_untaxed_signed",
        "margin_signed",
        "invoice_currency_rate",
    ],
    "account.move.line": ["move_id", "display_type", "balance", "margin_signed"],
    "res.partner": ["commercial_partner_id"],
}


def with_document_depends(depends):
    """A report's ``_depends``: its own fields ``depends`` and those of ``DOCUMENT_DEPENDS``."""
    merged = {model: list(names) for model, names in DOCUMENT_DEPENDS.items()}
    for model, names in depends.items():
        known = merged.setdefault(model, [])
        known.extend(name for name in names if name not in known)
    return merged


class CrmRevenueSource(models.AbstractModel):
    """The product's one definition of revenue: the revenue documents of a company.

    Every figure called revenue or gross margin (the dossier's customer value, the lifecycle
    stage, portfolio runs, key-account objectives and reviews, sales measures, share of wallet)
    reads the rows of ``_revenue_documents``; a module that needs revenue calls it too and never
    reads ``sale_order`` or ``account_move_line`` for it. Periods come from ``_period``.
    """

    _name = "crm.revenue.source"
    _description = "Revenue Documents"

    # ------------------------------------------------------------------ periods

    @api.model
    def _period(self, start, months=0, days=0):
        """The half-open period ``[start, start + months + days)``: ``start`` and ``end`` (a date)."""
        return Period.of(start, months=months, days=days)

    @api.model
    def _period_ending_on(self, last_day, months):
        """The ``months`` months up to ``last_day`` included (the last 12 months up to today)."""
        return Period.ending_on(last_day, months)

    @api.model
    def _period_through(self, first_day, last_day):
        """A period entered with an inclusive last day, as a plan's Start and End: its end is the
        day after ``last_day``."""
        return Period.through(first_day, last_day)

    @api.model
    def _period_until(self, end):
        """Everything before ``end`` (a customer's history up to a period's end): its start is None."""
        return Period.until(end)

    @api.model
    def _customer_period(self, key, company_id, partner_id, period):
        """A ``CustomerPeriod``: ``partner_id`` (a commercial partner) in ``company_id`` over
        ``period``, answered under ``key`` by ``_revenue_figures`` and the customer measures."""
        return CustomerPeriod(key, company_id, partner_id, period)

    # ------------------------------------------------------------------ documents

    @api.model
    def _selection_source(self):
        """The revenue sources with their labels in the user's language, for a selection field."""
        return self.env["crm.portfolio.analysis"]._fields["revenue_source"]._description_selection(self.env)

    @api.model
    def _default_source(self):
        """The company-wide Revenue Source setting (confirmed orders unless changed)."""
        source = self.env["ir.config_parameter"].sudo().get_param("crm_relationship.portfolio_revenue_source")
        return source if source in dict(REVENUE_SOURCES) else "orders"

    @api.model
    def _revenue_documents(self, companies, source, period, partner_ids=None):
        """The revenue documents of ``companies`` dated in ``period``, as an ``odoo.tools.SQL`` row source.

        One row per document, with the columns:

        - ``partner_id``: the customer, always a commercial partner (an order placed by a contact
          counts on its company);
        - ``ts``: the document's timestamp (an order's date, an invoice's or credit note's
          invoice date at midnight), compared with the period as ``start <= ts < end``;
        - ``amount`` and ``margin``: untaxed, in the company's currency, negative for a refund;
        - ``is_sale``: TRUE for an order or invoice, FALSE for a credit note (it counts in
          amounts, never as an order);
        - ``user_id``, ``team_id``: the salesperson and sales team of the document;
        - ``company_id``: the document's company;
        - ``document_id``: the document's id, a ``sale.order`` for an order of the source
          ``orders``, an ``account.move`` for an invoice or a credit note.

        ``source`` is one of:

        ``orders``
            confirmed sale orders (state ``sale``), each at its date and its own currency rate,
            net of the posted credit notes of their invoices: a credit note is a row of its own,
            dated at its invoice date, on the refunded order's customer and salesperson; its amount
            is the untaxed amount of its lines that refund an order line, its margin the margin
            ``account_invoice_margin`` keeps on those lines, as the source ``invoices`` reads it:
            a credit note has one margin whatever the source.
        ``invoices``
            posted customer invoices and credit notes, net: a document's amount is its untaxed
            amount in the company's currency, its margin the one OCA's ``account_invoice_margin``
            keeps on it: the untaxed amount less each line's quantity at the line's cost, recorded
            when the line is made (an order's invoice line takes its order line's cost, through
            ``account_invoice_margin_sale``; a credit note's line the cost of the invoice line it
            reverses; down payments carry no margin), with signs reversed for a credit note. Both
            are read on the document itself, one row per document as for orders.

        A period whose ``start`` is None reads every document before its end (first and last
        order dates). ``companies`` None reads the documents of every company. ``partner_ids``
        limits the rows to those commercial partners. The caller flushes what it wrote before
        running the query, and aggregates the rows as it needs.
        """
        return self._documents(companies, source, period, partner_ids, DOCUMENT_COLUMNS, sales_only=False)

    @api.model
    def _revenue_document_dates(self, companies, source, period, partner_ids=None, sales_only=False):
        """The rows of ``_revenue_documents`` with its arguments, narrowed to the columns
        ``partner_id``, ``ts``, ``is_sale``, ``company_id`` and ``document_id``: the same documents,
        without the amounts, for the dates of a customer's history (its last sale, the intervals
        between its orders) where computing the amounts of every document ever would be wasted.

        ``sales_only`` keeps the sale rows alone (``is_sale``: the confirmed orders, or the posted
        invoices), without the credit notes.
        """
        return self._documents(companies, source, period, partner_ids, DATE_COLUMNS, sales_only=sales_only)

    @api.model
    def _documents(self, companies, source, period, partner_ids, names, sales_only):
        """The parts of ``source`` with the columns ``names``, joined by UNION ALL."""
        if source == "invoices":
            return self._invoice_documents(companies, period, partner_ids, names, sales_only)
        if sales_only:
            return self._order_documents(companies, period, partner_ids, names)
        return SQL(
            "%s UNION ALL %s",
            self._order_documents(companies, period, partner_ids, names),
            self._order_credit_note_documents(companies, period, partner_ids, names),
        )

    @api.model
    def _revenue_figures(self, source, requests):
        """``{key: (revenue, margin, sales)}`` for a list of ``CustomerPeriod`` requests, read from
        ``_revenue_documents`` of ``source`` in one query. Sales count orders or invoices, not credit
        notes; a request without any document is left out (read it as zeros)."""
        if not requests:
            return {}
        first_day = min(request.period.start for request in requests)
        envelope = Period(first_day, max(request.period.end for request in requests))
        documents = self._revenue_documents(
            self.env["res.company"].browse(list({request.company_id for request in requests})),
            source,
            envelope,
            list({request.partner_id for request in requests}),
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.key, COALESCE(SUM(d.amount), 0), COALESCE(SUM(d.margin), 0), COUNT(*) FILTER (WHERE d.is_sale)
                FROM unnest(%(keys)s::int[], %(companies)s::int[], %(partners)s::int[],
                            %(starts)s::date[], %(ends)s::date[]) AS r(key, company_id, partner_id, date_from, date_to)
                JOIN (%(documents)s) d ON d.partner_id = r.partner_id AND d.company_id = r.company_id
                     AND d.ts >= r.date_from::timestamp AND d.ts < r.date_to::timestamp
                GROUP BY r.key
                """,
                keys=[request.key for request in requests],
                companies=[request.company_id for request in requests],
                partners=[request.partner_id for request in requests],
                starts=[request.period.start for request in requests],
                ends=[request.period.end for request in requests],
                documents=documents,
            )
        )
        return {key: (revenue, margin, sales) for key, revenue, margin, sales in self.env.cr.fetchall()}

    # The parts of the two sources, each a SELECT with the columns listed above.

    @api.model
    def _select(self, columns, names):
        """A part's select list: ``columns`` (``{name: SQL}``) in the order of ``names``, one of
        ``DOCUMENT_COLUMNS`` and ``DATE_COLUMNS``, so that the parts of a UNION ALL line up."""
        return SQL(", ").join(SQL("%s AS %s", columns[name], SQL.identifier(name)) for name in names)

    @api.model
    def _in_company_currency(self, amount, rate):
        """``amount`` of a document in its own currency, converted at the document's ``rate``
        (units of its currency per unit of the company's). An order in the company's currency
        (rate 1, or none recorded) is taken as it is, without a division."""
        return SQL(
            "CASE WHEN %(rate)s = 1 OR %(rate)s = 0 OR %(rate)s IS NULL THEN %(amount)s ELSE %(amount)s / %(rate)s END",
            rate=rate,
            amount=amount,
        )

    @api.model
    def _scope(
        self, company_column, date_column, partner_column, companies, period, partner_ids, date_type="timestamp"
    ):
        """The filters every part applies: the companies (every company when None), the period
        (``date_column`` of type ``date_type``), the customers."""
        date_type = {"timestamp": SQL("timestamp"), "date": SQL("date")}[date_type]
        conditions = []
        if companies is not None:
            ids = companies.ids
            conditions.append(
                SQL("%s = %s", company_column, ids[0]) if len(ids) == 1 else SQL("%s = ANY(%s)", company_column, ids)
            )
        conditions.append(SQL("%s < %s::%s", date_column, period.end, date_type))
        if period.start is not None:
            conditions.append(SQL("%s >= %s::%s", date_column, period.start, date_type))
        if partner_ids is not None:
            conditions.append(SQL("%s = ANY(%s::int[])", partner_column, list(partner_ids)))
        return SQL(" AND ").join(conditions)

    @api.model
    def _order_documents(self, companies, period, partner_ids, names=DOCUMENT_COLUMNS):
        """Confirmed orders."""
        return SQL(
            """
            SELECT %(columns)s
            FROM sale_order so
            JOIN res_partner rp ON rp.id = so.partner_id
            WHERE so.state = 'sale' AND %(scope)s
            """,
            columns=self._select(
                {
                    "partner_id": SQL("rp.commercial_partner_id"),
                    "ts": SQL("so.date_order"),
                    "is_sale": SQL("TRUE"),
                    "amount": self._in_company_currency(SQL("so.amount_untaxed"), SQL("so.currency_rate")),
                    "margin": self._in_company_currency(SQL("COALESCE(so.margin, 0)"), SQL("so.currency_rate")),
                    "user_id": SQL("so.user_id"),
                    "team_id": SQL("so.team_id"),
                    "company_id": SQL("so.company_id"),
                    "document_id": SQL("so.id"),
                },
                names,
            ),
            scope=self._scope(
                SQL("so.company_id"),
                SQL("so.date_order"),
                SQL("rp.commercial_partner_id"),
                companies,
                period,
                partner_ids,
            ),
        )

    @api.model
    def _first_order_line(self, invoice_line):
        """The order line an invoice line invoices (the first one when it invoices several)."""
        return SQL(
            """
            LEFT JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = %(line)s.id
                 AND NOT EXISTS (
                     SELECT 1 FROM sale_order_line_invoice_rel other
                     WHERE other.invoice_line_id = rel.invoice_line_id AND other.order_line_id < rel.order_line_id)
            LEFT JOIN sale_order_line sol ON sol.id = rel.order_line_id
            LEFT JOIN sale_order so ON so.id = sol.order_id
            """,
            line=invoice_line,
        )

    @api.model
    def _order_credit_note_documents(self, companies, period, partner_ids, names=DOCUMENT_COLUMNS):
        """Posted credit notes of the invoices of confirmed orders, on the refunded order's customer."""
        return SQL(
            """
            SELECT %(columns)s
            FROM account_move am
            JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
            %(order_line)s
            JOIN res_partner rp ON rp.id = so.partner_id
            WHERE am.move_type = 'out_refund' AND am.state = 'posted' AND so.state = 'sale'
              AND so.company_id = am.company_id AND %(scope)s
            GROUP BY am.id, rp.commercial_partner_id
            """,
            columns=self._select(
                {
                    "partner_id": SQL("rp.commercial_partner_id"),
                    "ts": SQL("am.invoice_date::timestamp"),
                    "is_sale": SQL("FALSE"),
                    "amount": SQL("SUM(-aml.balance)"),
                    "margin": SQL("SUM(%s)", self._invoice_margin(SQL("aml"), SQL("am"))),
                    "user_id": SQL("MIN(so.user_id)"),
                    "team_id": SQL("MIN(so.team_id)"),
                    "company_id": SQL("am.company_id"),
                    "document_id": SQL("am.id"),
                },
                names,
            ),
            order_line=self._first_order_line(SQL("aml")),
            scope=self._scope(
                SQL("am.company_id"),
                SQL("am.invoice_date"),
                SQL("rp.commercial_partner_id"),
                companies,
                period,
                partner_ids,
                date_type="date",
            ),
        )

    @api.model
    def _invoice_documents(self, companies, period, partner_ids, names=DOCUMENT_COLUMNS, sales_only=False):
        """Posted customer invoices and credit notes (invoices alone with ``sales_only``)."""
        return SQL(
            """
            SELECT %(columns)s
            FROM account_move am
            WHERE %(move_types)s AND am.state = 'posted' AND %(scope)s
            """,
            columns=self._select(
                {
                    "partner_id": SQL("am.commercial_partner_id"),
                    "ts": SQL("am.invoice_date::timestamp"),
                    "is_sale": SQL("am.move_type = 'out_invoice'"),
                    "amount": SQL("am.amount_untaxed_signed"),
                    "margin": self._invoice_margin(SQL("am"), SQL("am")),
                    "user_id": SQL("am.invoice_user_id"),
                    "team_id": SQL("am.team_id"),
                    "company_id": SQL("am.company_id"),
                    "document_id": SQL("am.id"),
                },
                names,
            ),
            move_types=SQL("am.move_type = 'out_invoice'")
            if sales_only
            else SQL("am.move_type IN ('out_invoice', 'out_refund')"),
            scope=self._invoice_scope(companies, period, partner_ids),
        )

    @api.model
    def _invoice_margin(self, record, move):
        """The signed margin ``account_invoice_margin`` keeps on ``record`` (an invoice or one of its
        lines, of the invoice ``move``), in the company's currency."""
        return self._in_company_currency(
            SQL("COALESCE(%s.margin_signed, 0)", record), SQL("%s.invoice_currency_rate", move)
        )

    @api.model
    def _invoice_scope(self, companies, period, partner_ids):
        return self._scope(
            SQL("am.company_id"),
            SQL("am.invoice_date"),
            SQL("am.commercial_partner_id"),
            companies,
            period,
            partner_ids,
            date_type="date",
        )

    # ------------------------------------------------------------------ lines

    @api.model
    def _revenue_lines(self, companies, source, period, partner_ids=None):
        """The rows of ``_revenue_documents`` with its arguments, split by product line: the same
        documents and the same revenue, one row per line, as an ``odoo.tools.SQL`` row source.

        The columns are those of ``_revenue_documents`` (``amount`` and ``margin`` the line's,
        ``document_id`` its document's) with ``product_id`` and ``categ_id`` (the product's
        category; both NULL on a line without product). An order's rows are its product lines
        (``price_subtotal`` and ``margin``, sections and notes left out): they add up to the
        order's untaxed amount and margin. A credit note's or an invoice's rows are its product
        lines, as the documents sum them. For figures per product or product category (the
        sales forecast); figures per customer read the documents.
        """
        if source == "invoices":
            return self._invoice_lines(companies, period, partner_ids)
        return SQL(
            "%s UNION ALL %s",
            self._order_lines(companies, period, partner_ids),
            self._order_credit_note_lines(companies, period, partner_ids),
        )

    @api.model
    def _product_category(self, line):
        """The product and product category of ``line`` (an order or a journal item)."""
        return SQL(
            """
            LEFT JOIN product_product pp ON pp.id = %(line)s.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            line=line,
        )

    @api.model
    def _order_lines(self, companies, period, partner_ids):
        """The product lines of confirmed orders."""
        return SQL(
            """
            SELECT %(columns)s
            FROM sale_order_line ol
            JOIN sale_order so ON so.id = ol.order_id
            JOIN res_partner rp ON rp.id = so.partner_id
            %(product)s
            WHERE so.state = 'sale' AND ol.display_type IS NULL AND %(scope)s
            """,
            columns=self._select(
                {
                    "partner_id": SQL("rp.commercial_partner_id"),
                    "ts": SQL("so.date_order"),
                    "is_sale": SQL("TRUE"),
                    "amount": self._in_company_currency(SQL("ol.price_subtotal"), SQL("so.currency_rate")),
                    "margin": self._in_company_currency(SQL("COALESCE(ol.margin, 0)"), SQL("so.currency_rate")),
                    "user_id": SQL("so.user_id"),
                    "team_id": SQL("so.team_id"),
                    "company_id": SQL("so.company_id"),
                    "document_id": SQL("so.id"),
                    "product_id": SQL("ol.product_id"),
                    "categ_id": SQL("pt.categ_id"),
                },
                LINE_COLUMNS,
            ),
            product=self._product_category(SQL("ol")),
            scope=self._scope(
                SQL("so.company_id"),
                SQL("so.date_order"),
                SQL("rp.commercial_partner_id"),
                companies,
                period,
                partner_ids,
            ),
        )

    @api.model
    def _order_credit_note_lines(self, companies, period, partner_ids):
        """The product lines of the posted credit notes of confirmed orders' invoices, on the
        refunded order's customer and salesperson."""
        return SQL(
            """
            SELECT %(columns)s
            FROM account_move am
            JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
            %(order_line)s
            JOIN res_partner rp ON rp.id = so.partner_id
            %(product)s
            WHERE am.move_type = 'out_refund' AND am.state = 'posted' AND so.state = 'sale'
              AND so.company_id = am.company_id AND %(scope)s
            """,
            columns=self._select(
                {
                    "partner_id": SQL("rp.commercial_partner_id"),
                    "ts": SQL("am.invoice_date::timestamp"),
                    "is_sale": SQL("FALSE"),
                    "amount": SQL("-aml.balance"),
                    "margin": self._invoice_margin(SQL("aml"), SQL("am")),
                    "user_id": SQL("so.user_id"),
                    "team_id": SQL("so.team_id"),
                    "company_id": SQL("am.company_id"),
                    "document_id": SQL("am.id"),
                    "product_id": SQL("aml.product_id"),
                    "categ_id": SQL("pt.categ_id"),
                },
                LINE_COLUMNS,
            ),
            order_line=self._first_order_line(SQL("aml")),
            product=self._product_category(SQL("aml")),
            scope=self._scope(
                SQL("am.company_id"),
                SQL("am.invoice_date"),
                SQL("rp.commercial_partner_id"),
                companies,
                period,
                partner_ids,
                date_type="date",
            ),
        )

    @api.model
    def _invoice_lines(self, companies, period, partner_ids):
        """The lines of posted customer invoices and credit notes that make their untaxed amount:
        product lines, and a cash rounding line that is no tax."""
        return SQL(
            """
            SELECT %(columns)s
            FROM account_move am
            JOIN account_move_line aml ON aml.move_id = am.id
                 AND (aml.display_type = 'product'
                      OR (aml.display_type = 'rounding' AND aml.tax_repartition_line_id IS NULL))
            %(product)s
            WHERE am.move_type IN ('out_invoice', 'out_refund') AND am.state = 'posted' AND %(scope)s
            """,
            columns=self._select(
                {
                    "partner_id": SQL("am.commercial_partner_id"),
                    "ts": SQL("am.invoice_date::timestamp"),
                    "is_sale": SQL("am.move_type = 'out_invoice'"),
                    "amount": SQL("-aml.balance"),
                    "margin": self._invoice_margin(SQL("aml"), SQL("am")),
                    "user_id": SQL("am.invoice_user_id"),
                    "team_id": SQL("am.team_id"),
                    "company_id": SQL("am.company_id"),
                    "document_id": SQL("am.id"),
                    "product_id": SQL("aml.product_id"),
                    "categ_id": SQL("pt.categ_id"),
                },
                LINE_COLUMNS,
            ),
            product=self._product_category(SQL("aml")),
            scope=self._invoice_scope(companies, period, partner_ids),
        )
