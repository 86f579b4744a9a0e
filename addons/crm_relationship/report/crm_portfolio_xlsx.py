from odoo import models
from odoo.tools import SQL

# rows fetched at a time from the database while a sheet is written
_BATCH = 5000


class PortfolioXlsx(models.AbstractModel):
    """A portfolio analysis run as a workbook: one sheet per method, built row by row."""

    _name = "report.crm_relationship.portfolio_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Client Portfolio Analysis XLSX"

    def get_workbook_options(self):
        # rows are flushed to disk as they are written: memory stays flat however large the run
        return {"constant_memory": True, "in_memory": False}

    def _sheets(self):
        """(sheet name, line domain, line order, columns); a column is (header, field, kind)."""
        customer = (self.env._("Customer"), "partner_id", "text")
        salesperson = (self.env._("Salesperson"), "user_id", "text")
        revenue = (self.env._("Revenue"), "revenue", "money")
        return [
            (
                self.env._("BCG"),
                [("in_matrix", "=", True)],
                "revenue desc, id",
                [
                    customer,
                    salesperson,
                    revenue,
                    (self.env._("Previous Revenue"), "revenue_previous", "money"),
                    (self.env._("Growth %"), "growth", "percent"),
                    (self.env._("New"), "is_new", "bool"),
                    (self.env._("Relative Value"), "relative_value", "ratio"),
                    (self.env._("Quadrant"), "bcg_quadrant", "selection"),
                    (self.env._("Previous Quadrant"), "previous_bcg_quadrant", "selection"),
                    (self.env._("Margin"), "margin", "money"),
                    (self.env._("Cost to Serve"), "cost_to_serve", "money"),
                    (self.env._("Net Profit"), "net_profit", "money"),
                    (self.env._("Suggested Strategy"), "suggested_strategy_id", "text"),
                ],
            ),
            (
                self.env._("ABC"),
                [("in_matrix", "=", True)],
                "cumulative_share, id",
                [
                    customer,
                    revenue,
                    (self.env._("Margin"), "margin", "money"),
                    (self.env._("Cumulative Share Before %"), "cumulative_share", "percent"),
                    (self.env._("ABC Class"), "abc_class", "selection"),
                ],
            ),
            (
                self.env._("XYZ"),
                [],
                "revenue desc, id",
                [
                    customer,
                    revenue,
                    (self.env._("Lifecycle Stage"), "lifecycle_stage", "selection"),
                    (self.env._("XYZ Relationship"), "xyz_relationship", "selection"),
                    (self.env._("Variation of Monthly Revenue %"), "variation_coefficient", "percent"),
                    (self.env._("XYZ Stability"), "xyz_stability", "selection"),
                    (self.env._("ABC Class"), "abc_class", "selection"),
                ],
            ),
            (
                self.env._("RFM"),
                [("frequency", ">", 0)],
                "r_score desc, f_score desc, m_score desc, id",
                [
                    customer,
                    (self.env._("Days Since Last Sale"), "recency_days", "int"),
                    (self.env._("Sales"), "frequency", "int"),
                    revenue,
                    ("R", "r_score", "int"),
                    ("F", "f_score", "int"),
                    ("M", "m_score", "int"),
                    (self.env._("Segment"), "rfm_segment", "selection"),
                ],
            ),
            (
                self.env._("Customer Mix"),
                [("mix_category", "!=", False)],
                "mix_category, revenue desc, id",
                [customer, salesperson, revenue, (self.env._("Category"), "mix_category", "selection")],
            ),
        ]

    def generate_xlsx_report(self, workbook, data, analyses):
        # a run of another company must be refused, not exported as empty sheets (its lines are hidden)
        analyses.check_access("read")
        formats = {
            "header": workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "ratio": workbook.add_format({"num_format": "0.000"}),
            "int": workbook.add_format({"num_format": "0"}),
            "total": workbook.add_format({"bold": True, "num_format": "#,##0.00", "top": 1}),
            "total_label": workbook.add_format({"bold": True, "top": 1}),
        }
        Line = self.env["crm.portfolio.line"]
        for analysis in analyses:
            prefix = f"{analysis.date} " if len(analyses) > 1 else ""
            for name, domain, order, columns in self._sheets():
                self._write_sheet(workbook, formats, f"{prefix}{name}"[:31], Line, analysis, domain, order, columns)

    def _write_sheet(self, workbook, formats, name, Line, analysis, domain, order, columns):
        sheet = workbook.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for col, (header, _field, _kind) in enumerate(columns):
            sheet.set_column(col, col, 34 if col == 0 else 16)
            sheet.write(0, col, header, formats["header"])
        writers = [self._cell_writer(sheet, formats, Line, field, kind) for _header, field, kind in columns]
        row = 0
        for rows in self._fetch(Line, analysis, [("analysis_id", "=", analysis.id)] + domain, order, columns):
            for values in rows:
                row += 1
                for col, value in enumerate(values):
                    writers[col](row, col, value)
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
        total_row = row + 1
        sheet.write(total_row, 0, self.env._("Total (%(count)s customers)", count=row), formats["total_label"])
        for col, (_header, _field, kind) in enumerate(columns):
            if kind == "money" and row:
                column = chr(ord("A") + col)
                sheet.write_formula(total_row, col, f"=SUBTOTAL(9,{column}2:{column}{row + 1})", formats["total"])

    def _cell_writer(self, sheet, formats, Line, field, kind):
        """The call that writes one value of ``field`` (a cell, or nothing for an empty number)."""
        if kind == "text":
            return lambda row, col, value: sheet.write_string(row, col, value or "")
        if kind == "selection":
            labels = {key: str(label) for key, label in Line._fields[field]._description_selection(self.env)}
            return lambda row, col, value: sheet.write_string(row, col, labels.get(value, "") if value else "")
        if kind == "bool":
            return lambda row, col, value: sheet.write_boolean(row, col, bool(value))
        cell_format = formats[kind]

        def write_number(row, col, value):
            # an empty number is no cell at all (xlsxwriter writes no blank without a format)
            if value is not None:
                sheet.write_number(row, col, value, cell_format)

        return write_number

    def _number_sql(self, field, column, currency):
        """A number as the ORM reads it: rounded to the field's digits (a monetary one to the
        currency's), 0 when empty."""
        if field.type == "integer":
            return SQL("COALESCE(%s, 0)", column)
        digits = currency.decimal_places if field.type == "monetary" else (field.get_digits(self.env) or (0, None))[1]
        if digits is None:
            return SQL("COALESCE(%s, 0)::float8", column)
        return SQL("COALESCE(ROUND(%s::numeric, %s), 0)::float8", column, digits)

    def _fetch(self, Line, analysis, domain, order, columns):
        """The sheet's rows in ``order``, batch by batch (``_BATCH`` rows): one statement read
        through a cursor of the database, so that memory stays flat however large the run. The
        lines are searched with the user's rules; a text column is the linked record's name
        (the strategy's in the user's language)."""
        query = Line._search(domain, order=order)
        currency = analysis.company_id.currency_id
        strategies = (
            self.env["crm.relationship.strategy"].with_context(active_test=False).search_read([], ["code", "name"])
        )
        strategy_names = {strategy["code"]: strategy["name"] for strategy in strategies}
        selected = []
        for _header, field, kind in columns:
            if field == "partner_id":
                partner = query.left_join(query.table, "partner_id", "res_partner", "id", "partner_id")
                selected.append(SQL.identifier(partner, "name"))
            elif field == "user_id":
                user = query.left_join(query.table, "user_id", "res_users", "id", "user_id")
                user_partner = query.left_join(user, "partner_id", "res_partner", "id", "partner_id")
                selected.append(SQL.identifier(user_partner, "name"))
            elif field == "suggested_strategy_id":
                selected.append(SQL.identifier(query.table, "suggested_strategy"))
            elif kind == "bool":
                selected.append(SQL("COALESCE(%s, FALSE)", SQL.identifier(query.table, field)))
            elif kind in ("money", "percent", "ratio", "int"):
                selected.append(self._number_sql(Line._fields[field], SQL.identifier(query.table, field), currency))
            else:
                selected.append(SQL.identifier(query.table, field))
        cr = self.env.cr
        cr.execute(SQL("DECLARE crm_portfolio_xlsx NO SCROLL CURSOR FOR %s", query.select(*selected)))
        strategy_column = next(
            (index for index, (_h, field, _k) in enumerate(columns) if field == "suggested_strategy_id"), None
        )
        while True:
            cr.execute(SQL("FETCH %s FROM crm_portfolio_xlsx", _BATCH))
            rows = cr.fetchall()
            if not rows:
                break
            if strategy_column is not None:
                rows = [
                    (
                        *values[:strategy_column],
                        strategy_names.get(values[strategy_column], ""),
                        *values[strategy_column + 1 :],
                    )
                    for values in rows
                ]
            yield rows
        cr.execute("CLOSE crm_portfolio_xlsx")
