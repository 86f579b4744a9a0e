from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase

MEASURES = [
    "inquiries:sum",
    "inquiries_converted:sum",
    "inquiry_conversion:avg",
    "inquiries_unmet:sum",
    "demand_satisfaction:avg",
    "offers:sum",
    "offers_accepted:sum",
    "offer_acceptance:avg",
    "revenue:sum",
    "sales:sum",
    "new_customers:sum",
    "contacts:sum",
    "customers_previous:sum",
    "customers_retained:sum",
    "retention:avg",
]


@tagged("post_install", "-at_install")
class TestSalesMeasures(RelationshipCase):
    def measures(self, domain, groupby=("user_id",), user=None):
        """{group: {measure: value}} as the report's pivot reads them, shares rounded as shown."""
        Report = self.env["crm.sales.measure.report"]
        if user:
            Report = Report.with_user(user)
        names = [spec.split(":")[0] for spec in MEASURES]
        groups = {}
        for row in Report._read_group(domain, list(groupby), MEASURES):
            key = row[0] if len(groupby) == 1 else row[: len(groupby)]
            groups[key] = {
                name: round(value, 1) if isinstance(value, float) else value
                for name, value in zip(names, row[len(groupby) :], strict=True)
            }
        return groups

    def days_before_today(self, day):
        return (self.today - day).days

    def test_measures_per_salesperson_over_a_period(self):
        Lead = self.env["crm.lead"]
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        unmet = self.env["crm.lost.reason"].create({"name": "Out of stock", "unmet_demand": True})
        price = self.env["crm.lost.reason"].create({"name": "Price", "unmet_demand": False})
        leads = Lead.create([{"name": f"Inquiry {i}", "user_id": self.salesman.id} for i in range(5)])
        leads[0].stage_id = won_stage
        leads[1].action_set_lost(lost_reason_id=unmet.id)
        leads[2].action_set_lost(lost_reason_id=price.id)

        self.place_order(self.customer, 1000.0, cost=600.0, days_ago=10)  # accepted offer
        sent = self.place_order(self.customer, 500.0, confirm=False, days_ago=5)
        sent.action_quotation_sent()
        rejected = self.place_order(self.customer, 800.0, confirm=False, days_ago=5)
        rejected._action_cancel()
        self.place_order(self.customer, 300.0, days_ago=120)  # before the period: neither offer nor revenue

        self.env["crm.contact.log"].with_user(self.salesman).create(
            {"partner_id": self.customer.id, "channel": "phone", "summary": "Follow-up"}
        )
        line = self.measures([("date", ">=", self.days_ago(89))])[self.salesman]
        self.assertEqual((line["inquiries"], line["inquiries_converted"], line["inquiry_conversion"]), (5, 1, 20.0))
        self.assertEqual((line["inquiries_unmet"], line["demand_satisfaction"]), (1, 80.0))
        self.assertEqual((line["offers"], line["offers_accepted"], line["offer_acceptance"]), (3, 1, 33.3))
        self.assertEqual((line["revenue"], line["sales"], line["new_customers"]), (1000.0, 1, 0))
        self.assertEqual(line["contacts"], 1)
        margin = self.env["crm.sales.measure.report"]._read_group(
            [("date", ">=", self.days_ago(89)), ("user_id", "=", self.salesman.id)], [], ["margin:sum"]
        )
        self.assertEqual(margin, [(400.0,)])

    def test_retention_compares_each_calendar_year_with_the_year_before(self):
        """The previous period of a year is the calendar year before it; a customer counts once,
        for the salesperson of its last sale of that year, and is retained by a sale from anyone."""
        year = self.today.year - 1
        before = year - 1
        lapsed = self.env["res.partner"].create({"name": "Lapsed Ltd", "is_company": True})
        shared = self.env["res.partner"].create({"name": "Shared Ltd", "is_company": True})
        for partner, price, day, user in (
            (shared, 200.0, date(before, 2, 1), self.salesman),
            (self.customer, 300.0, date(before, 3, 15), self.salesman),
            (lapsed, 300.0, date(before, 5, 10), self.salesman),
            (shared, 400.0, date(before, 9, 1), self.other_salesman),  # its last sale of the year
            (self.customer, 500.0, date(year, 6, 15), self.other_salesman),  # retained by a colleague
        ):
            self.place_order(partner, price, days_ago=self.days_before_today(day), user=user)

        of_year = self.measures([("date", ">=", date(year, 1, 1)), ("date", "<=", date(year, 12, 31))])
        self.assertEqual(
            (of_year[self.salesman]["customers_previous"], of_year[self.salesman]["customers_retained"]), (2, 1)
        )
        self.assertEqual(of_year[self.salesman]["retention"], 50.0)
        self.assertEqual(
            [of_year[self.other_salesman][name] for name in ("customers_previous", "retention", "revenue")],
            [1, 0.0, 500.0],
        )
        both = self.measures(
            [
                ("date", ">=", date(year, 1, 1)),
                ("date", "<=", date(year, 12, 31)),
                ("user_id", "in", (self.salesman | self.other_salesman).ids),
            ],
            groupby=("date:year",),
        )
        self.assertEqual(both[date(year, 1, 1)]["retention"], 33.3, "1 of 3 customers, not the mean of 50 and 0")

        year_before = self.measures([("date", ">=", date(before, 1, 1)), ("date", "<=", date(before, 12, 31))])
        self.assertEqual(year_before[self.salesman]["new_customers"], 3)
        self.assertEqual(year_before[self.other_salesman]["new_customers"], 0, "Shared Ltd bought before")
        self.assertFalse(
            self.env["crm.sales.measure.report"].search_count(
                [("kind", "=", "customer"), ("date", ">", date(self.today.year, 1, 1))]
            ),
            "no year after the current one is measured",
        )

    def test_a_manager_reads_only_his_companies_and_cannot_change_the_report(self):
        company_b = self.env["res.company"].create({"name": "Measures Company B", "currency_id": self.currency.id})
        seller_b = new_test_user(
            self.env,
            login="measure_seller_b",
            groups="sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        customer_b = self.env["res.partner"].create({"name": "B Buyer", "is_company": True, "company_id": company_b.id})
        for price in (7000.0, 2000.0):  # company B is full of data: orders, leads, contacts
            order = (
                self.env["sale.order"]
                .with_company(company_b)
                .create(
                    {
                        "partner_id": customer_b.id,
                        "company_id": company_b.id,
                        "user_id": seller_b.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": price})],
                    }
                )
            )
            order.action_confirm()
        self.env["crm.lead"].create({"name": "B inquiry", "user_id": seller_b.id, "company_id": company_b.id})
        self.env["crm.contact.log"].create(
            {"partner_id": customer_b.id, "summary": "B call", "company_id": company_b.id, "user_id": seller_b.id}
        )
        self.place_order(self.customer, 1000.0, days_ago=10)
        manager_a = new_test_user(
            self.env,
            login="measure_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        period = [("date", ">=", self.days_ago(89))]
        self.assertEqual(self.measures(period)[seller_b]["revenue"], 9000.0, "company B's figures are there")

        # his own companies only, whatever the domain asks
        his = self.measures(period, user=manager_a)
        self.assertEqual(his[self.salesman]["revenue"], 1000.0)
        self.assertNotIn(seller_b, his)
        self.assertFalse(self.measures(period + [("company_id", "=", company_b.id)], user=manager_a))
        Report = self.env["crm.sales.measure.report"].with_user(manager_a)
        with self.assertRaises(AccessError):
            Report.with_context(allowed_company_ids=company_b.ids).search([])

        # a report: nobody writes it; a salesperson does not read it
        row = Report.search([("user_id", "=", self.salesman.id), ("kind", "=", "sale")], limit=1)
        self.assertEqual(row.revenue, 1000.0)
        for operation in ("write", "create", "unlink"):
            with self.assertRaises(AccessError):
                row.check_access(operation)
        with self.assertRaises(AccessError):
            self.env["crm.sales.measure.report"].with_user(self.salesman).search([])

    def test_a_pending_change_of_an_invoices_kept_margin_is_in_the_report_at_once(self):
        """On invoices, the report reads the margin kept on each invoice line: a cost corrected on a
        posted invoice shows in the next read, in the same transaction, without anyone writing the
        pending change to the database first (the report's ``_depends``)."""
        self.env["ir.config_parameter"].set_param("crm_relationship.portfolio_revenue_source", "invoices")
        order = self.place_order(self.customer, 1000.0, cost=600.0, days_ago=10)
        invoice = order._create_invoices()
        invoice.invoice_date = self.days_ago(5)
        invoice.action_post()
        domain = [("date", ">=", self.days_ago(30)), ("user_id", "=", self.salesman.id)]
        Report = self.env["crm.sales.measure.report"]
        self.assertEqual(Report._read_group(domain, [], ["revenue:sum", "margin:sum"]), [(1000.0, 400.0)])
        # the desk cost 700, not 600: the line's kept margin is recomputed in memory only
        invoice.invoice_line_ids.purchase_price = 700.0
        self.assertEqual(invoice.invoice_line_ids.margin_signed, 300.0)
        self.assertEqual(Report._read_group(domain, [], ["revenue:sum", "margin:sum"]), [(1000.0, 300.0)])
