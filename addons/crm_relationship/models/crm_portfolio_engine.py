from contextlib import contextmanager
from typing import NamedTuple

from odoo import api, models
from odoo.tools import SQL

from ..tools.period import Period

# The planner settings of a run's two statements, as measured by tests/benchmarks/bench_portfolio.py
# (figures in the README's benchmark table): no JIT compilation of these one-off statements; the
# sorts and hashes of the classes in memory; the sums per customer made over rows sorted by customer
# rather than in a hash table holding every customer's running sums. The stages of the classes
# statement are fenced with OFFSET 0 so that each value is computed once per customer and handed on.
RUN_SETTINGS = {"jit": "off", "work_mem": "64MB"}
SUMS_SETTINGS = {"enable_hashagg": "off"}
# The sample of the ANALYZE that ends a run (_refresh_line_statistics): 300 rows per unit of
# the statistics target (default 100)
STATISTICS_SETTINGS = {"default_statistics_target": "10"}


class RunScope(NamedTuple):
    """What a run's parts read: the run, the run it follows, the analysed period, the equal
    period before it and the months of the analysed period."""

    analysis: object
    previous_run: object
    period: Period
    previous_period: Period
    months: list


class PortfolioPart(NamedTuple):
    """The columns one method family adds at each stage of a run (see ``_portfolio_parts``).

    Every entry is an ``odoo.tools.SQL``; ``totals`` are ``(name, definition)`` pairs and
    ``lines`` ``(column of crm_portfolio_line, expression)`` pairs.
    """

    sums: tuple = ()
    base: tuple = ()
    totals: tuple = ()
    windows: tuple = ()
    measures: tuple = ()
    classes: tuple = ()
    lines: tuple = ()
    joins: tuple = ()


def _columns(parts, stage):
    return [column for part in parts for column in getattr(part, stage)]


def _moved(previous, current):
    """Whether a customer classified in both runs changed class (a line column, never NULL)."""
    return SQL(
        "COALESCE(%(previous)s IS DISTINCT FROM %(current)s AND %(previous)s IS NOT NULL"
        " AND %(current)s IS NOT NULL, FALSE)",
        previous=previous,
        current=current,
    )


