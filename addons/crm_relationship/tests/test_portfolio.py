import importlib.util
import io
from datetime import datetime, time
from pathlib import Path

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..tools.invoice_costs import cost_invoice_lines
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestPortfolioAnalysis(RelationshipCase):
    """A company of its own with hand-computed customers.

    Current period = the 12 months up to today, previous = the 12 before.

    ========  =======  ========  ======  =====  ====  ==========================
    customer  current  previous  growth  x      ABC   note
    ========  =======  ========  ======  =====  ====  ==========================
    Alpha     12,000   9,600     +25 %   1.000  A     12 monthly orders
    Beta      6,000    6,000     0 %     0.500  A     12 monthly orders, x on the threshold
    Gamma     3,000    0         new     0.250  A     crosses 80 % (77.05 -> 89.90)
    Delta     1,200    2,400     -50 %   0.100  B     crosses 95 %, loss-making, at risk
    Epsilon   660      600       +10 %   0.055  C     growth on the threshold
    Iota      500      0         new     0.042  C     bought 800 days ago: a switcher
    Zeta      0        0         -       -      -     lost: left out of BCG and ABC
    Eta       0        0         -       -      -     potential, never ordered
    ========  =======  ========  ======  =====  ====  ==========================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_p = cls.env["res.company"].create({"name": "Portfolio Test Co", "currency_id": cls.currency.id})
        for user in (cls.env.user, cls.salesman, cls.sales_manager):
            user.company_ids |= cls.company_p
        cls.date_from = cls.today + relativedelta(days=1) - relativedelta(months=12)
        cls.previous_from = cls.date_from - relativedelta(months=12)

    def setUp(self):
        super().setUp()
        self.partners = {}
        monthly = [self.date_from + relativedelta(months=i, days=3) for i in range(12)]
        monthly_previous = [self.previous_from + relativedelta(months=i, days=3) for i in range(12)]
        self._orders("Alpha", [(d, 1000.0) for d in monthly] + [(d, 800.0) for d in monthly_previous])
        self._orders("Beta", [(d, 500.0) for d in monthly] + [(d, 500.0) for d in monthly_previous])
        self._orders("Gamma", [(self.date_from + relativedelta(months=6, days=3), 3000.0)])
        self._orders("Delta", [(self.days_ago(320), 1200.0), (self.days_ago(500), 2400.0)])
        self._orders("Epsilon", [(self.days_ago(30), 660.0), (self.days_ago(400), 600.0)])
        self._orders("Iota", [(self.days_ago(60), 500.0), (self.days_ago(800), 300.0)])
        self._orders("Zeta", [(self.days_ago(1000), 700.0)])
        self.partners["Eta"] = self.env["res.partner"].create(
            {"name": "Eta", "is_company": True, "customer_rank": 1, "company_id": self.company_p.id}
        )
        self.book_cost(self.partners["Delta"], 5000.0, days_ago=100, company=self.company_p)
        self.Value._refresh(companies=self.company_p, today=self.today)  # lifecycle stages

    def _orders(self, name, dated_amounts, pricelist=None):
        partner = self.partners.get(name) or self.env["res.partner"].create({"name": name, "is_company": True})
        self.partners[name] = partner
        for day, amount in dated_amounts:
            order = (
                self.env["sale.order"]
                .with_company(self.company_p)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": self.company_p.id,
                        "user_id": self.salesman.id,
                        "pricelist_id": pricelist.id if pricelist else False,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": amount,
                                    "purchase_price": amount * 0.6,
                                }
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
            order.date_order = datetime.combine(day, time(10))
        return partner

    def _run(self, **values):
        analysis = self.env["crm.portfolio.analysis"].create(
            dict({"company_id": self.company_p.id, "date": self.today}, **values)
        )
        analysis.action_compute()
        return analysis

    def _line(self, analysis, name):
        return analysis.line_ids.filtered(lambda line: line.partner_id == self.partners[name])

    def _classes(self, analysis, field):
        return {name: self._line(analysis, name)[field] for name in self.partners}

    def test_the_planner_counts_a_new_runs_lines(self):
        """The screens and the export read a run right after it is made: the database plans those
        reads on the run's real number of lines, not on one line (its id is new to the table's
        statistics until the run updates them)."""
        for _repeat in range(2):  # the second run is new to the statistics the first one left
            analysis = self._run()
            self.env.cr.execute(
                SQL("EXPLAIN (FORMAT JSON) SELECT id FROM crm_portfolio_line WHERE analysis_id = %s", analysis.id)
            )
            [[plan]] = self.env.cr.fetchall()
            # the test database's lines all fit in the refresh's sample: the count is exact
            self.assertEqual((plan[0]["Plan"]["Plan Rows"], analysis.line_count), (13, 13))

    def test_a_run_reads_the_run_before_once_whatever_the_statistics(self):
        """A run's statement is the one place where two runs meet: each customer's line in the run
        before gives his quadrant and ABC class there. With neither run in the table's statistics
        (runs made since its last ANALYZE) the run before is read once (hashed or sorted) or looked
        up customer by customer, never read whole again for each customer."""
        Analysis, Engine = self.env["crm.portfolio.analysis"], self.env["crm.portfolio.engine"]
        # never run: their ids are in no statistics
        before, run = Analysis.create(
            [{"company_id": self.company_p.id, "date": self.days_ago(30)}, {"company_id": self.company_p.id}]
        )
        scope = Engine._scope(run, before)
        parts = Engine._portfolio_parts(scope)
        self.env.flush_all()
        self.env.cr.execute("DROP TABLE IF EXISTS crm_portfolio_agg")
        self.env.cr.execute(Engine._sums_query(scope, parts))
        self.env.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", Engine._lines_query(scope, parts)))
        [[plan]] = self.env.cr.fetchall()
        self.env.cr.execute("DROP TABLE crm_portfolio_agg")

        def joins_to_prev(node, join=None):
            """(the join above the scan of the run before, that scan)"""
            if node.get("Alias") == "prev":
                yield join, node
            for child in node.get("Plans", ()):
                yield from joins_to_prev(
                    child, node if "Join" in node["Node Type"] or "Nested" in node["Node Type"] else join
                )

        [(join, scan)] = joins_to_prev(plan[0]["Plan"])
        condition = " ".join(scan.get(key, "") for key in ("Index Cond", "Recheck Cond", "Filter"))
        read_once = join["Node Type"] in ("Hash Join", "Merge Join")
        looked_up = "prev.partner_id = s.partner_id" in condition
        self.assertTrue(read_once or looked_up, (join["Node Type"], scan))

    def test_bcg_quadrants_with_the_threshold_edge_cases(self):
        analysis = self._run()
        self.assertEqual(analysis.state, "done")
        self.assertEqual(
            self._classes(analysis, "bcg_quadrant"),
            {
                "Alpha": "star",
                "Beta": "cash_cow",
                "Gamma": "question_mark",
                "Delta": "dog",
                "Epsilon": "question_mark",
                "Iota": "question_mark",
                "Zeta": False,
                "Eta": False,
            },
        )
        alpha, beta, gamma = (self._line(analysis, n) for n in ("Alpha", "Beta", "Gamma"))
        self.assertEqual((alpha.revenue, alpha.revenue_previous, alpha.growth), (12000.0, 9600.0, 25.0))
        self.assertEqual(beta.relative_value, 0.5)
        self.assertTrue(gamma.is_new)
        self.assertFalse(gamma.growth)
        self.assertEqual(self._line(analysis, "Epsilon").growth, 10.0)
        self.assertFalse(self._line(analysis, "Zeta").in_matrix)

    def test_relative_value_against_the_median(self):
        analysis = self._run(bcg_reference="median", share_threshold=1.0)
        # median of 12,000 6,000 3,000 1,200 660 500 is 2,100
        self.assertAlmostEqual(self._line(analysis, "Gamma").relative_value, 3000.0 / 2100.0, places=3)
        self.assertEqual(self._line(analysis, "Gamma").bcg_quadrant, "star")
        self.assertEqual(self._line(analysis, "Delta").bcg_quadrant, "dog")

    def test_abc_the_customer_crossing_a_boundary_keeps_the_class_it_starts_in(self):
        analysis = self._run()
        self.assertEqual(
            self._classes(analysis, "abc_class"),
            {
                "Alpha": "A",
                "Beta": "A",
                "Gamma": "A",
                "Delta": "B",
                "Epsilon": "C",
                "Iota": "C",
                "Zeta": False,
                "Eta": False,
            },
        )
        self.assertAlmostEqual(self._line(analysis, "Gamma").cumulative_share, 100.0 * 18000 / 23360, places=2)

    def test_xyz_relationship_and_demand_stability(self):
        analysis = self._run()
        self.assertEqual(
            self._classes(analysis, "xyz_relationship"),
            {
                "Alpha": "X",
                "Beta": "X",
                "Gamma": "Y",
                "Delta": "X",
                "Epsilon": "X",
                "Iota": "X",
                "Zeta": "L",
                "Eta": "Z",
            },
        )
        stability = self._classes(analysis, "xyz_stability")
        self.assertEqual((stability["Alpha"], stability["Beta"], stability["Gamma"]), ("X", "X", "Z"))
        self.assertFalse(stability["Zeta"], "no revenue, no stability class")
        # one order in twelve months: mean 250, standard deviation 829.16
        self.assertAlmostEqual(self._line(analysis, "Gamma").variation_coefficient, 331.66, places=2)

    def test_rfm_scores_with_ties_and_segments(self):
        analysis = self._run()
        scores = {
            name: (line.r_score, line.f_score, line.m_score, line.rfm_segment)
            for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Iota")
            for line in [self._line(analysis, name)]
        }
        self.assertEqual(
            scores,
            {
                "Alpha": (4, 4, 5, "champions"),
                "Beta": (4, 4, 4, "champions"),  # same last order day as Alpha: same R
                "Gamma": (1, 1, 3, "hibernating"),
                "Delta": (1, 1, 2, "hibernating"),
                "Epsilon": (3, 1, 1, "about_to_sleep"),
                "Iota": (2, 1, 1, "lost"),
            },
        )
        self.assertFalse(self._line(analysis, "Zeta").r_score, "no order in the period, no RFM score")

    def test_suggested_strategies_follow_the_quadrant_table(self):
        analysis = self._run()
        code = {name: self._line(analysis, name).suggested_strategy_id.code for name in self.partners}
        self.assertEqual(code["Alpha"], "protect")
        self.assertEqual(code["Beta"], "harvest")
        self.assertEqual(code["Gamma"], "enhance")
        self.assertEqual(code["Delta"], "end", "a dog that is loss-making and at risk is ended")
        dog_map = self.env.ref("crm_relationship.strategy_map_dog")
        dog_map.loss_inactive_strategy_id = False
        self.assertEqual(self._line(self._run(), "Delta").suggested_strategy_id.code, "reengineer")
        self.assertEqual(
            self._line(analysis, "Delta").suggested_strategy_id.code, "end", "an earlier run keeps its suggestion"
        )

    def test_lines_can_be_filtered_and_grouped_by_suggested_strategy(self):
        analysis = self._run()
        Line = self.env["crm.portfolio.line"].with_user(self.salesman)
        protect = self.env["crm.relationship.strategy"].search([("code", "=", "protect")])
        # the fixture's customers (a database with demo data has potential customers of its own)
        in_run = [("analysis_id", "=", analysis.id), ("partner_id", "in", [p.id for p in self.partners.values()])]
        self.assertEqual(
            Line.search(in_run + [("suggested_strategy_id", "=", protect.id)]).partner_id.mapped("name"), ["Alpha"]
        )
        self.assertEqual(
            Line.search(in_run + [("suggested_strategy_id", "ilike", protect.name)]).partner_id.mapped("name"),
            ["Alpha"],
        )
        others = Line.search(in_run + [("suggested_strategy_id", "!=", protect.id)]).partner_id.mapped("name")
        self.assertNotIn("Alpha", others)
        self.assertIn("Eta", others, "a customer without a suggestion is not the Protect one either")
        unclassified = Line.search(in_run + [("suggested_strategy_id", "=", False)]).partner_id.mapped("name")
        self.assertEqual(sorted(unclassified), ["Eta", "Zeta"])
        groups = dict(Line._read_group(in_run, ["suggested_strategy"], ["__count"]))
        self.assertEqual((groups["protect"], groups["end"]), (1, 1))

    def test_lines_carry_the_date_of_their_run(self):
        analysis = self._run(date=self.days_ago(3))
        self.assertEqual(set(analysis.line_ids.mapped("analysis_date")), {self.days_ago(3)})
        history = self.env["crm.portfolio.line"].search(
            [("partner_id", "=", self.partners["Alpha"].id), ("analysis_date", "=", self.days_ago(3))]
        )
        self.assertEqual(history.analysis_id, analysis)

    def test_applying_suggestions_goes_through_the_strategy_rules(self):
        analysis = self._run()
        lines = self._line(analysis, "Alpha") | self._line(analysis, "Gamma")
        lines.with_user(self.salesman).action_apply_suggested_strategy()
        self.assertEqual(self.partners["Alpha"].relationship_strategy_id.code, "protect")
        self.assertEqual(self.partners["Gamma"].relationship_strategy_id.code, "enhance")
        with self.assertRaisesRegex(AccessError, "Relationship Manager"):
            self._line(analysis, "Delta").with_user(self.salesman).action_apply_suggested_strategy()

    def test_customer_mix(self):
        analysis = self._run()
        self.assertEqual(
            self._classes(analysis, "mix_category"),
            {
                "Alpha": "repeat",
                "Beta": "repeat",
                "Gamma": "new",
                "Delta": "last_time",
                "Epsilon": "repeat",
                "Iota": "switcher",
                "Zeta": False,
                "Eta": False,
            },
        )
        self.assertEqual(analysis.mix_new_actual, 12.8)  # 3,000 of 23,360
        self.assertEqual(analysis.mix_repeat_actual, 79.9)
        self.assertEqual(analysis.mix_switcher_actual, 2.1)
        self.assertEqual(analysis.mix_last_time_actual, 5.1)

    def test_mix_targets_must_make_100_and_give_variances(self):
        Target = self.env["crm.customer.mix.target"]
        values = {"company_id": self.company_p.id, "year": self.today.year}
        with self.assertRaisesRegex(ValidationError, "105"), self.env.cr.savepoint():
            Target.create(dict(values, target_new=25, target_repeat=45, target_switcher=20, target_last_time=15))
        Target.create(dict(values, target_new=25, target_repeat=45, target_switcher=20, target_last_time=10))
        analysis = self.env["crm.portfolio.analysis"].create({"company_id": self.company_p.id, "date": self.today})
        analysis.write(
            {"mix_new_actual": 25, "mix_repeat_actual": 40, "mix_switcher_actual": 15, "mix_last_time_actual": 20}
        )
        self.assertEqual(
            (
                analysis.mix_new_variance,
                analysis.mix_repeat_variance,
                analysis.mix_switcher_variance,
                analysis.mix_last_time_variance,
            ),
            (0.0, 5.0, 5.0, -10.0),
        )

    def test_a_later_run_leaves_earlier_lines_alone_and_shows_moves(self):
        first = self._run()
        before = first.line_ids.read(["partner_id", "revenue", "bcg_quadrant", "abc_class", "r_score"])
        # Beta doubles its business: cash cow -> star
        self._orders("Beta", [(self.days_ago(2), 6000.0)])
        second = self._run()
        self.assertEqual(first.line_ids.read(["partner_id", "revenue", "bcg_quadrant", "abc_class", "r_score"]), before)
        beta = self._line(second, "Beta")
        self.assertEqual(
            (beta.previous_bcg_quadrant, beta.bcg_quadrant, beta.quadrant_changed), ("cash_cow", "star", True)
        )
        self.assertFalse(self._line(second, "Alpha").quadrant_changed)
        # the ABC classes of the first run beside the second's: with Beta's 6,000 more, the customers
        # ahead of Gamma hold 81.7 % of the total (77.1 % before): A -> B
        self.assertEqual(
            {
                name: (line.previous_abc_class, line.abc_class, line.abc_class_changed)
                for name in ("Alpha", "Gamma", "Delta")
                for line in [self._line(second, name)]
            },
            {"Alpha": ("A", "A", False), "Gamma": ("A", "B", True), "Delta": ("B", "B", False)},
        )
        self.assertEqual([round(self._line(run, "Gamma").cumulative_share, 1) for run in (first, second)], [77.1, 81.7])
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_relationship.action_report_portfolio_xlsx", second.ids, None
        )
        abc = openpyxl.load_workbook(io.BytesIO(content))["ABC"]
        rows = {row[0]: row[4:6] for row in abc.iter_rows(min_row=1, max_row=4, values_only=True)}
        self.assertEqual(rows["Customer"], ("ABC Class", "Previous ABC Class"))
        self.assertEqual(rows["Gamma"], ("B", "A"))
        self.assertEqual(self.partners["Beta"].with_company(self.company_p).portfolio_bcg_quadrant, "star")

    def test_the_matrix_marks_the_customers_that_changed_quadrant(self):
        first = self._run()
        # Beta doubles its business: cash cow -> star; nobody else moves
        self._orders("Beta", [(self.days_ago(2), 6000.0)])
        second = self._run()
        data = second.get_matrix_data()
        moves = {
            point["name"]: (point["previous_quadrant"], point["previous_quadrant_label"]) for point in data["points"]
        }
        self.assertEqual(moves["Beta"], ("cash_cow", "Cash cow"))
        self.assertEqual(moves["Alpha"], (False, ""), "a star in both runs")
        self.assertEqual(data["movers"], 1)
        self.assertEqual(
            [(q["quadrant"], q["count"], q["moved_in"], q["moved_out"]) for q in data["quadrants"]],
            [("star", 2, 1, 0), ("cash_cow", 0, 0, 1), ("question_mark", 3, 0, 0), ("dog", 1, 0, 0)],
        )
        movers = second.get_matrix_data(movers_only=True)
        self.assertEqual([point["name"] for point in movers["points"]], ["Beta"])
        self.assertEqual(
            [(q["quadrant"], q["count"], q["moved_in"], q["moved_out"]) for q in movers["quadrants"]],
            [("star", 1, 1, 0), ("cash_cow", 0, 0, 1), ("question_mark", 0, 0, 0), ("dog", 0, 0, 0)],
        )
        self.assertEqual(sum(cell["count"] for row in movers["matrix"] for cell in row["cells"]), 1, "Beta alone")
        # the run before shows no mover: it follows no run
        first_data = first.get_matrix_data()
        self.assertEqual((first_data["movers"], first_data["quadrants"][1]["count"]), (0, 1))

    def test_the_upgrade_gives_earlier_runs_the_abc_class_of_the_run_each_followed(self):
        """Migration 18.0.1.5.0: the lines of runs made before it get the ABC class of the run their
        run followed, found by the previous quadrants they stored; a run whose run before is gone
        gets none, and no line is left with an unknown move."""
        path = Path(__file__).parent.parent / "migrations" / "18.0.1.5.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("crm_relationship_migration_18_0_1_5_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        first = self._run()
        # a run on invoices made between the two, on which company P has no revenue: the release's
        # rule (any revenue source) names it before the first, and it explains no previous quadrant
        self._run(revenue_source="invoices")
        self._orders("Beta", [(self.days_ago(2), 6000.0)])
        second = self._run()
        self._orders("Delta", [(self.days_ago(2), 20000.0)])
        third = self._run()
        fourth = self._run()
        # the first since reset to draft (its lines kept), the run the fourth followed deleted
        first.action_reset_to_draft()
        third.unlink()
        self.env.flush_all()
        # the lines as the earlier version left them
        self.env.cr.execute(
            "UPDATE crm_portfolio_line SET previous_abc_class = NULL, abc_class_changed = NULL WHERE analysis_id IN %s",
            [(second.id, fourth.id)],
        )
        migration.migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()
        self.assertEqual(
            {
                name: (line.previous_abc_class, line.abc_class, line.abc_class_changed)
                for name in ("Alpha", "Gamma", "Delta")
                for line in [self._line(second, name)]
            },
            {"Alpha": ("A", "A", False), "Gamma": ("A", "B", True), "Delta": ("B", "B", False)},
        )
        # the second does not explain the fourth's previous quadrants (Delta a star in the third)
        self.assertEqual(self._line(fourth, "Delta").previous_bcg_quadrant, "star")
        self.assertEqual(
            {(line.previous_abc_class, line.abc_class_changed) for line in fourth.line_ids}, {(False, False)}
        )
        self.env.cr.execute(
            "SELECT COUNT(*) FROM crm_portfolio_line WHERE analysis_id IN %s AND abc_class_changed IS NULL",
            [(second.id, fourth.id)],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_a_run_follows_the_last_run_on_its_own_revenue_source(self):
        first = self._run()
        # company P has no invoice: on invoices every customer is out of the matrix
        on_invoices = self._run(revenue_source="invoices")
        self.assertFalse(on_invoices.line_ids.filtered("previous_bcg_quadrant"), "no earlier run on invoices")
        Event = self.env["crm.relationship.event"]
        events = Event.search_count([("company_id", "=", self.company_p.id)])
        second = self._run()
        alpha = self._line(second, "Alpha")
        self.assertEqual(
            (alpha.previous_bcg_quadrant, alpha.bcg_quadrant, alpha.quadrant_changed), ("star", "star", False)
        )
        self.assertEqual(self._line(first, "Alpha").bcg_quadrant, "star")
        self.assertEqual(Event.search_count([("company_id", "=", self.company_p.id)]), events, "nobody moved")

    def test_thresholds_are_copied_from_the_settings_at_creation(self):
        self.env["ir.config_parameter"].set_param("crm_relationship.portfolio_growth_threshold", "30")
        analysis = self._run()
        self.assertEqual(analysis.growth_threshold, 30.0)
        self.assertEqual(self._line(analysis, "Alpha").bcg_quadrant, "cash_cow", "25 % is no longer high growth")
        self.env["ir.config_parameter"].set_param("crm_relationship.portfolio_growth_threshold", "10")
        self.assertEqual(analysis.growth_threshold, 30.0, "an old run keeps its thresholds")

    def test_foreign_currency_orders_are_converted_at_their_rate(self):
        foreign = self.env["res.currency"].create({"name": "PFC", "symbol": "P$", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"name": self.days_ago(100), "rate": 4.0, "currency_id": foreign.id, "company_id": self.company_p.id}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "PFC", "currency_id": foreign.id, "company_id": self.company_p.id}
        )
        self._orders("Kappa", [(self.days_ago(50), 4000.0)], pricelist=pricelist)
        analysis = self._run()
        self.assertEqual(self._line(analysis, "Kappa").revenue, 1000.0)

    def _invoice_epsilons_last_order_and_refund_half(self):
        """Epsilon's last order invoiced 20 days ago, half of it refunded 10 days ago: (invoice, credit note)."""
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.partners["Epsilon"].id)], order="date_order desc", limit=1
        )
        self.env["account.chart.template"].try_loading("generic_coa", company=self.company_p, install_demo=False)
        invoice = order.with_company(self.company_p)._create_invoices()
        invoice.invoice_date = self.days_ago(20)
        invoice.action_post()
        refund = invoice._reverse_moves()
        refund.invoice_line_ids.quantity = 0.5
        refund.invoice_date = self.days_ago(10)
        refund.action_post()
        return invoice, refund

    def test_invoice_source_nets_credit_notes(self):
        self._invoice_epsilons_last_order_and_refund_half()
        analysis = self._run(revenue_source="invoices")
        epsilon = self._line(analysis, "Epsilon")
        self.assertEqual(epsilon.revenue, 330.0)
        self.assertEqual(epsilon.margin, 132.0, "40 % margin on what stays invoiced")
        self.assertEqual(epsilon.frequency, 1, "a credit note is not an order")

    def test_a_credit_note_has_one_margin_under_either_source(self):
        """With orders as with invoices, a credit note reduces the margin by the margin kept on it
        when it was made, not by its order line's cost of today."""
        _invoice, refund = self._invoice_epsilons_last_order_and_refund_half()
        order_line = refund.invoice_line_ids.sale_line_ids
        before = self._line(self._run(), "Epsilon").margin
        # the order line's cost rises from 396 to 500 after the credit note: the order's margin
        # follows (264 to 160), the credit note keeps its -132 (half the desk at 396)
        order_line.purchase_price = 500.0
        self.assertEqual(order_line.order_id.margin, 160.0)
        self.assertEqual(self._line(self._run(), "Epsilon").margin, before - 104.0)
        Source = self.env["crm.revenue.source"]
        self.env.flush_all()
        for source in ("orders", "invoices"):
            documents = Source._revenue_documents(self.company_p, source, Source._period_until(self.days_ago(-1)))
            self.env.cr.execute(
                SQL(
                    "SELECT amount, margin FROM (%s) d WHERE d.document_id = %s AND NOT d.is_sale",
                    documents,
                    refund.id,
                )
            )
            self.assertEqual(self.env.cr.fetchall(), [(-330.0, -132.0)], source)

    def test_invoice_margins_are_the_costs_kept_on_the_invoices(self):
        """An invoice without an order costs its product's cost; invoices posted before OCA's
        invoice margin module was installed get the costs of the order lines they invoice."""
        invoice, refund = self._invoice_epsilons_last_order_and_refund_half()
        # Iota is invoiced a desk without an order: 1,000, the desk costs company P 600
        self.product.with_company(self.company_p).standard_price = 600.0
        manual = (
            self.env["account.move"]
            .with_company(self.company_p)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partners["Iota"].id,
                    "invoice_date": self.days_ago(5),
                    "invoice_line_ids": [
                        Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 1000.0})
                    ],
                }
            )
        )
        manual.action_post()
        analysis = self._run(revenue_source="invoices")
        self.assertEqual((self._line(analysis, "Iota").revenue, self._line(analysis, "Iota").margin), (1000.0, 400.0))
        self.assertEqual(self._line(analysis, "Epsilon").margin, 132.0)

        # as OCA's hook leaves the lines of invoices posted before it: no cost, the whole subtotal as margin
        self.env.flush_all()
        moves = invoice | refund
        self.env.cr.execute(
            """
            UPDATE account_move_line SET purchase_price = NULL, margin = price_subtotal, margin_signed = price_subtotal
            WHERE move_id = ANY(%(moves)s) AND display_type = 'product';
            UPDATE account_move SET margin = amount_untaxed, margin_signed = amount_untaxed WHERE id = ANY(%(moves)s);
            """,
            {"moves": moves.ids},
        )
        self.env.invalidate_all()
        self.assertEqual(self._line(self._run(revenue_source="invoices"), "Epsilon").margin, 990.0, "no cost at all")
        cost_invoice_lines(self.env.cr)
        self.env.invalidate_all()
        self.assertEqual(invoice.invoice_line_ids.purchase_price, 396.0, "the order line's cost")
        self.assertEqual((invoice.margin_signed, refund.margin_signed), (264.0, -132.0))
        self.assertEqual(self._line(self._run(revenue_source="invoices"), "Epsilon").margin, 132.0)
        self.assertEqual(manual.invoice_line_ids.purchase_price, 600.0, "a line with a cost is left alone")
        self.assertEqual(manual.margin_signed, 400.0)

    def test_xlsx_export_holds_one_sheet_per_method(self):
        analysis = self._run()
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_relationship.action_report_portfolio_xlsx", analysis.ids, None
        )
        self.assertEqual(kind, "xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["BCG", "ABC", "XYZ", "RFM", "Customer Mix"])
        bcg = workbook["BCG"]
        self.assertEqual([c.value for c in bcg[1]][:4], ["Customer", "Salesperson", "Revenue", "Previous Revenue"])
        self.assertEqual(bcg.freeze_panes, "A2")
        self.assertTrue(bcg.auto_filter.ref)
        self.assertEqual((bcg["A2"].value, bcg["C2"].value, bcg["H2"].value), ("Alpha", 12000, "Star"))
        protect = self.env["crm.relationship.strategy"].search([("code", "=", "protect")])
        protect.name = "Protect and grow"
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_relationship.action_report_portfolio_xlsx", analysis.ids, None
        )
        bcg = openpyxl.load_workbook(io.BytesIO(content))["BCG"]
        self.assertEqual((bcg["M1"].value, bcg["M2"].value), ("Suggested Strategy", "Protect and grow"))
        abc = workbook["ABC"]
        self.assertEqual([row[4].value for row in abc.iter_rows(min_row=2, max_row=7)], ["A", "A", "A", "B", "C", "C"])
        self.assertEqual(abc["A8"].value, "Total (6 customers)")

    def test_matrix_data_respects_filters_and_companies(self):
        analysis = self._run()
        data = analysis.get_matrix_data()
        self.assertEqual(len(data["points"]), 6)
        self.assertEqual(data["share_threshold"], 0.5)
        cell_ax = data["matrix"][0]["cells"][0]
        self.assertEqual((cell_ax["xyz"], cell_ax["count"], cell_ax["revenue"]), ("X", 2, 18000.0))
        self.assertEqual(analysis.get_matrix_data(user_ids=[self.other_salesman.id])["points"], [])
        outsider = self.env["res.users"].create(
            {
                "name": "Other company manager",
                "login": "portfolio_outsider",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])],
            }
        )
        with self.assertRaises(AccessError):
            analysis.with_user(outsider).get_matrix_data()

    def test_runs_lines_and_xlsx_stay_within_their_company(self):
        # Alpha also buys from the main company: that order belongs to the main company's run only
        self.place_order(self.partners["Alpha"], 50000.0, days_ago=20)
        analysis = self._run()
        self.assertEqual(self._line(analysis, "Alpha").revenue, 12000.0)
        main_run = self.env["crm.portfolio.analysis"].create({"company_id": self.company.id, "date": self.today})
        main_run.action_compute()
        self.assertEqual(
            main_run.line_ids.filtered(lambda line: line.partner_id == self.partners["Alpha"]).revenue, 50000.0
        )
        self.assertNotIn(self.partners["Eta"], main_run.line_ids.partner_id, "company P's potential customer")

        outsider = new_test_user(
            self.env,
            login="portfolio_xlsx_outsider",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        Line = self.env["crm.portfolio.line"].with_user(outsider)
        self.assertFalse(Line.search([("analysis_id", "=", analysis.id)]), "company P's lines are hidden")
        self.assertFalse(Line.search([("id", "in", analysis.line_ids.ids)]))
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(outsider)._render_xlsx(
                "crm_relationship.action_report_portfolio_xlsx", analysis.ids, None
            )
        with self.assertRaises(AccessError):
            analysis.with_user(outsider).action_compute()
        # the outsider's own company's run opens and exports
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(outsider)
            ._render_xlsx("crm_relationship.action_report_portfolio_xlsx", main_run.ids, None)
        )
        customers = [row[0].value for row in openpyxl.load_workbook(io.BytesIO(content))["XYZ"].iter_rows(min_row=2)]
        self.assertIn("Alpha", customers)
        self.assertNotIn("Eta", customers)

    def test_bad_thresholds_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "ABC thresholds"):
            self.env["crm.portfolio.analysis"].create({"company_id": self.company_p.id, "abc_a_threshold": 96})

    def test_an_analysis_period_over_120_months_gets_a_message(self):
        Analysis = self.env["crm.portfolio.analysis"]
        count = Analysis.search_count([])
        message = "Period \\(months\\) must be between 1 and 120"
        for months in (121, 2000):
            # each refusal as a request of its own: its transaction is rolled back
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                self.env["crm.portfolio.run"].create({"company_id": self.company_p.id, "period_months": months})
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                Analysis.create({"company_id": self.company_p.id, "period_months": months})
            with self.assertRaisesRegex(ValidationError, "Portfolio " + message), self.env.cr.savepoint():
                self.env["res.config.settings"].create({"crm_portfolio_period_months": months})
        self.assertEqual(Analysis.search_count([]), count, "nothing half-written")
        action = (
            self.env["crm.portfolio.run"].create({"company_id": self.company_p.id, "period_months": 120}).action_run()
        )
        self.assertEqual(self._line(Analysis.browse(action["res_id"]), "Alpha").revenue, 21600.0, "both years")

    def test_two_runs_of_the_same_date_export_into_one_workbook(self):
        """Sheets are named after the run's date; report_xlsx suffixes a name already taken."""
        first, second = self._run(), self._run()
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_relationship.action_report_portfolio_xlsx", (first | second).ids, None
        )
        self.assertEqual(
            openpyxl.load_workbook(io.BytesIO(content)).sheetnames[::5],
            [f"{self.today} BCG", f"{self.today} BCG~01"],
        )

    def test_matrix_of_a_large_run_draws_the_largest_customers_and_counts_every_one(self):
        analysis = self._run()
        # 2,100 small dogs more than the six hand-computed customers: past 2,000 bubbles
        self.env.cr.execute(
            """
            WITH partners AS (
                INSERT INTO res_partner (name, is_company, active, type, autopost_bills)
                SELECT 'Matrix dog ' || g, TRUE, TRUE, 'contact', 'ask' FROM generate_series(1, 2100) g
                RETURNING id
            )
            INSERT INTO crm_portfolio_line (analysis_id, analysis_date, partner_id, revenue, revenue_previous,
                                            relative_value, growth, in_matrix, bcg_quadrant)
            SELECT %s, %s, id, 1 + id %% 400, 400, 0.01, -50, TRUE, 'dog' FROM partners
            """,
            [analysis.id, analysis.date],
        )
        data = analysis.get_matrix_data()
        revenues = [point["revenue"] for point in data["points"]]
        self.assertEqual((len(revenues), data["total_points"]), (2000, 2106))
        self.assertEqual(revenues, sorted(revenues, reverse=True), "the largest customers are the ones drawn")
        self.assertEqual(revenues[:3], [12000.0, 6000.0, 3000.0])
        self.assertEqual(
            [(quadrant["quadrant"], quadrant["count"]) for quadrant in data["quadrants"]],
            [("star", 1), ("cash_cow", 1), ("question_mark", 3), ("dog", 2101)],
        )
