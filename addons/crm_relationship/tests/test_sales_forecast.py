import math
from datetime import date, datetime, time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, tagged
from odoo.tools import SQL

from ..tools.forecast import (
    absolute_percentage_error,
    mean_absolute_percentage_error,
    monthly_forecasts,
    weight_is_valid,
    weighted_forecast,
)
from .common import RelationshipCase


class TestForecastRule(BaseCase):
    """The Halstead rule alone: figures in, a forecast and an error out."""

    def test_last_three_months_30000_and_20000_a_year_ago_at_0_6_forecast_26000(self):
        self.assertEqual(round(weighted_forecast(30000.0, 20000.0, 0.6), 2), 26000.0)

    def test_the_weight_moves_the_forecast_between_last_year_and_the_last_months(self):
        self.assertEqual(weighted_forecast(30000.0, 20000.0, 1.0), 30000.0)
        self.assertEqual(weighted_forecast(30000.0, 20000.0, 0.0), 20000.0)

    def test_month_by_month_the_forecasts_add_up_to_the_three_months_formula(self):
        forecasts = monthly_forecasts(30000.0, [4500.0, 4500.0, 11000.0], 0.6)
        self.assertEqual([round(forecast, 2) for forecast in forecasts], [7800.0, 7800.0, 10400.0])
        self.assertEqual(round(sum(forecasts), 2), 26000.0)

    def test_forecast_26000_against_actual_24000_is_8_3_percent_off(self):
        self.assertEqual(round(absolute_percentage_error(26000.0, 24000.0), 1), 8.3)
        self.assertEqual(round(mean_absolute_percentage_error([(26000.0, 24000.0)]), 1), 8.3)

    def test_rows_without_an_actual_are_left_out_of_the_error(self):
        self.assertIsNone(absolute_percentage_error(500.0, 0.0))
        self.assertEqual(mean_absolute_percentage_error([(110.0, 100.0), (500.0, 0.0), (0.0, 50.0)]), 55.0)
        self.assertIsNone(mean_absolute_percentage_error([(500.0, 0.0)]))

    def test_a_weight_outside_0_to_1_is_refused(self):
        self.assertTrue(weight_is_valid(0) and weight_is_valid(1.0) and weight_is_valid(0.6))
        self.assertFalse(weight_is_valid(1.5) or weight_is_valid(-0.1) or weight_is_valid(math.nan))
        with self.assertRaises(ValueError):
            weighted_forecast(1.0, 1.0, 1.5)


