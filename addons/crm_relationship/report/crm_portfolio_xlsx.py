from odoo import models
from odoo.tools import split_every

_BATCH = 2000


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
        ids = Line.search([("analysis_id", "=", analysis.id)] + domain, order=order).ids
        labels = {
            field: dict(Line._fields[field]._description_selection(self.env))
            for _header, field, column_kind in columns
            if column_kind == "selection"
        }
        fields_read = [field for _header, field, _kind in columns]
        linked = [field for _header, field, kind in columns if kind == "text"]
        row = 0
        for batch in split_every(_BATCH, ids):
            # one read per batch, linked records as ids; their names in one read per model: the
            # display names of customers (computed one by one) would cost more than the sheet itself
            rows = Line.browse(batch).read(fields_read, load=None)
            names = {field: self._names(Line._fields[field].comodel_name, rows, field) for field in linked}
            for values in rows:
                row += 1
                for col, (_header, field, kind) in enumerate(columns):
                    value = values[field]
                    if kind == "text":
                        sheet.write_string(row, col, names[field].get(value, ""))
                    elif kind == "selection":
                        sheet.write_string(row, col, str(labels[field].get(value, "")) if value else "")
                    elif kind == "bool":
                        sheet.write_boolean(row, col, bool(value))
                    elif value is False or value is None:
                        sheet.write_blank(row, col, None)
                    else:
                        sheet.write_number(row, col, value, formats[kind])
            self.env.invalidate_all()  # lines and their customers: keep the ORM cache as flat as the sheet
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
        total_row = row + 1
        sheet.write(total_row, 0, self.env._("Total (%(count)s customers)", count=row), formats["total_label"])
        for col, (_header, _field, kind) in enumerate(columns):
            if kind == "money" and row:
                column = chr(ord("A") + col)
                sheet.write_formula(total_row, col, f"=SUBTOTAL(9,{column}2:{column}{row + 1})", formats["total"])

    def _names(self, model, rows, field):
        """{id: name} of the records a batch of lines links to through ``field``."""
        ids = list({values[field] for values in rows if values[field]})
        return {record["id"]: record["name"] or "" for record in self.env[model].browse(ids).read(["name"])}
