#!/usr/bin/env python3
"""Benchmark: one client portfolio analysis run (all methods), against its limit and its peer,
on orders and on invoices, its XLSX export and the matrix screen's data call.

    python3 tests/benchmarks/bench_portfolio.py [--db crm_bench] [--customers 20000] [--orders 400000]
                                                [--scale 10] [--no-invoices]

Bulk-inserts customers and confirmed orders over two years, each order with two product lines
and a posted invoice (one in 25 partly refunded by a credit note), then at two sizes (half and
full size; with ``--scale N``, full size and N times full size) prints, best of five where it
says so, each measurement alternated with the others in the same loop:

- ``limit``: a bare query computing exactly the sums the run needs (revenue of the two periods,
  margin, frequency, last and first sale, the twelve monthly sums, per customer, over the
  orders and the credit notes of their invoices), best of five; the run's ratio to it;
- ``run``: one analysis run on the orders (wall time, SQL queries), best of five;
- ``write``: what writing a run's lines costs alone: the lines of the run just made copied
  under a new run into ``crm_portfolio_line`` (its indexes, unique constraint and the foreign
  keys Odoo puts on each Many2one), best of five; the run's ratio to the limit plus this;
- ``invoices``: the same run on the posted invoices, best of five, and its ratio to ``run``;
- ``peer``: what a user would otherwise do in Odoo, ``sale.report`` grouped by customer for the
  current and the previous period through ``_read_group`` (the pivot view's call), best of five,
  and the run's ratio to it;
- ``xlsx``: the export of the run, best of three, with the process's peak resident memory and
  the peak of Python's allocations (tracemalloc) during an export; ``writer``: xlsxwriter alone
  writing the same cells with the same formats (constant memory), replayed from a recording of
  the export, best of three, alternated with the export (not at ``--scale`` size);
- ``matrix``: the matrix screen's data call (``get_matrix_data``), its bubbles and queries.

Everything is rolled back at the end.
"""

import io
import os
import threading
import time
import tracemalloc
from contextlib import contextmanager

import xlsxwriter
from bench_common import insert_customers_and_orders, insert_invoices, open_registry, parse_size_args

import odoo
from odoo.tools import SQL

REPEATS = 5
EXPORT_REPEATS = 3
SCALED_REPEATS = 3  # at --scale size: best of three runs, one export
RECORD_CELLS = 2000000


def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssPeak:
    """The process's resident memory before a block and its peak during it, sampled every 5 ms,
    with the peak of Python's own allocations (tracemalloc) during the block when ``traced``
    (which slows Python down several times: not while timing)."""

    def __init__(self, traced=False):
        self.traced = traced
        self.traced_peak = None

    def __enter__(self):
        self.before = self.peak = rss_mib()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        if self.traced:
            tracemalloc.start()
        return self

    def _sample(self):
        while not self._done.wait(0.005):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc):
        if self.traced:
            self.traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())


def bare_sums_query(company_id, period, previous, months):
    """The sums a run needs, per commercial partner, written by hand: orders, and the posted
    credit notes of their invoices with the margin kept on their lines."""
    start = SQL("%s::timestamp", period.start)
    monthly = SQL(",\n").join(
        SQL("SUM(amount::float8) FILTER (WHERE ts >= %s::timestamp AND ts < %s::timestamp)", month.start, month.end)
        for month in months
    )
    return SQL(
        """
        SELECT partner_id,
               SUM(amount) FILTER (WHERE ts >= %(start)s),
               SUM(amount) FILTER (WHERE ts >= %(previous_start)s::timestamp AND ts < %(start)s),
               SUM(margin) FILTER (WHERE ts >= %(start)s),
               COUNT(*) FILTER (WHERE ts >= %(start)s AND is_sale),
               MAX(ts) FILTER (WHERE ts >= %(start)s AND is_sale),
               MIN(ts) FILTER (WHERE is_sale),
               %(monthly)s
        FROM (
            SELECT rp.commercial_partner_id AS partner_id, so.date_order AS ts, TRUE AS is_sale,
                   so.amount_untaxed AS amount, so.margin
            FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
            WHERE so.state = 'sale' AND so.company_id = %(company_id)s AND so.date_order < %(end)s::timestamp
            UNION ALL
            SELECT rp.commercial_partner_id, am.invoice_date::timestamp, FALSE, SUM(-aml.balance),
                   SUM(COALESCE(aml.margin_signed, 0) / am.invoice_currency_rate)
            FROM account_move am
            JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
            JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id AND NOT EXISTS (
                SELECT 1 FROM sale_order_line_invoice_rel other
                WHERE other.invoice_line_id = rel.invoice_line_id AND other.order_line_id < rel.order_line_id)
            JOIN sale_order_line sol ON sol.id = rel.order_line_id
            JOIN sale_order so ON so.id = sol.order_id
            JOIN res_partner rp ON rp.id = so.partner_id
            WHERE am.move_type = 'out_refund' AND am.state = 'posted' AND am.company_id = %(company_id)s
              AND so.state = 'sale' AND am.invoice_date < %(end)s::date
            GROUP BY am.id, rp.commercial_partner_id
        ) documents
        GROUP BY partner_id
        """,
        start=start,
        previous_start=previous.start,
        end=period.end,
        company_id=company_id,
        monthly=monthly,
    )


