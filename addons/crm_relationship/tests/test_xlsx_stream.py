import io
import zipfile
from decimal import Decimal

import openpyxl

from odoo.tests import BaseCase

from ..tools.xlsx_stream import Column, StreamingWorkbook, column_letter


def _workbook(build):
    """The bytes of a workbook ``build(workbook)`` wrote, and the workbook read back by openpyxl
    (formulas as written, then the values they hold)."""
    file_data = io.BytesIO()
    workbook = StreamingWorkbook(file_data)
    build(workbook)
    workbook.close()
    content = file_data.getvalue()
    return (
        content,
        openpyxl.load_workbook(io.BytesIO(content)),
        openpyxl.load_workbook(io.BytesIO(content), data_only=True),
    )


class TestXlsxStream(BaseCase):
    def test_columns_are_lettered_as_in_a_spreadsheet(self):
        self.assertEqual(
            [column_letter(index) for index in (0, 12, 25, 26, 27, 51, 52, 701, 702)],
            ["A", "M", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"],
        )

    def test_cells_hold_the_values_kinds_and_styles_written(self):
        def build(workbook):
            header = workbook.add_style(bold=True, bg_color="#E9ECEF", border=True)
            money = workbook.add_style(num_format="#,##0.00")
            ratio = workbook.add_style(num_format="0.000")
            total = workbook.add_style(bold=True, num_format="#,##0.00", top=True)
            label = workbook.add_style(bold=True, top=True)
            self.assertEqual(workbook.add_style(num_format="#,##0.00"), money, "one style per distinct format")
            columns = [
                Column("Customer", "text", width=34),
                Column("Revenue", "number", money, total=True),
                Column("Relative Value", "number", ratio),
                Column("New", "bool"),
            ]
            with workbook.sheet("BCG", columns, header) as sheet:
                sheet.write_rows([("Smith & <Sons>", 12000.5, 1.25, True), ("Bell\x07 Ltd", -500.25, None, False)])
                sheet.write_rows([("", Decimal("0.00"), 0, False)])
                sheet.write_total_row("Total (3 customers)", label, total)
                self.assertEqual(sheet.row_count, 3)

        content, workbook, values = _workbook(build)
        bcg = workbook["BCG"]
        self.assertEqual([cell.value for cell in bcg[1]], ["Customer", "Revenue", "Relative Value", "New"])
        self.assertTrue(bcg["A1"].font.b)
        self.assertEqual(bcg["A1"].fill.fgColor.rgb, "FFE9ECEF")
        self.assertEqual(bcg["A1"].border.left.style, "thin")
        self.assertEqual([cell.value for cell in bcg[2]], ["Smith & <Sons>", 12000.5, 1.25, True])
        self.assertEqual(bcg["A3"].value, "Bell_x0007_ Ltd", "a control character is written as Excel does")
        self.assertIsNone(bcg["C3"].value, "an empty number is no cell")
        self.assertIsNone(bcg["A4"].value, "an empty text is no cell")
        self.assertEqual((bcg["B4"].value, bcg["C4"].value, bcg["D4"].value), (0, 0, False))
        self.assertEqual((bcg["B2"].number_format, bcg["C2"].number_format), ("#,##0.00", "0.000"))
        self.assertEqual(bcg["A5"].value, "Total (3 customers)")
        self.assertEqual(bcg["B5"].value, "=SUBTOTAL(9,B2:B4)")
        self.assertTrue(bcg["B5"].font.b)
        self.assertEqual(bcg["B5"].border.top.style, "thin")
        self.assertIsNone(bcg["C5"].value, "only the columns marked total are summed")
        self.assertEqual(values["BCG"]["B5"].value, 11500.25, "the formula's value for readers that compute none")
        self.assertEqual(bcg.freeze_panes, "A2")
        self.assertEqual(bcg.auto_filter.ref, "A1:D4")
        self.assertEqual(round(bcg.column_dimensions["A"].width), 35)
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            workbook_xml = package.read("xl/workbook.xml").decode()
        self.assertIn("'BCG'!$A$1:$D$4", workbook_xml, "the filter's range is named as Excel names it")

    def test_sheet_names_follow_excels_rules(self):
        def build(workbook):
            for name in ("2025-06-30 BCG", "2025-06-30 BCG", "2025-06-30 bcg", "Growth [a/b]", "x" * 40):
                with workbook.sheet(name, [Column("Customer", "text")]) as sheet:
                    sheet.write_rows([])

        _content, workbook, _values = _workbook(build)
        self.assertEqual(
            workbook.sheetnames,
            ["2025-06-30 BCG", "2025-06-30 BCG~01", "2025-06-30 bcg~02", "Growth _a_b_", "x" * 31],
        )
        self.assertEqual(workbook["2025-06-30 BCG"].max_row, 1, "an empty sheet keeps its header")

    def test_a_row_after_the_total_row_is_refused(self):
        file_data = io.BytesIO()
        workbook = StreamingWorkbook(file_data)
        with workbook.sheet("Mix", [Column("Customer", "text")]) as sheet:
            sheet.write_total_row("Total (0 customers)", 0, 0)
            with self.assertRaisesRegex(ValueError, "total row of a sheet is its last row"):
                sheet.write_rows([("Alpha",)])
        workbook.close()
