from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..tools.business_case import Assumptions, Baseline, project
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestBusinessCase(RelationshipCase):
    """The projection alone, on the literature's assumptions."""

    def test_1000_transactions_grow_to_1050_then_1102_5_then_1157_6(self):
        years = project(Baseline(revenue=100000.0, transactions=1000, margin=30000.0, cost=10000.0))
        self.assertEqual([round(year.transactions, 1) for year in years], [1000.0, 1050.0, 1102.5, 1157.6])
        # each transaction at the baseline's average of 100
        self.assertEqual([round(year.revenue, 2) for year in years], [100000.0, 105000.0, 110250.0, 115762.5])

    def test_margin_rate_gains_a_point_a_year_and_cost_falls_to_ten_percent_less_by_year_three(self):
        years = project(Baseline(revenue=100000.0, transactions=1000, margin=30000.0, cost=9000.0))
        self.assertEqual([round(year.margin_rate, 4) for year in years], [0.30, 0.31, 0.32, 0.33])
        self.assertEqual([round(year.margin, 2) for year in years], [30000.0, 32550.0, 35280.0, 38201.63])
        self.assertEqual([round(year.cost, 2) for year in years], [9000.0, 8700.0, 8400.0, 8100.0])
        self.assertEqual(round(years[3].contribution, 2), 30101.63)

    def test_no_transactions_projects_nothing_but_the_cost(self):
        years = project(Baseline(0.0, 0, 0.0, 1000.0), Assumptions(years=2, cost_reduction=0.2))
        self.assertEqual(
            [(year.revenue, year.margin, year.cost) for year in years], [(0, 0, 1000), (0, 0, 900), (0, 0, 800)]
        )


