from odoo import models


class KeyAccountPlansXlsx(models.AbstractModel):
    """Plans with every objective's target against its actual, one row per objective."""

    _name = "report.crm_key_accounts.plans_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Key-Account Plans XLSX"

    def generate_xlsx_report(self, workbook, data, plans):
        # the plans' rules decide, not whatever the request's cache already holds
        plans.check_access("read")
        header = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
        number = workbook.add_format({"num_format": "#,##0.00"})
        percent = workbook.add_format({"num_format": "0.0"})
        sheet = workbook.add_worksheet(self.env._("Targets and Actuals"))
        headers = [
            self.env._("Plan"),
            self.env._("Customer"),
            self.env._("Key-Account Manager"),
            self.env._("Objective"),
            self.env._("Measure"),
            self.env._("Target"),
            self.env._("Actual"),
            self.env._("Progress %"),
            self.env._("State"),
        ]
        for col, title in enumerate(headers):
            sheet.write(0, col, title, header)
            sheet.set_column(col, col, 24 if col < 5 else 12)
        sheet.freeze_panes(1, 0)
        Objective = self.env["crm.key.account.objective"]
        measures = dict(Objective._fields["measure"]._description_selection(self.env))
        states = dict(Objective._fields["state"]._description_selection(self.env))
        row = 0
        for plan in plans:
            for objective in plan.objective_ids:
                row += 1
                sheet.write_string(row, 0, plan.name)
                sheet.write_string(row, 1, plan.partner_id.display_name)
                sheet.write_string(row, 2, plan.user_id.name or "")
                sheet.write_string(row, 3, objective.name)
                sheet.write_string(row, 4, measures.get(objective.measure, ""))
                sheet.write_number(row, 5, objective.target, number)
                sheet.write_number(row, 6, objective.actual, number)
                sheet.write_number(row, 7, objective.progress, percent)
                sheet.write_string(row, 8, states.get(objective.state, ""))
        sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
