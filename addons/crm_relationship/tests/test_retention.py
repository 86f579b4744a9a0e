from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestRetention(RelationshipCase):
    """Customers active last year, still active this year, won and lost; turnover against its target."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = cls.today.year
        cls.team = cls.env["crm.team"].create(
            {"name": "Retention Desk", "user_id": cls.sales_manager.id, "member_ids": [(6, 0, cls.salesman.ids)]}
        )
        Partner = cls.env["res.partner"]
        cls.kept = Partner.create(
            [{"name": f"Kept {n}", "is_company": True, "user_id": cls.salesman.id} for n in range(40)]
        )
        cls.gone = Partner.create(
            [{"name": f"Gone {n}", "is_company": True, "user_id": cls.salesman.id} for n in range(10)]
        )
        cls.new = Partner.create(
            [{"name": f"New {n}", "is_company": True, "user_id": cls.salesman.id} for n in range(12)]
        )
        cls._orders(cls.kept | cls.gone, datetime(cls.year - 1, 6, 15, 10), 1000.0)
        cls._orders(cls.kept | cls.new, datetime(cls.year, 1, 1, 0, 0, 1), 500.0)
        # cost to serve of this year: 600 on each new customer, 100 on each kept one
        Cost = cls.env["crm.customer.cost"]
        Cost.create(
            [
                {
                    "name": "Acquisition",
                    "partner_id": p.id,
                    "cost_type": "account_management",
                    "amount": amount,
                    "date": date(cls.year, 1, 1),
                    "company_id": cls.company.id,
                }
                for partners, amount in ((cls.new, 600.0), (cls.kept, 100.0))
                for p in partners
            ]
        )
        cls.Report = cls.env["crm.retention.report"]

    @classmethod
    def _orders(cls, partners, when, price):
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": cls.salesman.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": price})
                    ],
                }
                for partner in partners
            ]
        )
        orders.action_confirm()
        orders.date_order = when

    def _this_year(self, extra_domain=()):
        domain = [("date", "=", date(self.year, 1, 1)), ("team_id", "=", self.team.id), *extra_domain]
        fields = [
            "customers_previous:sum",
            "customers_retained:sum",
            "customers_won:sum",
            "customers_lost:sum",
            "retention:avg",
            "turnover:avg",
            "revenue_retained:sum",
            "acquisition_cost:avg",
            "retention_cost:avg",
            "cost_ratio:avg",
            "cost_ratio_reference:max",
        ]
        return dict(zip(fields, self.Report._read_group(domain, [], fields)[0], strict=True))

    def test_fifty_customers_forty_kept_twelve_new_make_80_retention_and_20_turnover(self):
        figures = self._this_year()
        self.assertEqual(figures["customers_previous:sum"], 50)
        self.assertEqual(figures["customers_retained:sum"], 40)
        self.assertEqual(figures["customers_won:sum"], 12)
        self.assertEqual(figures["customers_lost:sum"], 10)
        self.assertAlmostEqual(figures["retention:avg"], 80.0)
        self.assertAlmostEqual(figures["turnover:avg"], 20.0)
        self.assertAlmostEqual(figures["revenue_retained:sum"], 40 * 500.0)

    def test_a_customer_won_costs_six_times_a_customer_kept(self):
        figures = self._this_year()
        self.assertAlmostEqual(figures["acquisition_cost:avg"], 600.0)
        self.assertAlmostEqual(figures["retention_cost:avg"], 100.0)
        self.assertAlmostEqual(figures["cost_ratio:avg"], 6.0)
        self.assertAlmostEqual(figures["cost_ratio_reference:max"], 6.0)

    def test_the_turnover_target_shows_the_variance(self):
        Target = self.env["crm.turnover.target"]
        Target.search([("year", "=", self.year)]).unlink()  # the demo's target of the year
        company_target = Target.create({"year": self.year, "target_turnover": 25.0})
        team_target = Target.create({"year": self.year, "team_id": self.team.id, "target_turnover": 15.0})
        self.assertEqual((team_target.customers_previous, team_target.customers_lost), (50, 10))
        self.assertEqual(team_target.actual_turnover, 20.0)
        self.assertEqual(team_target.actual_retention, 80.0)
        self.assertEqual(team_target.turnover_variance, -5.0)
        # the team's target replaces the company's for the team's customers, in the report too
        figures = self.Report._read_group(
            [("date", "=", date(self.year, 1, 1)), ("team_id", "=", self.team.id)],
            [],
            ["target_turnover:avg", "turnover_variance:avg"],
        )[0]
        self.assertAlmostEqual(figures[0], 15.0)
        self.assertAlmostEqual(figures[1], -5.0)
        self.assertGreaterEqual(company_target.customers_previous, 50)

    def test_the_segment_is_the_last_runs_quadrant_and_class(self):
        analysis = self.env["crm.portfolio.analysis"].create({"date": self.today})
        analysis.action_compute()
        line = analysis.line_ids.filtered(lambda line: line.partner_id == self.kept[0])
        row = self.Report.search([("partner_id", "=", self.kept[0].id), ("date", "=", date(self.year, 1, 1))])
        self.assertEqual((row.bcg_quadrant, row.abc_class), (line.bcg_quadrant, line.abc_class))
        self.assertTrue(row.abc_class)

    def test_a_salesperson_reads_retention_but_cannot_set_targets(self):
        self.assertEqual(
            self.Report.with_user(self.salesman).search_count(
                [("partner_id", "in", self.gone.ids), ("customers_lost", "=", 1)]
            ),
            10,
        )
        with self.assertRaises(AccessError):
            self.env["crm.turnover.target"].with_user(self.salesman).create({"year": self.year, "target_turnover": 1.0})
        self.assertFalse(self.env["crm.turnover.target"].search([("target_turnover", "=", 1.0)]))

    def test_a_manager_of_another_company_sees_no_retention_row_and_no_target(self):
        target = self.env["crm.turnover.target"].create(
            {"year": self.year, "team_id": self.team.id, "target_turnover": 15.0}
        )
        kept_this_year = [("partner_id", "in", self.kept.ids), ("date", "=", date(self.year, 1, 1))]
        # a manager of the company reads the 40 rows and the target: the rows exist and the group reads them
        rows = self.Report.with_user(self.sales_manager).search(kept_this_year)
        self.assertEqual(len(rows), 40)
        self.assertEqual(target.with_user(self.sales_manager).read(["target_turnover"])[0]["target_turnover"], 15.0)
        outsider = self.other_company_manager("retention_outsider", "Retention Company B")
        Report = self.Report.with_user(outsider)
        self.assertFalse(Report.search(kept_this_year))
        self.assertEqual(Report.search_count([("company_id", "=", self.company.id)]), 0)
        self.assertEqual(Report._read_group(kept_this_year, [], ["customers_retained:sum"]), [(0,)])
        with self.assertRaises(AccessError):
            rows[:1].with_user(outsider).read(["customers_retained"])
        Target = self.env["crm.turnover.target"].with_user(outsider)
        self.assertFalse(Target.search([]))
        with self.assertRaises(AccessError):
            target.with_user(outsider).read(["target_turnover"])
        with self.assertRaises(AccessError):
            target.with_user(outsider).write({"target_turnover": 99.0})
        with self.assertRaises(AccessError):
            target.with_user(outsider).unlink()
        with self.assertRaises(AccessError):
            Target.create({"company_id": self.company.id, "year": self.year + 1, "target_turnover": 99.0})
        target.invalidate_recordset()
        self.assertEqual((target.exists(), target.target_turnover), (target, 15.0))
        self.assertFalse(self.env["crm.turnover.target"].search([("target_turnover", "=", 99.0)]))
        self.assertEqual(self.Report.with_user(self.sales_manager).search(kept_this_year), rows)