@tagged("post_install", "-at_install")
class TestReadinessAssessment(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: the demo company's orders stay out of the baseline
        cls.assessed = cls.env["res.company"].create({"name": "Assessed Interiors"})
        cls.manager = new_test_user(
            cls.env,
            login="readiness_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.assessed.id,
            company_ids=[Command.set([cls.assessed.id])],
        )
        cls.buyer = cls.env["res.partner"].create({"name": "Fjord Hotels", "is_company": True})
        cls.Assessment = cls.env["crm.readiness.assessment"].with_user(cls.manager).with_company(cls.assessed)

    def order(self, price, cost, days_ago):
        order = (
            self.env["sale.order"]
            .with_company(self.assessed)
            .create(
                {
                    "partner_id": self.buyer.id,
                    "company_id": self.assessed.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": price,
                                "purchase_price": cost,
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = fields.Datetime.to_datetime(self.days_ago(days_ago)) + timedelta(hours=10)
        return order

    def score_all(self, assessment, score="3"):
        assessment.answer_ids.write({"score": score})

    def test_a_new_assessment_asks_the_twelve_shipped_questions_four_per_dimension(self):
        assessment = self.Assessment.create({"name": "Before the project"})
        self.assertEqual(len(assessment.answer_ids), 12)
        self.assertEqual(sorted(set(assessment.answer_ids.mapped("dimension"))), ["people", "process", "technology"])
        self.assertEqual(len(assessment.answer_ids.filtered(lambda a: a.dimension == "people")), 4)
        self.assertEqual(assessment.unscored_count, 12)
        self.assertEqual(assessment.score_overall, 0.0)

    def test_scores_are_weighted_means_and_the_weakest_answers_come_first(self):
        assessment = self.Assessment.create({"name": "Scored"})
        people = assessment.answer_ids.filtered(lambda a: a.dimension == "people")
        # the sponsor question weighs 2: (2 x 5 + 1 + 2 + 4) / 5 = 3.4
        sponsor = people.filtered(lambda a: a.weight == 2)
        sponsor.score = "5"
        others = people - sponsor
        for answer, score in zip(others, ("1", "2", "4"), strict=True):
            answer.score = score
        (assessment.answer_ids - people).write({"score": "3"})
        self.assertAlmostEqual(assessment.score_people, 3.4)
        self.assertAlmostEqual(assessment.score_process, 3.0)
        # 12 answers, weights 15: (17 + 15 + 15) / 15
        self.assertEqual(assessment.score_overall, 3.13)  # 47 / 15, shown with two decimals
        self.assertEqual(assessment.weakest_answer_ids.mapped("score"), ["1", "2"])
        self.assertEqual(assessment.weakest_answer_ids[0], others[0])

    def test_the_baseline_is_the_last_twelve_months_of_orders_and_sales_and_marketing_costs(self):
        self.order(1000.0, 600.0, days_ago=10)
        self.order(2000.0, 1500.0, days_ago=100)
        self.order(5000.0, 1000.0, days_ago=400)  # before the baseline
        for cost_type, amount, days_ago in (
            ("account_management", 300.0, 5),
            ("co_marketing", 200.0, 50),
            ("inventory_carrying", 999.0, 5),  # not a sales and marketing cost
            ("account_management", 700.0, 400),  # before the baseline
        ):
            self.book_cost(self.buyer, amount, cost_type=cost_type, days_ago=days_ago, company=self.assessed)
        assessment = self.Assessment.create({"name": "Baseline", "revenue_source": "orders"})
        assessment.action_read_baseline()
        self.assertEqual(
            (
                assessment.baseline_revenue,
                assessment.baseline_transactions,
                assessment.baseline_margin,
                assessment.baseline_cost,
            ),
            (3000.0, 2, 900.0, 500.0),
        )
        self.assertEqual(assessment.baseline_date_to, self.today - timedelta(days=1))
        rows = assessment.projection_ids
        self.assertEqual(rows.mapped("year"), [0, 1, 2, 3])
        self.assertEqual([round(row.transactions, 2) for row in rows], [2.0, 2.1, 2.2, 2.3])
        self.assertEqual([round(row.revenue, 2) for row in rows], [3000.0, 3150.0, 3307.5, 3472.88])
        self.assertEqual([round(row.margin_rate, 2) for row in rows], [30.0, 31.0, 32.0, 33.0])
        self.assertEqual(round(rows[3].cost, 2), 450.0)
        self.assertEqual(round(rows[0].contribution, 2), 400.0)
        # 3472.875 x 33 % - 450 = 696.05, 296.05 above the baseline's 400
        self.assertEqual(round(rows[3].contribution_gain, 2), 296.05)

    def test_changing_an_assumption_projects_again(self):
        self.order(1000.0, 600.0, days_ago=10)
        assessment = self.Assessment.create({"name": "Assumptions"})
        assessment.action_read_baseline()
        assessment.transaction_growth = 10.0
        self.assertEqual(round(assessment.projection_ids.filtered(lambda r: r.year == 1).revenue, 2), 1100.0)

    def test_an_assumption_out_of_range_is_refused_with_the_field_named(self):
        assessment = self.Assessment.create({"name": "Out of range"})
        with self.assertRaisesRegex(
            ValidationError, r"Cost Reduction by Year 3 \(%\): enter a value from 0.0 to 100.0"
        ):
            assessment.cost_reduction = 120.0

    def test_the_baseline_and_the_state_cannot_be_forged_by_rpc(self):
        assessment = self.Assessment.create({"name": "Forged"})
        for vals in ({"baseline_revenue": 1e9}, {"baseline_transactions": 99999}, {"state": "done"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "written by its process"):
                assessment.write(vals)
        with self.assertRaisesRegex(UserError, "written by its process"):
            self.Assessment.create({"name": "Forged at birth", "baseline_cost": 1.0})
        self.assertEqual((assessment.baseline_revenue, assessment.state), (0.0, "draft"))

    def test_a_done_assessment_needs_every_answer_and_is_then_kept_as_it_was(self):
        assessment = self.Assessment.create({"name": "Closing"})
        with self.assertRaisesRegex(UserError, "12 unscored"):
            assessment.action_done()
        self.score_all(assessment)
        assessment.action_done()
        with self.assertRaisesRegex(UserError, "is done: use Back to Draft"):
            assessment.answer_ids[0].score = "5"
        with self.assertRaisesRegex(UserError, "is done: use Back to Draft"):
            assessment.swot_threats = "Changed afterwards"
        self.assertEqual(assessment.answer_ids[0].score, "3")
        assessment.action_draft()
        assessment.answer_ids[0].score = "5"
        self.assertEqual(assessment.state, "draft")

    def test_salespeople_and_other_companies_cannot_read_an_assessment(self):
        assessment = self.Assessment.create({"name": "Confidential"})
        with self.assertRaises(AccessError):
            assessment.with_user(self.salesman).read(["name"])
        # the demo company's sales manager works for another company
        self.assertFalse(
            self.env["crm.readiness.assessment"].with_user(self.sales_manager).search([("id", "=", assessment.id)])
        )
        with self.assertRaises(AccessError):
            assessment.with_user(self.sales_manager).read(["name"])

    def test_the_printed_assessment_shows_scores_swot_and_the_projection_with_the_risk_note(self):
        self.order(1000.0, 600.0, days_ago=10)
        assessment = self.Assessment.create({"name": "For the board", "swot_threats": "A cheaper rival"})
        self.score_all(assessment, "4")
        assessment.action_read_baseline()
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "crm_relationship.report_crm_readiness_assessment", assessment.ids
            )[0]
        )
        for text in ("For the board", "A cheaper rival", "4.00", "1,050.00", "three in four CRM implementations fail"):
            self.assertIn(text, html)