class RecordingWorkbook:
    """Records what an export writes (its styles, and per sheet its columns, rows and total row)
    to replay it on xlsxwriter alone; stops recording past ``RECORD_CELLS`` cells."""

    def __init__(self):
        self.styles = None
        self.sheets = []
        self.cells = 0
        self.overflow = False

    @contextmanager
    def recording(self):
        """While the block runs, every ``StreamingWorkbook`` records into this recorder."""
        # the addons path is known once the registry is open
        from odoo.addons.crm_relationship.tools.xlsx_stream import StreamingWorkbook  # noqa: PLC0415

        recorder = self
        sheet_method = StreamingWorkbook.sheet
        close_method = StreamingWorkbook.close

        @contextmanager
        def recording_sheet(workbook, name, columns, header_style=0, frozen_rows=1):
            record = {"name": name, "columns": columns, "header": header_style, "rows": [], "total": None}
            recorder.sheets.append(record)
            with sheet_method(workbook, name, columns, header_style, frozen_rows) as sheet:
                write_rows, write_total_row = sheet.write_rows, sheet.write_total_row

                def recording_rows(rows):
                    rows = list(rows)
                    recorder.cells += len(rows) * len(columns)
                    if recorder.cells <= RECORD_CELLS:
                        record["rows"].extend(rows)
                    else:
                        recorder.overflow = True
                    write_rows(rows)

                def recording_total(label, label_style, total_style):
                    record["total"] = (label, label_style, total_style)
                    write_total_row(label, label_style, total_style)

                sheet.write_rows, sheet.write_total_row = recording_rows, recording_total
                yield sheet

        def recording_close(workbook):
            recorder.styles = list(workbook._styles)
            close_method(workbook)

        StreamingWorkbook.sheet, StreamingWorkbook.close = recording_sheet, recording_close
        try:
            yield
        finally:
            StreamingWorkbook.sheet, StreamingWorkbook.close = sheet_method, close_method

    def replay(self, file_data):
        """xlsxwriter alone: the recorded sheets written cell by cell on a new constant-memory
        workbook into ``file_data`` (as report_xlsx writes one), with the same styles, widths,
        frozen header, autofilter and total formulas; its wall time."""
        started = time.perf_counter()
        workbook = xlsxwriter.Workbook(file_data, {"constant_memory": True, "in_memory": False})
        formats = [
            workbook.add_format(
                {
                    key: value
                    for key, value in (
                        ("bold", style["bold"]),
                        ("bg_color", style["bg_color"]),
                        ("border", 1 if style["border"] else 0),
                        ("top", 1 if style["top"] else 0),
                        ("num_format", style["num_format"]),
                    )
                    if value
                }
            )
            for style in self.styles
        ]
        for record in self.sheets:
            columns = record["columns"]
            sheet = workbook.add_worksheet(record["name"])
            sheet.freeze_panes(1, 0)
            for col, column in enumerate(columns):
                sheet.set_column(col, col, column.width)
                sheet.write_string(0, col, column.header, formats[record["header"]])
            writers = []
            for column in columns:
                cell_format = formats[column.style] if column.style else None
                if column.kind == "text":
                    writers.append(
                        lambda row, col, value, f=cell_format, s=sheet: s.write_string(row, col, value or "", f)
                    )
                elif column.kind == "bool":
                    writers.append(
                        lambda row, col, value, f=cell_format, s=sheet: s.write_boolean(row, col, bool(value), f)
                    )
                else:
                    writers.append(
                        lambda row, col, value, f=cell_format, s=sheet: (
                            value is None or s.write_number(row, col, value, f)
                        )
                    )
            row = 0
            for values in record["rows"]:
                row += 1
                for col, value in enumerate(values):
                    writers[col](row, col, value)
            sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
            if record["total"]:
                label, label_style, total_style = record["total"]
                sheet.write_string(row + 1, 0, label, formats[label_style])
                for col, column in enumerate(columns):
                    if column.total and row:
                        letter = xlsxwriter.utility.xl_col_to_name(col)
                        sheet.write_formula(
                            row + 1, col, f"=SUBTOTAL(9,{letter}2:{letter}{row + 1})", formats[total_style]
                        )
        workbook.close()
        return time.perf_counter() - started