@tagged("post_install", "-at_install")
class TestSalesForecast(RelationshipCase):
    """A company of its own; the run of 1 July 2024 forecasts July to September 2024 from
    April to June 2024 and July to September 2023.

    ===================  ===========  =====================  ========  ========  ======
    Halstead Retail      last 3 m.    same month last year   forecast  actual    error
    ===================  ===========  =====================  ========  ========  ======
    July 2024            30,000 / 3   4,500                  7,800     7,200     8.33 %
    August 2024          30,000 / 3   4,500                  7,800     7,200     8.33 %
    September 2024       30,000 / 3   11,000                 10,400    9,600     8.33 %
    three months         30,000       20,000                 26,000    24,000    8.3 %
    ===================  ===========  =====================  ========  ========  ======
    """

    RUN_DATE = date(2024, 7, 1)
    AFTER = date(2024, 10, 1)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_f = cls.env["res.company"].create({"name": "Forecast Test Co", "currency_id": cls.currency.id})
        for user in (cls.env.user, cls.salesman, cls.other_salesman, cls.sales_manager):
            user.company_ids |= cls.company_f
        Category = cls.env["product.category"]
        cls.flooring = Category.create({"name": "Flooring"})
        cls.underlay = Category.create({"name": "Underlay"})
        cls.carpet = cls.env["product.product"].create(
            {"name": "Carpet tile", "list_price": 100.0, "type": "consu", "categ_id": cls.flooring.id}
        )
        cls.foam = cls.env["product.product"].create(
            {"name": "Foam underlay", "list_price": 10.0, "type": "consu", "categ_id": cls.underlay.id}
        )
        cls.retail = cls.env["res.partner"].create({"name": "Halstead Retail", "is_company": True})
        cls.contractor = cls.env["res.partner"].create({"name": "Brook Contractors", "is_company": True})
        cls.site = cls.env["res.partner"].create({"name": "Brook site office", "parent_id": cls.contractor.id})

    def _order(self, partner, day, lines, user=None):
        """A confirmed order of ``lines`` ((product, amount), ...) dated ``day``."""
        order = (
            self.env["sale.order"]
            .with_company(self.company_f)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company_f.id,
                    "user_id": (user or self.salesman).id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 1, "price_unit": amount, "purchase_price": 0}
                        )
                        for product, amount in lines
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = datetime.combine(day, time(10))
        return order

    def _halstead_story(self):
        for month in (4, 5, 6):
            self._order(self.retail, date(2024, month, 10), [(self.carpet, 10000.0)])
        for month, amount in ((7, 4500.0), (8, 4500.0), (9, 11000.0)):
            self._order(self.retail, date(2023, month, 15), [(self.carpet, amount)])
        # too old and too late for the run: left out
        self._order(self.retail, date(2024, 3, 31), [(self.carpet, 99000.0)])
        self._order(self.retail, date(2023, 10, 1), [(self.carpet, 88000.0)])

    def _run(self, **values):
        forecast = (
            self.env["crm.sales.forecast"]
            .with_user(self.sales_manager)
            .with_company(self.company_f)
            .create(dict({"company_id": self.company_f.id, "date": self.RUN_DATE}, **values))
        )
        forecast.action_compute()
        return forecast

    def _rows(self, forecast, partner, categ=None, user=None):
        return forecast.line_ids.filtered(
            lambda line: (
                line.partner_id == partner
                and (categ is None or line.categ_id == categ)
                and (user is None or line.user_id == user)
            )
        ).sorted("date")

    def test_forecast_of_30000_lately_and_20000_a_year_ago_is_26000_and_8_3_percent_off_24000(self):
        self._halstead_story()
        forecast = self._run()
        self.assertEqual((forecast.date_from, forecast.date_to), (date(2024, 7, 1), date(2024, 9, 30)))
        self.assertEqual(forecast.weight, 0.6)
        rows = self._rows(forecast, self.retail)
        self.assertEqual(
            [(r.date, r.categ_id, r.user_id, r.recent_average, r.year_ago_amount, r.forecast_amount) for r in rows],
            [
                (date(2024, 7, 1), self.flooring, self.salesman, 10000.0, 4500.0, 7800.0),
                (date(2024, 8, 1), self.flooring, self.salesman, 10000.0, 4500.0, 7800.0),
                (date(2024, 9, 1), self.flooring, self.salesman, 10000.0, 11000.0, 10400.0),
            ],
        )
        self.assertEqual((forecast.state, forecast.line_count, forecast.forecast_total), ("done", 3, 26000.0))
        self.assertFalse(forecast.date_actuals)

        for month, amount in ((7, 7200.0), (8, 7200.0), (9, 9600.0)):
            self._order(self.retail, date(2024, month, 20), [(self.carpet, amount)])
        forecast._refresh_actuals(today=date(2024, 7, 31))  # before July has passed: nothing to compare
        self.assertFalse(forecast.date_actuals)
        forecast._refresh_actuals(today=self.AFTER)
        self.assertEqual(
            [(r.actual_amount, r.variance, round(r.error_percent, 2)) for r in rows],
            [(7200.0, -600.0, 8.33), (7200.0, -600.0, 8.33), (9600.0, -800.0, 8.33)],
        )
        self.assertEqual(
            (forecast.forecast_compared, forecast.actual_total, forecast.rows_with_actuals, forecast.forecast_error),
            (26000.0, 24000.0, 3, 8.3),
        )

    def test_only_the_months_passed_get_their_actuals(self):
        self._halstead_story()
        self._order(self.retail, date(2024, 7, 20), [(self.carpet, 7200.0)])
        self._order(self.retail, date(2024, 8, 20), [(self.carpet, 9999.0)])
        forecast = self._run()
        forecast._refresh_actuals(today=date(2024, 8, 31))
        rows = self._rows(forecast, self.retail)
        self.assertEqual(rows.mapped("has_actual"), [True, False, False])
        self.assertEqual(rows.mapped("actual_amount"), [7200.0, 0.0, 0.0])
        self.assertEqual((forecast.actual_total, forecast.forecast_error), (7200.0, 8.3))

    def test_rows_are_per_customer_product_category_and_salesperson(self):
        # a contact's order counts on its company; one order may hold two categories
        self._order(self.site, date(2024, 5, 3), [(self.carpet, 3000.0), (self.foam, 600.0)])
        self._order(self.contractor, date(2024, 6, 3), [(self.carpet, 1200.0)], user=self.other_salesman)
        forecast = self._run()
        self.assertEqual(forecast.line_count, 9)
        self.assertFalse(forecast.line_ids.filtered(lambda line: line.partner_id == self.site))
        july = {
            (line.categ_id.name, line.user_id.name): line.forecast_amount
            for line in self._rows(forecast, self.contractor)
            if line.date == date(2024, 7, 1)
        }
        # 0.6 x a third of the last three months, nothing a year ago
        self.assertEqual(
            july,
            {
                ("Flooring", "Sam Salesman"): 600.0,
                ("Underlay", "Sam Salesman"): 120.0,
                ("Flooring", "Olga Other"): 240.0,
            },
        )
        self.assertEqual(forecast.forecast_total, 2880.0)

    def test_orders_without_a_forecast_count_as_100_percent_off_and_empty_months_not_at_all(self):
        self._order(self.retail, date(2024, 6, 10), [(self.carpet, 2700.0)])  # 0.6 x 900: 540 a month
        self._order(self.retail, date(2024, 7, 10), [(self.carpet, 600.0)])  # July: 60 of 600, 10 % off
        self._order(self.contractor, date(2024, 8, 10), [(self.foam, 500.0)])  # no forecast: 100 % off
        forecast = self._run()
        self.assertEqual(forecast.line_count, 3)
        forecast._refresh_actuals(today=self.AFTER)
        surprise = self._rows(forecast, self.contractor)
        self.assertEqual(
            [(r.date, r.categ_id, r.forecast_amount, r.actual_amount, r.error_percent) for r in surprise],
            [(date(2024, 8, 1), self.underlay, 0.0, 500.0, 100.0)],
        )
        # August and September of Halstead Retail: nothing ordered, no percentage to take
        self.assertEqual(self._rows(forecast, self.retail).mapped("error_percent"), [10.0, 0.0, 0.0])
        self.assertEqual((forecast.line_count, forecast.rows_with_actuals, forecast.forecast_error), (4, 2, 55.0))
        self.assertEqual((forecast.forecast_compared, forecast.actual_total), (1620.0, 1100.0))
        forecast._refresh_actuals(today=self.AFTER)  # a second refresh changes nothing
        self.assertEqual((forecast.line_count, forecast.forecast_error), (4, 55.0))

    def test_the_forecast_reads_the_same_revenue_as_the_documents(self):
        self._halstead_story()
        self._order(self.site, date(2024, 5, 3), [(self.carpet, 3000.0), (self.foam, 600.0)])
        Source = self.env["crm.revenue.source"]
        period = Source._period(date(2023, 1, 1), months=24)
        self.env.flush_all()
        totals = []
        for rows in (
            Source._revenue_documents(self.company_f, "orders", period),
            Source._revenue_lines(self.company_f, "orders", period),
        ):
            self.env.cr.execute(
                SQL("SELECT partner_id, SUM(amount) FROM (%s) r GROUP BY partner_id ORDER BY partner_id", rows)
            )
            totals.append(self.env.cr.fetchall())
        self.assertEqual(totals[0], totals[1])
        self.assertEqual(dict(totals[1])[self.contractor.id], 3600.0)

    def test_split_by_product_line_every_source_keeps_each_customers_revenue_and_margin(self):
        """Over the whole database (the demo's orders, invoices and credit notes included)."""
        Source = self.env["crm.revenue.source"]
        period = Source._period_until(date(2100, 1, 1))
        self.env.flush_all()
        for source in ("orders", "invoices"):
            totals = []
            for rows in (
                Source._revenue_documents(None, source, period),
                Source._revenue_lines(None, source, period),
            ):
                self.env.cr.execute(
                    SQL(
                        """SELECT company_id, partner_id, is_sale, ROUND(SUM(amount), 2), ROUND(SUM(margin), 2)
                           FROM (%s) r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
                        rows,
                    )
                )
                totals.append(self.env.cr.fetchall())
            with self.subTest(source=source):
                self.assertTrue(totals[0])
                self.assertEqual(totals[0], totals[1])

    def test_the_weight_is_copied_from_the_settings_and_checked(self):
        self.env["ir.config_parameter"].set_param("crm_relationship.forecast_weight", "0.75")
        self._halstead_story()
        forecast = self._run()
        self.assertEqual(forecast.weight, 0.75)
        self.assertEqual(forecast.forecast_total, 27500.0)  # 0.75 x 30,000 + 0.25 x 20,000
        self.env["ir.config_parameter"].set_param("crm_relationship.forecast_weight", "0.5")
        self.assertEqual(forecast.weight, 0.75)
        with self.assertRaisesRegex(ValidationError, "Weight of the Last Three Months.*from 0 to 1"):
            self.env["crm.sales.forecast"].create({"company_id": self.company_f.id, "weight": 1.5})
        with self.assertRaisesRegex(ValidationError, "Forecast Weight.*from 0 to 1"):
            self.env["res.config.settings"].create({"crm_forecast_weight": -0.2})

    def test_a_salesperson_reads_the_forecast_but_cannot_run_or_change_it(self):
        self._halstead_story()
        forecast = self._run()
        as_salesman = forecast.with_user(self.salesman)
        self.assertEqual(as_salesman.line_ids.mapped("forecast_amount"), [7800.0, 7800.0, 10400.0])
        draft = self.env["crm.sales.forecast"].create({"company_id": self.company_f.id, "date": self.RUN_DATE})
        with self.assertRaises(AccessError):
            draft.with_user(self.salesman).action_compute()
        with self.assertRaises(AccessError):
            as_salesman.write({"forecast_total": 1.0})
        with self.assertRaises(AccessError):
            as_salesman.line_ids[:1].write({"forecast_amount": 1.0})
        self.assertEqual((draft.state, forecast.forecast_total), ("draft", 26000.0))

    def test_the_figures_of_a_run_are_written_by_the_run_only(self):
        self._halstead_story()
        forecast = self._run().with_user(self.sales_manager)
        for vals in ({"forecast_error": 5.0}, {"state": "draft"}, {"actual_total": 99.0}):
            with self.assertRaisesRegex(UserError, "written by its process"):
                forecast.write(vals)
        with self.assertRaisesRegex(UserError, "written by its process"):
            self.env["crm.sales.forecast"].with_user(self.sales_manager).create(
                {"company_id": self.company_f.id, "state": "done", "forecast_total": 5.0}
            )
        with self.assertRaises(AccessError):
            forecast.line_ids[:1].write({"actual_amount": 1.0})
        with self.assertRaisesRegex(UserError, "is done"):
            forecast._run()
        self.assertEqual((forecast.state, forecast.forecast_total, forecast.forecast_error), ("done", 26000.0, 0.0))

    def test_another_company_does_not_see_the_forecast(self):
        self._halstead_story()
        forecast = self._run()
        outsider = self.env["res.users"].create(
            {
                "name": "Outside Manager",
                "login": "forecast_outsider",
                "groups_id": [Command.link(self.env.ref("sales_team.group_sale_manager").id)],
            }
        )
        self.assertFalse(self.company_f in outsider.company_ids)
        with self.assertRaises(AccessError):
            forecast.with_user(outsider).read(["forecast_total"])
        self.assertFalse(
            self.env["crm.sales.forecast.line"].with_user(outsider).search([("forecast_id", "=", forecast.id)])
        )

    def test_the_monthly_job_refreshes_the_earlier_runs_then_forecasts_each_company(self):
        self._halstead_story()
        for month, amount in ((7, 7200.0), (8, 7200.0), (9, 9600.0)):
            self._order(self.retail, date(2024, month, 20), [(self.carpet, amount)])
        earlier = self._run()
        Forecast = self.env["crm.sales.forecast"]
        self.assertEqual(Forecast._runs_to_refresh(self.AFTER), earlier)
        self.assertFalse(Forecast._runs_to_refresh(date(2025, 1, 1)) & earlier)
        before = Forecast.search_count([])
        Forecast._cron_run_monthly(today=self.AFTER)
        self.assertEqual((earlier.actual_total, earlier.forecast_error), (24000.0, 8.3))
        self.assertEqual(Forecast.search_count([]), before + self.env["res.company"].search_count([]))
        self.assertTrue(Forecast.search([("company_id", "=", self.company_f.id), ("id", "!=", earlier.id)]))
