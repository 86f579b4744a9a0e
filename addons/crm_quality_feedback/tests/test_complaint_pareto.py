import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

# complaints per cause category, largest first, and their cumulative shares (hand-computed)
CAUSES = [("Wrong size", 40), ("Late dispatch", 25), ("Rude answer", 15), ("Billing error", 10)]
CAUSES += [("Damaged box", 6), ("Missing manual", 4)]
APART = 3  # complaints whose cause is not found yet: no category, no product, no customer


@tagged("post_install", "-at_install")
class TestComplaintPareto(TransactionCase):
    """A fresh company with 100 complaints of known causes (and 3 not yet found): the Pareto rows
    of the company are exact whatever the demo data holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env["res.company"].create({"name": "Pareto Works"})
        cls.categories = env["crm.complaint.cause.category"].create(
            [{"name": f"Pareto {name}"} for name, _count in CAUSES]
        )
        # products 50/30/20: the third starts exactly at the 80 % cut
        cls.products = env["product.product"].create(
            [{"name": f"Pareto {name}", "company_id": cls.company.id} for name in ("Desk", "Chair", "Lamp")]
        )
        # customers 50/25/25: the tie is broken by name (Alpha before Bravo)
        cls.customers = env["res.partner"].create(
            [{"name": f"Pareto {name} Co", "is_company": True} for name in ("Zulu", "Bravo", "Alpha")]
        )
        vals = []
        for category, (_name, count) in zip(cls.categories, CAUSES, strict=True):
            vals += [{"cause_category_id": category.id} for _index in range(count)]
        for index, values in enumerate(vals):
            values.update(
                product_id=cls.products[0 if index < 50 else 1 if index < 80 else 2].id,
                partner_id=cls.customers[0 if index < 50 else 1 if index < 75 else 2].id,
            )
        vals += [{} for _index in range(APART)]
        cls.complaints = env["helpdesk.ticket"].create(
            [
                dict(values, name=f"Complaint {index}", description="x", company_id=cls.company.id, is_complaint=True)
                for index, values in enumerate(vals)
            ]
        )
        env["helpdesk.ticket"].create(
            {
                "name": "Not a complaint",
                "description": "x",
                "company_id": cls.company.id,
                "partner_id": cls.customers[0].id,
            }
        )
        late = cls.complaints.filtered(lambda c: c.cause_category_id == cls.categories[1])
        manual = cls.complaints.filtered(lambda c: c.cause_category_id == cls.categories[5])
        costs = [("Express", 100.0, late[0]), ("Courier", 50.0, late[1]), ("Reprint", 30.0, manual[0])]
        env["crm.quality.cost"].create(
            [
                {
                    "name": name,
                    "category": "external_failure",
                    "amount": amount,
                    "ticket_id": ticket.id,
                    "company_id": cls.company.id,
                }
                for name, amount, ticket in costs
            ]
        )
        env.flush_all()

    def _rows(self, dimension, user=None):
        Report = self.env["crm.complaint.pareto.report"].with_user(user or self.env.user)
        return Report.search([("company_id", "=", self.company.id), ("dimension", "=", dimension)])

    def test_causes_40_25_15_10_6_4_give_cumulative_40_65_80_90_96_100_and_the_first_three_are_vital(self):
        rows = self._rows("cause_category")
        self.assertEqual(rows.mapped("category"), [f"Pareto {name}" for name, _count in CAUSES])
        self.assertEqual(rows.mapped("cause_category_id"), self.categories)
        self.assertEqual(rows.mapped("rank"), [1, 2, 3, 4, 5, 6])
        self.assertEqual(rows.mapped("complaints"), [40, 25, 15, 10, 6, 4])
        self.assertEqual([round(row.share, 6) for row in rows], [40, 25, 15, 10, 6, 4])
        self.assertEqual([round(row.cumulative_share, 6) for row in rows], [40, 65, 80, 90, 96, 100])
        self.assertEqual(rows.mapped("vital_few"), [True, True, True, False, False, False])
        self.assertEqual(rows.mapped("complaints_apart"), [APART] * 6, "not yet found: counted apart")

    def test_the_cost_of_quality_of_its_complaints_sums_per_category(self):
        rows = self._rows("cause_category")
        self.assertEqual(rows.mapped("cost"), [0.0, 150.0, 0.0, 0.0, 0.0, 30.0])
        self.assertEqual(rows.currency_id, self.company.currency_id)

    def test_products_50_30_20_leave_the_one_starting_at_80_percent_out_of_the_vital_few(self):
        rows = self._rows("product")
        self.assertEqual(rows.mapped("product_id"), self.products)
        self.assertEqual(rows.mapped("category"), ["Pareto Desk", "Pareto Chair", "Pareto Lamp"])
        self.assertEqual(rows.mapped("complaints"), [50, 30, 20])
        self.assertEqual([round(row.cumulative_share, 6) for row in rows], [50, 80, 100])
        self.assertEqual(rows.mapped("vital_few"), [True, True, False])
        self.assertEqual(rows.mapped("complaints_apart"), [APART] * 3)

    def test_customers_with_as_many_complaints_rank_in_name_order(self):
        rows = self._rows("customer")
        self.assertEqual(rows.mapped("category"), ["Pareto Zulu Co", "Pareto Alpha Co", "Pareto Bravo Co"])
        self.assertEqual(rows.mapped("partner_id"), self.customers[0] | self.customers[2] | self.customers[1])
        self.assertEqual(rows.mapped("rank"), [1, 2, 3])
        self.assertEqual([round(row.cumulative_share, 6) for row in rows], [50, 75, 100])
        self.assertEqual(rows.mapped("vital_few"), [True, True, True], "the third starts at 75 %, below the cut")

    def test_the_source_department_of_the_trace_is_a_dimension(self):
        dispatch = self.env["crm.quality.department"].create({"name": "Pareto Dispatch"})
        self.env["crm.complaint.trace"].create(
            {"ticket_id": self.complaints[0].id, "department_id": dispatch.id, "activity": "Packed", "is_source": True}
        )
        rows = self._rows("department")
        self.assertEqual(rows.mapped("department_id"), dispatch)
        self.assertEqual((rows.complaints, rows.share, rows.vital_few), (1, 100.0, True))
        self.assertEqual(rows.complaints_apart, 100 + APART - 1)

    def test_a_quality_user_of_another_company_sees_no_row(self):
        outsider = new_test_user(self.env, login="pareto_outsider", groups="crm_quality_feedback.group_quality_user")
        self.assertNotIn(self.company, outsider.company_ids)
        self.assertFalse(self._rows("cause_category", user=outsider))
        rows = self._rows("cause_category")
        with self.assertRaises(AccessError):
            rows.with_user(outsider).read(["complaints"])
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(outsider)._render_xlsx(
                "crm_quality_feedback.action_report_complaint_pareto_xlsx", rows.ids, None
            )

    def test_the_xlsx_holds_the_pareto_rows_of_the_chosen_dimension(self):
        rows = self._rows("cause_category")
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_quality_feedback.action_report_complaint_pareto_xlsx", rows.ids, None
        )
        self.assertEqual(kind, "xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["Cause Category"])
        sheet = workbook["Cause Category"]
        self.assertEqual(
            [cell.value for cell in sheet[1]],
            ["Rank", "Category", "Complaints", "Share %", "Cumulative %", "Vital Few", "Cost of Quality"],
        )
        table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=7)]
        self.assertEqual(
            [(r[0], r[1], r[2], round(r[3], 6), round(r[4], 6), r[5], r[6]) for r in table],
            [
                (1, "Pareto Wrong size", 40, 40, 40, True, 0),
                (2, "Pareto Late dispatch", 25, 25, 65, True, 150),
                (3, "Pareto Rude answer", 15, 15, 80, True, 0),
                (4, "Pareto Billing error", 10, 10, 90, False, 0),
                (5, "Pareto Damaged box", 6, 6, 96, False, 0),
                (6, "Pareto Missing manual", 4, 4, 100, False, 30),
            ],
        )
        self.assertEqual((sheet["B8"].value, sheet["C8"].value), ("Not yet found (counted apart)", APART))