def time_line_write(env, analysis):
    """Seconds to write ``analysis``'s lines again under a new run, with nothing computed: the
    part of a run that no bare query pays (rolled back)."""
    columns = SQL(", ").join(
        SQL.identifier(name)
        for name, field in env["crm.portfolio.line"]._fields.items()
        if field.store and field.column_type and name not in ("id", "analysis_id")
    )
    env.flush_all()  # the run's own writes stay
    env.cr.execute("SAVEPOINT bench_line_write")
    copy = analysis.create({"company_id": analysis.company_id.id, "revenue_source": analysis.revenue_source})
    env.flush_all()
    started = time.perf_counter()
    env.cr.execute(
        SQL(
            "INSERT INTO crm_portfolio_line (analysis_id, %(columns)s)"
            " SELECT %(copy)s, %(columns)s FROM crm_portfolio_line WHERE analysis_id = %(run)s",
            columns=columns,
            copy=copy.id,
            run=analysis.id,
        )
    )
    elapsed = time.perf_counter() - started
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_line_write")
    env.invalidate_all()
    return elapsed


def best_of(samples):
    return min(samples)


def measure(env, company_id, size, scaled):
    """Every figure of one size; the timings of a kind alternate with the others'."""
    Analysis = env["crm.portfolio.analysis"]
    # the periods a run made now reads, as the engine derives them
    scope = env["crm.portfolio.engine"]._scope(Analysis.new({"company_id": company_id}), Analysis)
    period, previous = scope.period, scope.previous_period
    bare = bare_sums_query(company_id, period, previous, scope.months)
    from odoo.addons.crm_relationship.models.crm_portfolio_engine import (  # noqa: PLC0415
        RUN_SETTINGS,
        SUMS_SETTINGS,
    )

    times = {"bare": [], "orders": [], "write": [], "invoices": [], "peer": []}
    queries = {}
    analyses = {}
    for _repeat in range(SCALED_REPEATS if scaled else REPEATS):
        # the limit with the run's own planner settings (no JIT compilation, sorts in memory)
        # and, as the run's sums, over rows sorted by customer (enable_hashagg off): the faster here
        with env["crm.portfolio.engine"]._local_settings({**RUN_SETTINGS, **SUMS_SETTINGS}):
            started = time.perf_counter()
            env.cr.execute(bare)
            env.cr.fetchall()
            times["bare"].append(time.perf_counter() - started)

        for source in ("orders", "invoices"):
            env.invalidate_all()
            analysis = Analysis.create({"company_id": company_id, "revenue_source": source})
            env.flush_all()
            queries_before = env.cr.sql_log_count
            started = time.perf_counter()
            analysis._run()
            times[source].append(time.perf_counter() - started)
            queries[source] = env.cr.sql_log_count - queries_before
            analyses[source] = analysis
            if source == "orders":
                times["write"].append(time_line_write(env, analysis))

        env.invalidate_all()
        queries_before = env.cr.sql_log_count
        started = time.perf_counter()
        for when in (period, previous):
            env["sale.report"].with_company(company_id)._read_group(
                [
                    ("company_id", "=", company_id),
                    ("state", "=", "sale"),
                    ("date", ">=", odoo.fields.Datetime.to_datetime(when.start)),
                    ("date", "<", odoo.fields.Datetime.to_datetime(when.end)),
                ],
                ["partner_id"],
                ["price_subtotal:sum"],
            )
        times["peer"].append(time.perf_counter() - started)
        queries["peer"] = env.cr.sql_log_count - queries_before
    best = {kind: best_of(samples) for kind, samples in times.items()}
    analysis = analyses["orders"]

    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    matrix = analysis.get_matrix_data()
    matrix_time = time.perf_counter() - started
    matrix_queries = env.cr.sql_log_count - queries_before

    def export():
        env.invalidate_all()
        return env["ir.actions.report"]._render_xlsx(
            "crm_relationship.action_report_portfolio_xlsx", analysis.ids, None
        )

    # the export's own footprint first (resident memory, then Python's allocations), then its time
    # alternated with xlsxwriter alone replaying the cells it wrote
    with RssPeak() as memory:
        content, _kind = export()
    if not scaled:  # tracemalloc slows Python down three times: not at ten times the size
        with RssPeak(traced=True) as traced:
            export()
        memory.traced_peak = traced.traced_peak
    recorder = None
    if not scaled:
        recorder = RecordingWorkbook()
        with recorder.recording():
            export()
        if recorder.overflow:
            recorder = None
    export_times, writer_times = [], []
    for _repeat in range(1 if scaled else EXPORT_REPEATS):
        started = time.perf_counter()
        export()
        export_times.append(time.perf_counter() - started)
        if recorder:
            writer_times.append(recorder.replay(io.BytesIO()))
    export_time, writer = min(export_times), min(writer_times) if writer_times else None
    return {
        "size": size,
        "lines": analysis.line_count,
        "best": best,
        "queries": queries,
        "export": export_time,
        "writer": writer,
        "xlsx_size": len(content),
        "memory": memory,
        "matrix": (matrix_time, matrix_queries, len(matrix["points"]), matrix.get("total_points")),
        "invoice_lines": analyses["invoices"].line_count,
        "invoice_revenue": analyses["invoices"].revenue_total,
        "order_revenue": analysis.revenue_total,
    }