class CrmPortfolioEngine(models.AbstractModel):
    """The computation of a client portfolio analysis run, in two set-based statements.

    A run reads the revenue documents of its company (``crm.revenue.source``) and writes one
    ``crm.portfolio.line`` per customer. Its statements are assembled from named parts, stage by
    stage, the way ``sale.report`` assembles its query:

    1. ``sums``: per customer, one pass over the revenue documents into a temporary table;
    2. ``base``: one row per customer: the sums, the cost to serve, the salesperson's team, and
       the potential customers that have no document;
    3. ``totals``: figures of the whole portfolio, one row each (the reference customer, the
       ABC total, the RFM quintiles);
    4. ``windows`` and ``measures``: each customer against the totals and the customers ahead;
    5. ``classes``: the classes that follow from the measures;
    6. ``lines``: the columns written on ``crm.portfolio.line``, with their ``joins``.

    ``_portfolio_parts`` lists the parts: the shared base, then one part per method family.
    """

    _name = "crm.portfolio.engine"
    _description = "Client Portfolio Analysis Engine"

    # ------------------------------------------------------------------ hook

    @api.model
    def _portfolio_parts(self, scope):
        """Hook: the parts that make a run's statements, the shared base first.

        ``scope`` is the run's ``RunScope``: the settings are read from ``scope.analysis``.
        A module that adds a column to ``crm.portfolio.line`` overrides this method, appends a
        part made with ``_portfolio_part`` to ``super()``'s list and returns it. Stage by stage, a
        part's expressions read: ``revenue_documents`` (the rows of ``crm.revenue.source``) in
        ``sums``; ``a`` (the sums) and ``p`` (``res_partner``) in ``base``; ``base`` in ``totals``
        and ``windows``; ``b`` (base and windows) and the totals by name in ``measures``;
        ``measured`` in ``classes``; ``s`` (every column so far) and ``prev`` (the customer's line in
        the run this one follows, NULLs when none) in ``lines`` and ``joins``.
        """
        return [
            self._base_part(scope),
            self._bcg_part(scope),
            self._abc_part(scope),
            self._xyz_part(scope),
            self._rfm_part(scope),
            self._mix_part(scope),
            self._strategy_part(scope),
        ]

    @api.model
    def _portfolio_part(self, **stages):
        """A part for ``_portfolio_parts``: keyword arguments named after its stages, each a
        tuple (``sums``, ``base``, ``totals``, ``windows``, ``measures``, ``classes``, ``lines``, ``joins``)."""
        return PortfolioPart(**stages)

    # ------------------------------------------------------------------ the run

    @api.model
    def _run(self, analysis, previous_run):
        """Write the lines of ``analysis`` in place of any earlier ones; return ``(line count,
        revenue total, {mix category: its sum on the run's mix basis})``."""
        scope = self._scope(analysis, previous_run)
        parts = self._portfolio_parts(scope)
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM crm_portfolio_line WHERE analysis_id = %s", analysis.id))
        with self._local_settings(RUN_SETTINGS):
            cr.execute("DROP TABLE IF EXISTS crm_portfolio_agg")
            with self._local_settings(SUMS_SETTINGS):
                cr.execute(self._sums_query(scope, parts))
            cr.execute(self._lines_query(scope, parts))
            cr.execute("DROP TABLE crm_portfolio_agg")
        cr.execute(
            SQL(
                """
                SELECT COUNT(*), COALESCE(SUM(revenue), 0),
                       COALESCE(SUM(%(mix)s) FILTER (WHERE mix_category = 'new'), 0),
                       COALESCE(SUM(%(mix)s) FILTER (WHERE mix_category = 'repeat'), 0),
                       COALESCE(SUM(%(mix)s) FILTER (WHERE mix_category = 'switcher'), 0),
                       COALESCE(SUM(%(mix)s) FILTER (WHERE mix_category = 'last_time'), 0)
                FROM crm_portfolio_line WHERE analysis_id = %(analysis_id)s
                """,
                mix=self._mix_value(analysis),
                analysis_id=analysis.id,
            )
        )
        count, total, new, repeat, switcher, last_time = cr.fetchone()
        return count, total, {"new": new, "repeat": repeat, "switcher": switcher, "last_time": last_time}

    @api.model
    def _scope(self, analysis, previous_run):
        """The ``RunScope`` of ``analysis`` following ``previous_run`` (empty for a first run)."""
        period = analysis._period()
        return RunScope(
            analysis,
            previous_run,
            period,
            period.previous(analysis.period_months),
            period.months(analysis.period_months),
        )

    @api.model
    def _refresh_line_statistics(self):
        """Update PostgreSQL's statistics of the lines' run once a run is written, as its manual
        advises after a bulk load; the last statement of a run, so that its own reads of the lines
        it has just written stay index scans.

        A new run's id is in none of the table's statistics: the planner counts its lines as one
        and reads them line by line (the export's sheets joined each line to its customer by an
        index lookup). Autovacuum does not do it in time: it analyzes a table once a tenth of it
        changed, and not before its next round. Only ``analysis_id``, the column every read of a
        run filters on, from a sample of 3,000 lines (STATISTICS_SETTINGS): enough to count a
        run's lines, and a twentieth of the time of the default sample.

        ``SKIP_LOCKED``: while another run's ANALYZE (held to that run's commit) or autovacuum
        works on the table, this run does not wait; its id then stays out of the statistics until
        the next ANALYZE, as it was before this refresh. A database user that does not own the
        table gets a warning from PostgreSQL and no statistics, not an error. A run rolled back
        after it leaves the statistics it wrote undone, but the table's row count as it counted
        it, until the next ANALYZE."""
        with self._local_settings(STATISTICS_SETTINGS):
            self.env.cr.execute("ANALYZE (SKIP_LOCKED) crm_portfolio_line (analysis_id)")

    @contextmanager
    def _local_settings(self, settings):
        """Run the block's statements with the PostgreSQL settings ``settings`` (RUN_SETTINGS,
        SUMS_SETTINGS, STATISTICS_SETTINGS), then restore them.

        The settings are local to the transaction: when a statement fails, the rollback (or the
        rollback to the savepoint around it) restores them."""
        names = list(settings)
        self.env.cr.execute(
            SQL(
                "SELECT set_config(name, value, TRUE) FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
                names,
                list(settings.values()),
            )
        )
        yield
        self.env.cr.execute(
            SQL("SELECT set_config(name, reset_val, TRUE) FROM pg_settings WHERE name = ANY(%s::text[])", names)
        )

    @api.model
    def _sums_query(self, scope, parts):
        """Statement 1: one pass over the revenue documents, grouped by customer, into a temporary table."""
        documents = self.env["crm.revenue.source"]._revenue_documents(
            scope.analysis.company_id, scope.analysis.revenue_source, Period.until(scope.period.end)
        )
        return SQL(
            """
            CREATE TEMPORARY TABLE crm_portfolio_agg ON COMMIT DROP AS
            SELECT partner_id, %s
            FROM (%s) revenue_documents
            GROUP BY partner_id
            """,
            SQL(",\n").join(_columns(parts, "sums")),
            documents,
        )

    @api.model
    def _lines_query(self, scope, parts):
        """Statement 2: the stages from the sums to the run's lines, written in one INSERT."""
        totals = _columns(parts, "totals")
        lines = _columns(parts, "lines")
        return SQL(
            """
            WITH %(base)s,
            %(totals)s,
            measured AS (
                SELECT b.*, %(measures)s
                FROM (SELECT %(windows)s FROM base) b
                %(cross_joins)s
            ),
            classified AS (
                SELECT measured.*, %(classes)s FROM measured OFFSET 0
            )
            INSERT INTO crm_portfolio_line (analysis_id, analysis_date, %(columns)s)
            SELECT %(analysis_id)s, %(analysis_date)s, %(values)s
            FROM classified s
            %(joins)s
            """,
            base=self._base_ctes(scope, parts),
            totals=SQL(",\n").join(SQL("%s AS %s", SQL.identifier(name), body) for name, body in totals),
            windows=SQL(", ").join([SQL("base.*"), *_columns(parts, "windows")]),
            cross_joins=SQL(" ").join(SQL("CROSS JOIN %s", SQL.identifier(name)) for name, _body in totals),
            measures=SQL(",\n").join(_columns(parts, "measures")),
            classes=SQL(",\n").join(_columns(parts, "classes")),
            columns=SQL(", ").join(SQL.identifier(column) for column, _value in lines),
            analysis_id=scope.analysis.id,
            analysis_date=scope.analysis.date,
            values=SQL(",\n").join(value for _column, value in lines),
            joins=SQL("\n").join(_columns(parts, "joins")),
        )

    @api.model
    def _base_ctes(self, scope, parts):
        """The ``base`` stage: one row per customer of the run, with its sums and cost to serve.

        The customers are those with a revenue document before the period's end, and the
        potential customers of the company: never ordered anywhere (a shared partner buying from
        a sister company is that company's customer, not our potential one). A customer's team is
        its salesperson's (first) sales team. The cost to serve is the ledger's and the extra cost
        sources' (``crm.customer.value._get_extra_costs``) of the period.
        """
        analysis, period = scope.analysis, scope.period
        extra = self.env["crm.customer.value"]._get_extra_costs(analysis.company_id, period.start, period.end)
        return SQL(
            """
            ledger AS (
                SELECT partner_id, SUM(amount) AS amount FROM crm_customer_cost
                WHERE company_id = %(company_id)s AND date >= %(date_from)s AND date < %(date_to)s
                GROUP BY partner_id
            ),
            extra AS (
                SELECT partner_id, SUM(amount) AS amount
                FROM unnest(%(extra_partner_ids)s::int[], %(extra_amounts)s::numeric[]) AS e(partner_id, amount)
                GROUP BY partner_id
            ),
            potential AS (
                SELECT p.id AS partner_id FROM res_partner p
                WHERE p.id = p.commercial_partner_id AND p.active AND p.customer_rank > 0
                  AND (p.company_id = %(company_id)s OR (p.company_id IS NULL AND p.lifecycle_stage = 'potential'))
            ),
            teams AS (
                SELECT DISTINCT ON (user_id) user_id, crm_team_id AS team_id
                FROM crm_team_member WHERE active ORDER BY user_id, id
            ),
            base AS (
                SELECT p.id AS partner_id, p.user_id, t.team_id, p.lifecycle_stage,
                       COALESCE(g.amount, 0) + COALESCE(x.amount, 0) AS cost_to_serve,
                       %(columns)s
                FROM crm_portfolio_agg a
                FULL JOIN potential c ON c.partner_id = a.partner_id
                JOIN res_partner p ON p.id = COALESCE(a.partner_id, c.partner_id)
                LEFT JOIN ledger g ON g.partner_id = p.id
                LEFT JOIN extra x ON x.partner_id = p.id
                LEFT JOIN teams t ON t.user_id = p.user_id
            )
            """,
            company_id=analysis.company_id.id,
            date_from=period.start,
            date_to=period.end,
            extra_partner_ids=list(extra),
            extra_amounts=list(extra.values()),
            columns=SQL(",\n").join(_columns(parts, "base")),
        )

    # ------------------------------------------------------------------ parts

    @api.model
    def _base_part(self, scope):
        """The sums every method reads, per customer: revenue and margin of the period, revenue
        of the previous period, sales (orders or invoices, not credit notes) of the period with
        the last one, and the first sale ever."""
        current, previous = scope.period, scope.previous_period
        date_from = SQL("%s::timestamp", current.start)
        return PortfolioPart(
            sums=(
                SQL("SUM(amount) FILTER (WHERE ts >= %s) AS revenue", date_from),
                SQL(
                    "SUM(amount) FILTER (WHERE ts >= %s::timestamp AND ts < %s::timestamp) AS revenue_previous",
                    previous.start,
                    previous.end,
                ),
                SQL("SUM(margin) FILTER (WHERE ts >= %s) AS margin", date_from),
                SQL("COUNT(*) FILTER (WHERE ts >= %s AND is_sale) AS frequency", date_from),
                SQL("MAX(ts) FILTER (WHERE ts >= %s AND is_sale) AS last_ts", date_from),
                SQL("MIN(ts) FILTER (WHERE is_sale) AS first_ts"),
            ),
            base=(
                SQL("COALESCE(a.revenue, 0) AS revenue"),
                SQL("COALESCE(a.revenue_previous, 0) AS revenue_previous"),
                SQL("COALESCE(a.margin, 0) AS margin"),
                SQL("COALESCE(a.frequency, 0) AS frequency"),
                SQL("a.last_ts"),
                SQL("a.first_ts"),
                # BCG and ABC classify the customers with revenue in either period
                SQL("(COALESCE(a.revenue, 0) > 0 OR COALESCE(a.revenue_previous, 0) > 0) AS in_matrix"),
            ),
            lines=(
                ("partner_id", SQL("s.partner_id")),
                ("user_id", SQL("s.user_id")),
                ("team_id", SQL("s.team_id")),
                ("lifecycle_stage", SQL("s.lifecycle_stage")),
                ("revenue", SQL("s.revenue")),
                ("revenue_previous", SQL("s.revenue_previous")),
                ("margin", SQL("s.margin")),
                ("cost_to_serve", SQL("s.cost_to_serve")),
                ("net_profit", SQL("s.margin - s.cost_to_serve")),
                ("in_matrix", SQL("s.in_matrix")),
            ),
            # the customer's line in the run this one follows, for the classes it had there
            joins=(
                SQL(
                    "LEFT JOIN crm_portfolio_line prev ON prev.analysis_id = %s AND prev.partner_id = s.partner_id",
                    scope.previous_run.id or None,
                ),
            ),
        )

    @api.model
    def _bcg_part(self, scope):
        """BCG matrix. Relative value = revenue / revenue of the reference customer (the largest,
        or the median of those with revenue); growth = (revenue - previous revenue) / previous
        revenue. A customer without previous revenue and with revenue now is new: no growth
        figure, and it counts as high growth. Star = high value and high growth, cash cow = high
        value, question mark = high growth, dog = neither. The quadrant of the run it follows is
        kept beside it."""
        analysis = scope.analysis
        if analysis.bcg_reference == "median":
            reference = SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY revenue) FILTER (WHERE revenue > 0)")
        else:
            reference = SQL("MAX(revenue)")
        high_value = SQL("measured.relative_value >= %s", analysis.share_threshold)
        high_growth = SQL("(measured.is_new OR measured.growth >= %s)", analysis.growth_threshold)
        return PortfolioPart(
            totals=(("bcg_reference", SQL("(SELECT %s AS reference_value FROM base WHERE in_matrix)", reference)),),
            measures=(
                SQL(
                    "CASE WHEN b.in_matrix THEN b.revenue / NULLIF(bcg_reference.reference_value, 0) END"
                    " AS relative_value"
                ),
                SQL(
                    "CASE WHEN b.in_matrix AND b.revenue_previous > 0"
                    " THEN 100.0 * (b.revenue - b.revenue_previous) / b.revenue_previous END AS growth"
                ),
                SQL("(b.in_matrix AND b.revenue_previous <= 0 AND b.revenue > 0) AS is_new"),
            ),
            classes=(
                SQL(
                    """CASE WHEN NOT measured.in_matrix THEN NULL
                            WHEN %(value)s AND %(growth)s THEN 'star'
                            WHEN %(value)s THEN 'cash_cow'
                            WHEN %(growth)s THEN 'question_mark'
                            ELSE 'dog' END AS quadrant""",
                    value=high_value,
                    growth=high_growth,
                ),
            ),
            lines=(
                ("growth", SQL("s.growth")),
                ("is_new", SQL("s.is_new")),
                ("relative_value", SQL("s.relative_value")),
                ("bcg_quadrant", SQL("s.quadrant")),
                ("previous_bcg_quadrant", SQL("prev.bcg_quadrant")),
                ("quadrant_changed", _moved(SQL("prev.bcg_quadrant"), SQL("s.quadrant"))),
            ),
        )

    @api.model
    def _abc_part(self, scope):
        """ABC (Pareto). Customers sorted by revenue (or margin), largest first; the cumulative
        share before a customer is the value of the customers ahead of it / the total. A = the
        customers that start below the A threshold (80 %), B below the B threshold (95 %), C the
        rest: the customer that crosses a boundary belongs to the class it starts in. The class of
        the run it follows is kept beside it."""
        analysis = scope.analysis
        value = SQL("COALESCE(a.margin, 0)") if analysis.abc_basis == "margin" else SQL("COALESCE(a.revenue, 0)")
        return PortfolioPart(
            base=(SQL("%s AS abc_value", value),),
            totals=(("abc_total", SQL("(SELECT SUM(GREATEST(abc_value, 0)) AS abc_total FROM base WHERE in_matrix)")),),
            # the value of the matrix customers ahead; a FILTER rather than a partition, so
            # that the sort leads with the value
            windows=(
                SQL(
                    """COALESCE(SUM(GREATEST(abc_value, 0)) FILTER (WHERE in_matrix) OVER (
                           ORDER BY abc_value DESC, partner_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS abc_before"""
                ),
            ),
            measures=(
                SQL(
                    "CASE WHEN b.in_matrix THEN 100.0 * b.abc_before / NULLIF(abc_total.abc_total, 0) END"
                    " AS cumulative_share"
                ),
            ),
            classes=(
                SQL(
                    """CASE WHEN NOT measured.in_matrix THEN NULL
                            WHEN measured.cumulative_share < %s THEN 'A'
                            WHEN measured.cumulative_share < %s THEN 'B'
                            ELSE 'C' END AS abc_class""",
                    analysis.abc_a_threshold,
                    analysis.abc_b_threshold,
                ),
            ),
            lines=(
                ("abc_class", SQL("s.abc_class")),
                ("cumulative_share", SQL("s.cumulative_share")),
                ("previous_abc_class", SQL("prev.abc_class")),
                ("abc_class_changed", _moved(SQL("prev.abc_class"), SQL("s.abc_class"))),
            ),
        )

    @api.model
    def _xyz_part(self, scope):
        """XYZ, two readings. Relationship: X regular (regular, at risk, won back), Y one-time,
        Z potential, L lost; a customer without a stage is X when it bought more than once in the
        period. Demand stability: the coefficient of variation of the monthly revenue of the
        period (standard deviation / mean, over every month, empty months included): X up to the
        X threshold (10 %), Y up to the Y threshold (25 %), Z above; none without revenue."""
        analysis = scope.analysis
        count = len(scope.months)
        monthly = [SQL.identifier(f"m{index}") for index in range(count)]
        return PortfolioPart(
            # float8: these sums only feed the coefficient of variation
            sums=tuple(
                SQL(
                    "SUM(amount::float8) FILTER (WHERE ts >= %s::timestamp AND ts < %s::timestamp) AS %s",
                    month.start,
                    month.end,
                    column,
                )
                for month, column in zip(scope.months, monthly, strict=True)
            ),
            base=(
                SQL("%s AS sum_squares", SQL(" + ").join(SQL("COALESCE(a.%s, 0) ^ 2", column) for column in monthly)),
            ),
            measures=(
                # in float8: numeric powers and roots cost milliseconds per thousand customers
                SQL(
                    """CASE WHEN b.revenue > 0 THEN 100.0 * SQRT(GREATEST(
                           b.sum_squares / %(months)s - (b.revenue::float8 / %(months)s) ^ 2, 0))
                           / (b.revenue::float8 / %(months)s) END AS variation_coefficient""",
                    months=count,
                ),
            ),
            lines=(
                (
                    "xyz_relationship",
                    SQL(
                        """CASE WHEN s.lifecycle_stage IN ('regular', 'at_risk', 'won_back') THEN 'X'
                                WHEN s.lifecycle_stage = 'one_time' THEN 'Y'
                                WHEN s.lifecycle_stage = 'lost' THEN 'L'
                                WHEN s.lifecycle_stage = 'potential' OR s.first_ts IS NULL THEN 'Z'
                                WHEN s.frequency > 1 THEN 'X' ELSE 'Y' END"""
                    ),
                ),
                (
                    "xyz_stability",
                    SQL(
                        """CASE WHEN s.variation_coefficient IS NULL THEN NULL
                                WHEN s.variation_coefficient <= %s THEN 'X'
                                WHEN s.variation_coefficient <= %s THEN 'Y' ELSE 'Z' END""",
                        analysis.xyz_x_threshold,
                        analysis.xyz_y_threshold,
                    ),
                ),
                ("variation_coefficient", SQL("s.variation_coefficient")),
            ),
        )

    @api.model
    def _rfm_part(self, scope):
        """RFM. Recency (the last sale's day), frequency (sales) and monetary value (revenue) of
        the customers with a sale in the period, each scored 1 to 5 by quintiles: a score is
        1 + floor(5 (rank - 1) / n), rank - 1 being the number of customers with a lower value,
        so that ties share a score. The segment follows from R and the mean of F and M rounded
        half up (FM): champions (R >= 4, FM >= 4), loyal (R >= 3, FM >= 4), potential loyalist
        (R >= 4, FM >= 2), new customers (R >= 4), need attention (R = 3, FM >= 2), about to sleep
        (R = 3), at risk (FM >= 4), hibernating (FM >= 2), lost."""
        scores = []
        for score, value, bound in (
            ("r_score", SQL("b.last_ts::date"), "r"),
            ("f_score", SQL("b.frequency"), "f"),
            ("m_score", SQL("b.revenue"), "m"),
        ):
            # the score rises by one at four values of the sorted list (positions ceil(k n / 5))
            steps = SQL(" + ").join(
                SQL("(rfm_quintiles.%s < %s)::int", SQL.identifier(f"{bound}{k}"), value) for k in range(1, 5)
            )
            scores.append(SQL("CASE WHEN b.frequency > 0 THEN 1 + %s END AS %s", steps, SQL.identifier(score)))
        bounds = SQL(", ").join(
            SQL("%s[(%s * n + 4) / 5] AS %s", SQL.identifier(bound), k, SQL.identifier(f"{bound}{k}"))
            for bound in ("r", "f", "m")
            for k in range(1, 5)
        )
        return PortfolioPart(
            totals=(
                (
                    "rfm_quintiles",
                    SQL(
                        """MATERIALIZED (
                            SELECT %s
                            FROM (SELECT COUNT(*)::int AS n, array_agg(last_ts::date ORDER BY last_ts::date) AS r,
                                         array_agg(frequency ORDER BY frequency) AS f,
                                         array_agg(revenue ORDER BY revenue) AS m
                                  FROM base WHERE frequency > 0) sorted
                        )""",
                        bounds,
                    ),
                ),
            ),
            measures=tuple(scores),
            classes=(SQL("(measured.f_score + measured.m_score + 1) / 2 AS fm"),),
            lines=(
                (
                    "recency_days",
                    SQL("CASE WHEN s.last_ts IS NOT NULL THEN %s::date - s.last_ts::date END", scope.analysis.date),
                ),
                ("frequency", SQL("s.frequency")),
                ("r_score", SQL("s.r_score")),
                ("f_score", SQL("s.f_score")),
                ("m_score", SQL("s.m_score")),
                (
                    "rfm_segment",
                    SQL(
                        """CASE WHEN s.r_score IS NULL THEN NULL
                                WHEN s.r_score >= 4 AND s.fm >= 4 THEN 'champions'
                                WHEN s.r_score >= 3 AND s.fm >= 4 THEN 'loyal'
                                WHEN s.r_score >= 4 AND s.fm >= 2 THEN 'potential_loyalist'
                                WHEN s.r_score >= 4 THEN 'new_customers'
                                WHEN s.r_score = 3 AND s.fm >= 2 THEN 'need_attention'
                                WHEN s.r_score = 3 THEN 'about_to_sleep'
                                WHEN s.fm >= 4 THEN 'at_risk'
                                WHEN s.fm >= 2 THEN 'hibernating'
                                ELSE 'lost' END"""
                    ),
                ),
            ),
        )

    @api.model
    def _mix_part(self, scope):
        """Customer mix, for the customers with revenue in the period: last-time (at risk or
        lost), new (first sale in the period), repeat (revenue in the previous period too), and
        switchers (back after a period without revenue)."""
        return PortfolioPart(
            lines=(
                (
                    "mix_category",
                    SQL(
                        """CASE WHEN s.revenue <= 0 THEN NULL
                                WHEN s.lifecycle_stage IN ('at_risk', 'lost') THEN 'last_time'
                                WHEN s.first_ts >= %s::timestamp THEN 'new'
                                WHEN s.revenue_previous > 0 THEN 'repeat'
                                ELSE 'switcher' END""",
                        scope.period.start,
                    ),
                ),
            ),
        )

    @api.model
    def _mix_value(self, analysis):
        """What the customer mix shares out, by the run's Mix On: the revenue, the number of
        purchases (orders or invoices, not credit notes) or the gross margin of the lines."""
        return {"revenue": SQL("revenue"), "purchases": SQL("frequency"), "margin": SQL("margin")}[analysis.mix_basis]

    @api.model
    def _strategy_part(self, scope):
        """Suggested strategy: the strategy the quadrant maps to (``crm.portfolio.strategy.map``),
        or the map's strategy for a dog that is loss-making (margin below the cost to serve) and
        inactive (at risk or lost) when the map names one."""
        return PortfolioPart(
            lines=(
                (
                    "suggested_strategy",
                    SQL(
                        """CASE WHEN s.quadrant = 'dog' AND s.margin - s.cost_to_serve < 0
                                     AND s.lifecycle_stage IN ('at_risk', 'lost') AND loss.code IS NOT NULL
                                THEN loss.code ELSE suggested.code END"""
                    ),
                ),
            ),
            joins=(
                SQL("LEFT JOIN crm_portfolio_strategy_map m ON m.quadrant = s.quadrant AND m.active"),
                SQL("LEFT JOIN crm_relationship_strategy suggested ON suggested.id = m.strategy_id"),
                SQL("LEFT JOIN crm_relationship_strategy loss ON loss.id = m.loss_inactive_strategy_id"),
            ),
        )
