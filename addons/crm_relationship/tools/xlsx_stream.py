"""A workbook written straight into its XLSX file, sheet after sheet and row after row.

xlsxwriter spends about 12 microseconds on a cell (argument checks, a cell object, a row buffer,
then the cell's XML); a portfolio run of 20,000 customers exports 741,000 cells. This writer
knows each column's kind and style before the first row, so that a row is a few string
formats, and it streams each sheet's XML into its zip entry as the rows come: memory stays
flat however many rows a sheet has. It writes what the portfolio export needs: inline
strings, numbers and booleans with a style each, a frozen header row, column widths, an
autofilter, and a total row of ``SUBTOTAL`` formulas with their values, in the parts and
element order of the Office Open XML spreadsheet format; openpyxl (the tests) and LibreOffice
Calc read it.
"""

import re
import zipfile
from contextlib import contextmanager
from typing import NamedTuple
from xml.sax.saxutils import quoteattr

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# number formats every spreadsheet knows by id; others get ids from 164 on
_BUILTIN_NUMBER_FORMATS = {"0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
# what XML text cannot hold as it is: markup characters and the control characters XML 1.0 refuses
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_TEXT = 32767  # the longest text a cell holds
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
_ROWS_PER_WRITE = 2000


class Column(NamedTuple):
    """A sheet's column: its ``header``, its ``kind`` (``text``, ``number`` or ``bool``), the
    ``style`` of its cells (a number from ``StreamingWorkbook.add_style``), its ``width`` in
    characters and whether the total row sums it (``total``, numbers only)."""

    header: str
    kind: str
    style: int = 0
    width: float = 16
    total: bool = False


def column_letter(index):
    """The letters of the 0-based column ``index`` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value):
    """``value`` as XML text: markup escaped, refused control characters written as Excel does
    (``_x0001_``), cut at the length a cell holds."""
    value = value[:_MAX_TEXT]
    if _SPECIAL.search(value):
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    return value


def _text_cell(style):
    attributes = f' s="{style}"' if style else ""

    def cell(ref, value):
        # an empty text is no cell, as xlsxwriter writes none without a style
        if not value:
            return ""
        return f'<c r="{ref}"{attributes} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'

    return cell


def _number_cell(style):
    attributes = f' s="{style}"' if style else ""

    def cell(ref, value):
        if value is None:
            return ""
        # an int or a float writes itself as XML's number; any other number (a Decimal) as a float
        if type(value) is not float and type(value) is not int:
            value = float(value)
        return f'<c r="{ref}"{attributes}><v>{value!r}</v></c>'

    return cell


def _bool_cell(style):
    attributes = f' s="{style}"' if style else ""

    def cell(ref, value):
        return f'<c r="{ref}"{attributes} t="b"><v>{1 if value else 0}</v></c>'

    return cell


_CELL_KINDS = {"text": _text_cell, "number": _number_cell, "bool": _bool_cell}


class SheetStream:
    """One sheet being written: its header row first, then ``write_rows``, then at most one
    ``write_total_row``. Made by ``StreamingWorkbook.sheet``."""

    def __init__(self, stream, columns, header_style):
        self._stream = stream
        self._letters = [column_letter(index) for index in range(len(columns))]
        self._cells = [_CELL_KINDS[column.kind](column.style) for column in columns]
        self._totals = [index for index, column in enumerate(columns) if column.total]
        self._sums = dict.fromkeys(self._totals, 0.0)
        self.row_count = 0  # rows written under the header
        self._closed = False
        header = _text_cell(header_style)
        self._write(
            '<row r="1">'
            + "".join(
                header(f"{letter}1", column.header) for letter, column in zip(self._letters, columns, strict=True)
            )
            + "</row>"
        )

    def _write(self, text):
        self._stream.write(text.encode())

    def write_rows(self, rows):
        """Write ``rows`` (tuples of values in the columns' order) under the rows already written:
        a text column takes a string, a number column a number or None (no cell), a bool column
        any value."""
        if self._closed:
            raise ValueError("The total row of a sheet is its last row.")
        cells, letters, totals, sums = self._cells, self._letters, self._totals, self._sums
        chunk = []
        row = self.row_count + 1
        for values in rows:
            row += 1
            number = str(row)
            chunk.append(
                f'<row r="{number}">'
                + "".join(
                    [cell(letter + number, value) for cell, letter, value in zip(cells, letters, values, strict=True)]
                )
                + "</row>"
            )
            for index in totals:
                if values[index] is not None:
                    sums[index] += float(values[index])
            if len(chunk) == _ROWS_PER_WRITE:
                self._write("".join(chunk))
                chunk = []
        if chunk:
            self._write("".join(chunk))
        self.row_count = row - 1

    def write_total_row(self, label, label_style, total_style):
        """The last row: ``label`` in the first column and, under each column marked ``total``,
        ``SUBTOTAL(9, ...)`` of its rows (the sum of the rows the autofilter shows), with its
        value for readers that do not compute formulas."""
        number = self.row_count + 2
        cells = [_text_cell(label_style)(f"A{number}", label)]
        if self.row_count:
            for index in self._totals:
                letter = self._letters[index]
                cells.append(
                    f'<c r="{letter}{number}" s="{total_style}"><f>SUBTOTAL(9,{letter}2:{letter}{number - 1})</f>'
                    f"<v>{round(self._sums[index], 9)!r}</v></c>"
                )
        self._write(f'<row r="{number}">{"".join(cells)}</row>')
        self._closed = True

    @property
    def filter_range(self):
        """The autofilter's range: the header row and every row under it (the total row aside)."""
        return f"A1:{self._letters[-1]}{max(self.row_count, 1) + 1}"


class StreamingWorkbook:
    """An XLSX workbook written into ``fileobj`` (a binary file, or a ``BytesIO``)::

        workbook = StreamingWorkbook(fileobj)
        money = workbook.add_style(num_format="#,##0.00")
        with workbook.sheet("Customers", [Column("Customer", "text", width=34),
                                          Column("Revenue", "number", money, total=True)]) as sheet:
            sheet.write_rows(rows)
        workbook.close()

    Sheet names follow Excel's rules (at most 31 characters, none of ``[]:*?/\\``); a name already
    taken gets a suffix ``~01``, ``~02``, as report_xlsx gives xlsxwriter's workbooks.
    """

    def __init__(self, fileobj, compresslevel=1):
        self._zip = zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._styles = [self._style()]
        self._sheets = []  # (name, autofilter range)

    def add_style(self, bold=False, bg_color=None, border=False, top=False, num_format=None):
        """A cell style (its number, for ``Column.style``): bold text, a fill colour (``#RRGGBB``),
        a thin border all round or on top, a number format (``#,##0.00``)."""
        style = self._style(bold, bg_color, border, top, num_format)
        if style not in self._styles:
            self._styles.append(style)
        return self._styles.index(style)

    @staticmethod
    def _style(bold=False, bg_color=None, border=False, top=False, num_format=None):
        return {"bold": bold, "bg_color": bg_color, "border": border, "top": top, "num_format": num_format}

    def _sheet_name(self, name):
        name = _SHEET_NAME_REFUSED.sub("_", name).strip("'")[:31] or f"Sheet{len(self._sheets) + 1}"
        taken = {sheet_name.lower() for sheet_name, _range in self._sheets}
        base, sequence = name, 0
        while name.lower() in taken:
            sequence += 1
            if sequence > 99:
                raise ValueError(f"More than 99 sheets are named {base}.")
            name = f"{base[:28]}~{sequence:02d}"
        return name

    @contextmanager
    def sheet(self, name, columns, header_style=0, frozen_rows=1):
        """Write a sheet named ``name`` with ``columns`` (``Column``): yields its ``SheetStream``,
        whose header row is written; the rows under the first ``frozen_rows`` stay in view."""
        name = self._sheet_name(name)
        index = len(self._sheets) + 1
        with self._zip.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as stream:
            view = ' tabSelected="1"' if index == 1 else ""
            pane = (
                f'<pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" '
                'activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/>'
                if frozen_rows
                else ""
            )
            widths = "".join(
                f'<col min="{number}" max="{number}" width="{column.width + 0.7109375}" customWidth="1"/>'
                for number, column in enumerate(columns, start=1)
            )
            stream.write(
                (
                    f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
                    f'<sheetViews><sheetView workbookViewId="0"{view}>{pane}</sheetView></sheetViews>'
                    f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
                ).encode()
            )
            sheet = SheetStream(stream, columns, header_style)
            yield sheet
            stream.write(f'</sheetData><autoFilter ref="{sheet.filter_range}"/></worksheet>'.encode())
        self._sheets.append((name, sheet.filter_range))

    def close(self):
        """Write the workbook's parts that list the sheets and styles, and close the file."""
        count = len(self._sheets)
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{index}" r:id="rId{index}"/>'
            for index, (name, _range) in enumerate(self._sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
            f"{_text(self._quoted_sheet(name))}!{self._absolute(cells)}</definedName>"
            for index, (name, cells) in enumerate(self._sheets)
        )
        self._zip.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{filters}</definedNames>" if filters else "")
            + '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>',
        )
        relationships = "".join(
            f'<Relationship Id="rId{index}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{index}.xml"/>'
            for index in range(1, count + 1)
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_PACKAGE}">{relationships}'
            f'<Relationship Id="rId{count + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>',
        )
        self._zip.writestr("xl/styles.xml", self._styles_xml())
        self._zip.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
            f'Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{index}.xml" ContentType="{spreadsheet}.worksheet+xml"/>'
            for index in range(1, count + 1)
        )
        self._zip.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{spreadsheet}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{spreadsheet}.styles+xml"/>{overrides}</Types>',
        )
        self._zip.close()

    @staticmethod
    def _quoted_sheet(name):
        return "'" + name.replace("'", "''") + "'"

    @staticmethod
    def _absolute(cells):
        first, last = cells.split(":")
        return ":".join("$" + re.sub(r"(\d+)$", r"$\1", ref) for ref in (first, last))

    def _styles_xml(self):
        """The styles: one font, fill, border and number format per distinct value, one cell
        format per style (style 0 is the default)."""
        number_formats = {}
        fonts, fills, borders, cell_formats = ["regular"], ["none", "gray125"], ["none"], []
        for style in self._styles:
            code = style["num_format"]
            if code and code not in _BUILTIN_NUMBER_FORMATS and code not in number_formats:
                number_formats[code] = 164 + len(number_formats)
            font = "bold" if style["bold"] else "regular"
            fill = style["bg_color"] or "none"
            border = "all" if style["border"] else "top" if style["top"] else "none"
            for items, item in ((fonts, font), (fills, fill), (borders, border)):
                if item not in items:
                    items.append(item)
            number_format = _BUILTIN_NUMBER_FORMATS.get(code, number_formats.get(code, 0)) if code else 0
            cell_formats.append(
                f'<xf numFmtId="{number_format}" fontId="{fonts.index(font)}" fillId="{fills.index(fill)}" '
                f'borderId="{borders.index(border)}" xfId="0"'
                + (' applyNumberFormat="1"' if number_format else "")
                + (' applyFont="1"' if font != "regular" else "")
                + (' applyFill="1"' if fill != "none" else "")
                + (' applyBorder="1"' if border != "none" else "")
                + "/>"
            )
        thin = '<{side} style="thin"><color auto="1"/></{side}>'
        border_xml = {
            "none": "<border><left/><right/><top/><bottom/><diagonal/></border>",
            "all": "<border>"
            + "".join(thin.format(side=side) for side in ("left", "right", "top", "bottom"))
            + "<diagonal/></border>",
            "top": f"<border><left/><right/>{thin.format(side='top')}<bottom/><diagonal/></border>",
        }
        font_xml = {
            "regular": '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
            "bold": '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
        }

        def fill_xml(fill):
            if fill in ("none", "gray125"):
                return f'<fill><patternFill patternType="{fill}"/></fill>'
            rgb = "FF" + fill.lstrip("#").upper()
            return f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/></patternFill></fill>'

        formats = "".join(
            f"<numFmt numFmtId={quoteattr(str(number))} formatCode={quoteattr(code)}/>"
            for code, number in number_formats.items()
        )
        return (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(number_formats)}">{formats}</numFmts>' if number_formats else "")
            + f'<fonts count="{len(fonts)}">{"".join(font_xml[font] for font in fonts)}</fonts>'
            + f'<fills count="{len(fills)}">{"".join(fill_xml(fill) for fill in fills)}</fills>'
            + f'<borders count="{len(borders)}">{"".join(border_xml[border] for border in borders)}</borders>'
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(cell_formats)}">{"".join(cell_formats)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        )
