from odoo import models


class ComplaintParetoXlsx(models.AbstractModel):
    """The Pareto rows printed from the list: one sheet per dimension (and company, and customer
    kind when internal and external rows are printed together), largest category first, with the
    complaints counted apart below."""

    _name = "report.crm_quality_feedback.complaint_pareto_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Complaint Pareto XLSX"

    def _columns(self):
        """(header, field, kind)"""
        return [
            (self.env._("Rank"), "rank", "int"),
            (self.env._("Category"), "category", "text"),
            (self.env._("Complaints"), "complaints", "int"),
            (self.env._("Share %"), "share", "percent"),
            (self.env._("Cumulative %"), "cumulative_share", "percent"),
            (self.env._("Vital Few"), "vital_few", "bool"),
            (self.env._("Cost of Quality"), "cost", "money"),
        ]

    def generate_xlsx_report(self, workbook, data, rows):
        # rows of another company must be refused, not printed (the company rule hides them)
        rows.check_access("read")
        formats = {
            "header": workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "int": workbook.add_format({"num_format": "0"}),
            "vital": workbook.add_format({"bold": True}),
        }
        labels = dict(rows._fields["dimension"]._description_selection(self.env))
        kinds = dict(rows._fields["customer_kind"]._description_selection(self.env))
        companies = rows.company_id
        both_kinds = len(set(rows.mapped("customer_kind"))) > 1
        sheets = {}
        for row in rows.sorted(lambda r: (r.company_id.id, r.customer_kind or "", r.dimension, r.rank)):
            sheets.setdefault((row.company_id, row.customer_kind, row.dimension), []).append(row)
        names = set()
        for (company, kind, dimension), sheet_rows in sheets.items():
            name = labels[dimension] if len(companies) < 2 else f"{labels[dimension]} {company.name}"
            if both_kinds:  # internal and external complaints are two Paretos
                name = f"{kinds.get(kind, '')} {name}"
            name = name[:31]
            while name in names:
                name = f"{name[:28]} {len(names)}"
            names.add(name)
            self._write_sheet(workbook.add_worksheet(name), formats, sheet_rows)

    def _write_sheet(self, sheet, formats, rows):
        columns = self._columns()
        sheet.freeze_panes(1, 0)
        for col, (header, _field, _kind) in enumerate(columns):
            sheet.set_column(col, col, 34 if _field == "category" else 14)
            sheet.write(0, col, header, formats["header"])
        for line, row in enumerate(rows, start=1):
            for col, (_header, field, kind) in enumerate(columns):
                value = row[field]
                if kind == "text":
                    sheet.write_string(line, col, value or "", formats["vital"] if row.vital_few else None)
                elif kind == "bool":
                    sheet.write_boolean(line, col, bool(value))
                else:
                    sheet.write_number(line, col, value, formats[kind])
        footer = len(rows) + 1
        sheet.write_string(footer, 1, self.env._("Not yet found (counted apart)"))
        sheet.write_number(footer, 2, rows[0].complaints_apart, formats["int"])