def report(figures, without_invoices=False):
    best, queries = figures["best"], figures["queries"]
    customers, orders = figures["size"]
    memory = figures["memory"]
    matrix_time, matrix_queries, bubbles, total = figures["matrix"]
    writer = figures["writer"]
    print(f"--- {customers} customers, {orders} orders, {figures['lines']} lines")
    print(
        f"  limit (bare sums) {best['bare']:.2f} s | run on orders {best['orders']:.2f} s, "
        f"{queries['orders']} queries, ratio to the limit {best['orders'] / best['bare']:.2f} (target <= 2.0)"
    )
    print(
        f"  writing the run's lines alone {best['write']:.2f} s; limit + writing {best['bare'] + best['write']:.2f} s,"
        f" run / (limit + writing) {best['orders'] / (best['bare'] + best['write']):.2f}"
    )
    if without_invoices:
        # the bench orders get their product lines with their invoices: without them, the run on
        # invoices and sale.report (which reads order lines) have nothing to read
        print("  run on invoices and peer: not measured (--no-invoices: the orders have no lines, no invoice)")
    else:
        print(
            f"  run on invoices {best['invoices']:.2f} s, {queries['invoices']} queries, "
            f"ratio to the run on orders {best['invoices'] / best['orders']:.2f} (target <= 1.3); "
            f"revenue orders {figures['order_revenue']:,.0f}, invoices {figures['invoice_revenue']:,.0f}"
        )
        print(
            f"  peer: sale.report _read_group by customer, two periods {best['peer']:.2f} s "
            f"({queries['peer']} queries), run / peer {best['orders'] / best['peer']:.2f} (target < 1)"
        )
    print(
        f"  xlsx {figures['export']:.2f} s, {figures['xlsx_size'] / 1e6:.1f} MB; xlsxwriter alone "
        + (f"{writer:.2f} s, ratio {figures['export'] / writer:.2f} (target <= 1.5)" if writer else "not recorded")
        + f"; RSS before {memory.before:.0f} MiB, peak {memory.peak:.0f} MiB (+{memory.peak - memory.before:.0f}),"
        + (f" Python allocations peak {memory.traced_peak:.1f} MiB" if memory.traced_peak else "")
    )
    shown = f"{bubbles} bubbles" + (f" for {total} customers" if total and total != bubbles else "")
    print(f"  matrix data call {matrix_time:.2f} s, {matrix_queries} queries, {shown}")


def main():
    options = parse_size_args(__doc__, orders=400000)
    registry = open_registry(options.db)
    if options.scale > 1:
        sizes = [
            (options.customers, options.orders),
            (options.customers * options.scale, options.orders * options.scale),
        ]
    else:
        sizes = [(options.customers // 2, options.orders // 2), (options.customers, options.orders)]
    results = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        company_id = env.company.id
        inserted = (0, 0)
        for index, (customers, orders) in enumerate(sizes):
            started = time.perf_counter()
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM sale_order")
            last_order = cr.fetchone()[0]
            insert_customers_and_orders(
                cr, company_id, customers - inserted[0], orders - inserted[1], offset=inserted[0]
            )
            generated = f"data generated in {time.perf_counter() - started:.0f} s"
            if not options.no_invoices:
                invoices, lines, refunds = insert_invoices(cr, company_id, last_order)
                generated += f" ({invoices} invoices, {lines} invoice lines, {refunds} credit notes)"
            print(f"{customers} customers, {orders} orders: {generated} in all {time.perf_counter() - started:.0f} s")
            inserted = (customers, orders)
            figures = measure(env, company_id, (customers, orders), scaled=index and options.scale > 1)
            report(figures, without_invoices=options.no_invoices)
            results.append(figures)
        small, large = results
        growth = large["best"]["orders"] / small["best"]["orders"]
        factor = large["size"][0] / small["size"][0]
        print(
            f"growth from {small['size'][0]} to {large['size'][0]} customers: run x{growth:.1f} "
            f"(customers x{factor:.0f}), queries {small['queries']['orders']} -> {large['queries']['orders']}, "
            f"xlsx x{large['export'] / small['export']:.1f}, export memory growth "
            f"+{small['memory'].peak - small['memory'].before:.0f} / "
            f"+{large['memory'].peak - large['memory'].before:.0f} MiB"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
