import io

from odoo import models
from odoo.tools import SQL

from ..tools.xlsx_stream import Column, StreamingWorkbook

# rows fetched at a time from the database while a sheet is written
_BATCH = 5000
# the cell kind of each column kind of ``_sheets``
_CELL_KIND = {"text": "text", "selection": "text", "bool": "bool"}


class PortfolioXlsx(models.AbstractModel):
    """A portfolio analysis run as a workbook: one sheet per method, built row by row."""

    _name = "report.crm_relationship.portfolio_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Client Portfolio Analysis XLSX"

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
                    (self.env._("Previous ABC Class"), "previous_abc_class", "selection"),
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

    def create_xlsx_report(self, docids, data):
        """The workbook, written by ``StreamingWorkbook`` instead of report_xlsx's xlsxwriter: a
        run's sheets hold a row per customer, and xlsxwriter's per-cell calls took about nine
        times longer than writing the rows' XML (the README's benchmark table)."""
        objs = self._get_objs_for_report(docids, data)
        file_data = io.BytesIO()
        workbook = StreamingWorkbook(file_data)
        self.generate_xlsx_report(workbook, data, objs)
        workbook.close()
        return file_data.getvalue(), "xlsx"

    def generate_xlsx_report(self, workbook, data, analyses):
        # a run of another company must be refused, not exported as empty sheets (its lines are hidden)
        analyses.check_access("read")
        styles = {
            "header": workbook.add_style(bold=True, bg_color="#E9ECEF", border=True),
            "money": workbook.add_style(num_format="#,##0.00"),
            "percent": workbook.add_style(num_format="0.0"),
            "ratio": workbook.add_style(num_format="0.000"),
            "int": workbook.add_style(num_format="0"),
            "total": workbook.add_style(bold=True, num_format="#,##0.00", top=True),
            "total_label": workbook.add_style(bold=True, top=True),
        }
        Line = self.env["crm.portfolio.line"]
        for analysis in analyses:
            prefix = f"{analysis.date} " if len(analyses) > 1 else ""
            for name, domain, order, columns in self._sheets():
                self._write_sheet(workbook, styles, f"{prefix}{name}"[:31], Line, analysis, domain, order, columns)

    def _write_sheet(self, workbook, styles, name, Line, analysis, domain, order, columns):
        """One sheet: the header, a row per line, and a total row summing the money columns."""
        sheet_columns = [
            Column(
                header,
                _CELL_KIND.get(kind, "number"),
                styles.get(kind, 0),
                width=34 if index == 0 else 16,
                total=kind == "money",
            )
            for index, (header, _field, kind) in enumerate(columns)
        ]
        with workbook.sheet(name, sheet_columns, styles["header"]) as sheet:
            for rows in self._fetch(Line, analysis, [("analysis_id", "=", analysis.id)] + domain, order, columns):
                sheet.write_rows(rows)
            sheet.write_total_row(
                self.env._("Total (%(count)s customers)", count=sheet.row_count),
                styles["total_label"],
                styles["total"],
            )

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
        """The sheet's rows in ``order``, batch by batch (``_BATCH`` rows), each value as its cell
        shows it: one statement read through a cursor of the database, so that memory stays flat
        however large the run. The lines are searched with the user's rules; a text column is the
        linked record's name, a selection its label (the strategy's name and the labels in the
        user's language)."""
        query = Line._search(domain, order=order)
        currency = analysis.company_id.currency_id
        selected = []
        for _header, field, kind in columns:
            column = SQL.identifier(query.table, field)
            if field == "partner_id":
                partner = query.left_join(query.table, "partner_id", "res_partner", "id", "partner_id")
                selected.append(SQL.identifier(partner, "name"))
            elif field == "user_id":
                user = query.left_join(query.table, "user_id", "res_users", "id", "user_id")
                user_partner = query.left_join(user, "partner_id", "res_partner", "id", "partner_id")
                selected.append(SQL.identifier(user_partner, "name"))
            elif field == "suggested_strategy_id":
                strategies = (
                    self.env["crm.relationship.strategy"]
                    .with_context(active_test=False)
                    .search_read([], ["code", "name"])
                )
                labels = [(strategy["code"], strategy["name"]) for strategy in strategies]
                selected.append(self._label_sql(SQL.identifier(query.table, "suggested_strategy"), labels))
            elif kind == "selection":
                selected.append(self._label_sql(column, Line._fields[field]._description_selection(self.env)))
            elif kind == "bool":
                selected.append(SQL("COALESCE(%s, FALSE)", column))
            elif kind in ("money", "percent", "ratio", "int"):
                selected.append(self._number_sql(Line._fields[field], column, currency))
            else:
                selected.append(column)
        cr = self.env.cr
        cr.execute(SQL("DECLARE crm_portfolio_xlsx NO SCROLL CURSOR FOR %s", query.select(*selected)))
        while True:
            cr.execute(SQL("FETCH %s FROM crm_portfolio_xlsx", _BATCH))
            rows = cr.fetchall()
            if not rows:
                break
            yield rows
        cr.execute("CLOSE crm_portfolio_xlsx")

    def _label_sql(self, column, labels):
        """The label of ``column``'s value among ``labels`` (``(value, label)`` pairs), NULL for
        an empty or unknown value."""
        if not labels:
            return SQL("NULL::varchar")
        return SQL(
            "CASE %s %s END",
            column,
            SQL(" ").join(SQL("WHEN %s THEN %s", value, str(label)) for value, label in labels),
        )
