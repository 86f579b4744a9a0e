import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

# complaints per step and month of receipt (the pick step's threshold is 3 a month, the delivery's 5)
PICK_BY_MONTH = {"2025-01-10 09:00:00": 6, "2025-02-10 09:00:00": 2, "2025-03-10 09:00:00": 4}
TODAY = date(2025, 3, 20)  # the window: February (previous month) and March (current month)


@tagged("post_install", "-at_install")
class TestServiceBlueprint(TransactionCase):
    """A delivery service of four steps in a fresh company: 12 complaints traced to picking, 4 to
    delivering (400 of cost of quality), 4 to agreeing the day (100), none to invoicing, and 2
    complaints whose source step is not found; another company has its own blueprint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env["res.company"].create({"name": "Blueprint Works"})
        cls.other_company = env["res.company"].create({"name": "Blueprint Elsewhere"})
        cls.manager = new_test_user(
            env,
            login="blueprint_manager",
            groups="crm_quality_feedback.group_quality_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.user = new_test_user(
            env,
            login="blueprint_user",
            groups="crm_quality_feedback.group_quality_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        departments = env["crm.quality.department"].create(
            [{"name": f"Blueprint {name}"} for name in ("Sales", "Warehouse", "Drivers", "Billing")]
        )
        cls.blueprint = env["crm.service.blueprint"].create(
            {"name": "BP Delivery", "company_id": cls.company.id, "user_id": cls.manager.id}
        )
        step_vals = [
            ("Agree the day", departments[0], "encounter", {}),
            ("Pick and pack", departments[1], "back_office", {"target_value": 99.5, "target_unit": "%"}),
            ("Deliver", departments[2], "encounter", {"target_hours": 4.0}),
            ("Invoice", departments[3], "back_office", {}),
        ]
        cls.agree, cls.pick, cls.deliver, cls.invoice = env["crm.service.blueprint.step"].create(
            [
                dict(
                    standard,
                    blueprint_id=cls.blueprint.id,
                    sequence=10 * (index + 1),
                    name=name,
                    department_id=department.id,
                    contact_type=contact,
                    is_fail_point=bool(standard),
                    complaint_threshold={"Pick and pack": 3, "Deliver": 5}.get(name, 0),
                )
                for index, (name, department, contact, standard) in enumerate(step_vals)
            ]
        )
        cls.pick_by_month = {
            received: cls._complaints(count, received, cls.pick) for received, count in PICK_BY_MONTH.items()
        }
        cls.delivered = cls._complaints(4, "2025-03-11 09:00:00", cls.deliver)
        cls.agreed = cls._complaints(4, "2025-03-12 09:00:00", cls.agree)
        # traced through invoicing, but the source is a line without a step; and one not traced
        cls.apart = cls._complaints(2, "2025-03-13 09:00:00")
        env["crm.complaint.trace"].create(
            [
                {"ticket_id": cls.apart[0].id, "blueprint_step_id": cls.invoice.id, "sequence": 1},
                {
                    "ticket_id": cls.apart[0].id,
                    "department_id": departments[3].id,
                    "activity": "Unknown",
                    "is_source": True,
                    "sequence": 2,
                },
            ]
        )
        costs = [(300.0, cls.delivered[0]), (100.0, cls.delivered[1]), (100.0, cls.agreed[2])]
        costs += [(50.0, cls.pick_by_month["2025-01-10 09:00:00"][0])]
        env["crm.quality.cost"].create(
            [
                {
                    "name": "Blueprint cost",
                    "category": "external_failure",
                    "amount": amount,
                    "ticket_id": ticket.id,
                    "company_id": cls.company.id,
                }
                for amount, ticket in costs
            ]
        )
        # the other company's service, with one complaint traced to it
        cls.other_blueprint = env["crm.service.blueprint"].create(
            {"name": "BP Elsewhere", "company_id": cls.other_company.id}
        )
        cls.other_step = env["crm.service.blueprint.step"].create(
            {"blueprint_id": cls.other_blueprint.id, "name": "Elsewhere", "department_id": departments[2].id}
        )
        cls._complaints(1, "2025-03-10 09:00:00", cls.other_step, company=cls.other_company)
        env.flush_all()

    @classmethod
    def _complaints(cls, count, received, step=None, company=None):
        complaints = cls.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Blueprint complaint {received} {index}",
                    "description": "x",
                    "company_id": (company or cls.company).id,
                    "is_complaint": True,
                    "received_date": received,
                }
                for index in range(count)
            ]
        )
        if step:
            cls.env["crm.complaint.trace"].create(
                [
                    {"ticket_id": complaint.id, "blueprint_step_id": step.id, "is_source": True}
                    for complaint in complaints
                ]
            )
        return complaints

    def _pareto(self):
        return self.env["crm.complaint.pareto.report"].search(
            [("company_id", "=", self.company.id), ("dimension", "=", "process_step")]
        )

    # ------------------------------------------------------------------ the blueprint and the trace

    def test_a_trace_on_a_step_takes_its_department_activity_and_value_and_makes_it_the_complaints_step(self):
        trace = self.delivered[0].trace_ids
        self.assertEqual(
            (trace.department_id.name, trace.activity, trace.adds_value), ("Blueprint Drivers", "Deliver", "value")
        )
        self.assertEqual(self.delivered[0].source_step_id, self.deliver)
        self.assertEqual(self.apart[0].source_step_id.id, False, "the source line has no step")
        self.assertEqual(
            (self.pick.complaint_count, self.deliver.complaint_count, self.agree.complaint_count), (12, 4, 4)
        )
        self.assertEqual(self.invoice.complaint_count, 0)
        self.assertEqual((self.blueprint.complaint_count, self.blueprint.fail_point_count), (20, 2))
        self.assertEqual(len(self.invoice.trace_ids), 1, "the invoicing trace line is kept on the step")

    def test_a_fail_point_without_a_standard_is_refused_naming_the_fields(self):
        with self.assertRaises(ValidationError) as caught:
            self.invoice.write({"is_fail_point": True})
        self.assertIn("Target Time (hours)", str(caught.exception))
        self.assertFalse(self.invoice.is_fail_point)

    def test_a_step_of_another_company_cannot_be_picked_and_nothing_is_traced(self):
        complaint = self.apart[1]
        with self.assertRaises(ValidationError) as caught:
            self.env["crm.complaint.trace"].with_user(self.manager).create(
                {"ticket_id": complaint.id, "blueprint_step_id": self.other_step.id, "is_source": True}
            )
        self.assertIn("Process Step: BP Elsewhere / Elsewhere belongs to another company", str(caught.exception))
        with self.assertRaises(ValidationError):
            complaint.write({"trace_ids": [(0, 0, {"blueprint_step_id": self.other_step.id, "is_source": True})]})
        self.assertFalse(complaint.trace_ids)
        self.assertFalse(complaint.source_step_id)
        with self.assertRaises(ValidationError) as caught:
            complaint.with_user(self.manager).write({"service_blueprint_id": self.other_blueprint.id})
        self.assertIn("Service: BP Elsewhere is a service blueprint of another company", str(caught.exception))
        self.assertFalse(complaint.service_blueprint_id)

    def test_a_blueprint_or_step_cannot_move_to_another_company(self):
        with self.assertRaises(ValidationError):
            self.pick.with_user(self.manager).write({"blueprint_id": self.other_blueprint.id})
        with self.assertRaises(ValidationError) as caught:
            self.blueprint.write({"company_id": self.other_company.id})
        self.assertIn(
            "Company: complaints of Blueprint Works are traced to the steps of BP Delivery", str(caught.exception)
        )
        self.assertEqual((self.pick.company_id, self.blueprint.company_id), (self.company, self.company))

    def test_a_step_of_another_service_than_the_complaints_is_refused(self):
        other_service = self.env["crm.service.blueprint"].create({"name": "BP Repair", "company_id": self.company.id})
        complaint = self.apart[1]
        complaint.service_blueprint_id = other_service
        with self.assertRaises(ValidationError) as caught:
            self.env["crm.complaint.trace"].create({"ticket_id": complaint.id, "blueprint_step_id": self.pick.id})
        self.assertIn("is not a step of BP Repair", str(caught.exception))
        self.assertFalse(complaint.trace_ids)

    def test_the_complaints_service_is_the_blueprint_naming_its_product_then_its_category(self):
        category = self.env["product.category"].create({"name": "BP Furniture"})
        child = self.env["product.category"].create({"name": "BP Desks", "parent_id": category.id})
        desk = self.env["product.product"].create({"name": "BP Desk", "categ_id": child.id})
        chair = self.env["product.product"].create({"name": "BP Chair", "categ_id": category.id})
        repair = self.env["crm.service.blueprint"].create(
            {"name": "BP Repair", "company_id": self.company.id, "product_ids": [(6, 0, desk.ids)]}
        )
        self.blueprint.product_categ_ids = category
        complaints = self.env["helpdesk.ticket"].create(
            [
                {"name": name, "description": "x", "company_id": self.company.id, "product_id": product.id}
                for name, product in (("Desk", desk), ("Chair", chair))
            ]
        )
        self.assertEqual(complaints.mapped("service_blueprint_id"), repair | self.blueprint)

    # ------------------------------------------------------------------ fail point analysis

    def test_steps_rank_by_complaints_then_cost_of_quality(self):
        rows = self.env["crm.service.blueprint.report"].search([("company_id", "=", self.company.id)])
        self.assertEqual(rows.mapped("step_id"), self.pick | self.deliver | self.agree | self.invoice)
        self.assertEqual(rows.mapped("rank"), [1, 2, 3, 4])
        self.assertEqual(rows.mapped("complaints"), [12, 4, 4, 0])
        self.assertEqual(rows.mapped("cost"), [50.0, 400.0, 100.0, 0.0])
        self.assertEqual([round(row.share, 6) for row in rows], [60, 20, 20, 0])
        self.assertEqual(rows.mapped("is_fail_point"), [True, True, False, False])
        self.assertEqual(rows.mapped("contact_type"), ["back_office", "encounter", "encounter", "back_office"])
        self.assertEqual(rows.currency_id, self.company.currency_id)

    def test_the_fail_points_split_internal_from_external_complaints(self):
        colleague = self.company.partner_id  # a department of our own company: an internal customer
        internal = self._complaints(2, "2025-03-11 09:00:00", self.invoice)
        internal.partner_id = colleague
        self.env.flush_all()
        rows = self.env["crm.service.blueprint.report"].search([("company_id", "=", self.company.id)])
        by_step = {row.step_id: (row.complaints, row.internal_complaints, row.external_complaints) for row in rows}
        self.assertEqual(by_step[self.pick], (12, 0, 12))
        self.assertEqual(by_step[self.invoice], (2, 2, 0))

    def test_a_quality_user_of_company_a_does_not_see_company_bs_rows(self):
        Report = self.env["crm.service.blueprint.report"]
        rows = Report.with_user(self.user).search([])
        self.assertEqual(rows.company_id, self.company)
        self.assertEqual(len(rows), 4)
        self.assertEqual(Report.browse(self.other_step.id).company_id, self.other_company)
        with self.assertRaises(AccessError):
            Report.with_user(self.user).browse(self.other_step.id).read(["complaints"])
        with self.assertRaises(AccessError):
            self.other_blueprint.with_user(self.user).read(["name"])

    def test_pareto_by_process_step_gives_60_80_100_with_ties_in_name_order(self):
        rows = self._pareto()
        self.assertEqual(
            rows.mapped("category"),
            ["BP Delivery / Pick and pack", "BP Delivery / Agree the day", "BP Delivery / Deliver"],
        )
        self.assertEqual(rows.mapped("step_id"), self.pick | self.agree | self.deliver)
        self.assertEqual(rows.mapped("complaints"), [12, 4, 4])
        self.assertEqual([round(row.share, 6) for row in rows], [60, 20, 20])
        self.assertEqual([round(row.cumulative_share, 6) for row in rows], [60, 80, 100])
        self.assertEqual(rows.mapped("vital_few"), [True, True, False], "the third starts at the 80 % cut")
        self.assertEqual(rows.mapped("cost"), [50.0, 100.0, 400.0])
        self.assertEqual(rows.mapped("complaints_apart"), [2, 2, 2])

    def test_the_pareto_xlsx_prints_the_process_steps_on_their_sheet(self):
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_quality_feedback.action_report_complaint_pareto_xlsx", self._pareto().ids, None
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Process Step"]
        table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=4)]
        self.assertEqual(
            [(r[0], r[1], r[2], round(r[4], 6), r[5], r[6]) for r in table],
            [
                (1, "BP Delivery / Pick and pack", 12, 60, True, 50),
                (2, "BP Delivery / Agree the day", 4, 80, True, 100),
                (3, "BP Delivery / Deliver", 4, 100, False, 400),
            ],
        )
        self.assertEqual((sheet["B5"].value, sheet["C5"].value), ("Not yet found (counted apart)", 2))

    # ------------------------------------------------------------------ corrective actions

    def test_a_step_over_its_threshold_gets_one_draft_action_linked_to_the_periods_complaints(self):
        actions = self.env["crm.service.blueprint"]._propose_corrective_actions(self.blueprint.ids, today=TODAY)
        self.assertEqual(len(actions), 1, "March's 4 pickings pass 3; February's 2 do not, January is past")
        self.assertEqual(actions.ticket_ids, self.pick_by_month["2025-03-10 09:00:00"])
        self.assertEqual(
            (actions.state, actions.action_type, actions.blueprint_step_id, actions.blueprint_period_start),
            ("draft", "corrective", self.pick, date(2025, 3, 1)),
        )
        self.assertEqual((actions.user_id, actions.company_id), (self.manager, self.company))
        self.assertEqual(actions.deadline, date(2025, 4, 19))
        self.assertEqual(
            actions.name, "Fail point BP Delivery / Pick and pack: 4 complaints in the month from 2025-03-01"
        )
        self.assertEqual(self.blueprint.action_count, 1)

    def test_running_again_proposes_none(self):
        Blueprint = self.env["crm.service.blueprint"]
        first = Blueprint._propose_corrective_actions(self.blueprint.ids, today=TODAY)
        first._process_write({"state": "in_progress"})
        self.assertFalse(Blueprint._propose_corrective_actions(self.blueprint.ids, today=TODAY))
        self.assertFalse(Blueprint._propose_corrective_actions(today=TODAY), "the job finds none either")
        self.assertEqual(self.env["crm.quality.action"].search_count([("blueprint_step_id", "=", self.pick.id)]), 1)

    def test_the_managers_button_proposes_for_the_current_month_once_and_a_user_may_not_press_it(self):
        self.deliver.complaint_threshold = 1
        recent = self._complaints(2, "2025-03-01 00:00:00", self.deliver)
        recent.sudo().write({"received_date": self.env.cr.now()})
        with self.assertRaises(AccessError):
            self.blueprint.with_user(self.user).action_propose_corrective_actions()
        self.assertFalse(self.env["crm.quality.action"].search([("blueprint_step_id", "=", self.deliver.id)]))
        result = self.blueprint.with_user(self.manager).action_propose_corrective_actions()
        self.assertEqual(result["params"]["type"], "success")
        action = self.env["crm.quality.action"].search([("blueprint_step_id", "=", self.deliver.id)])
        self.assertEqual(action.ticket_ids, recent)
        self.env["crm.service.blueprint"]._cron_propose_corrective_actions()
        self.blueprint.with_user(self.manager).action_propose_corrective_actions()
        self.assertEqual(self.env["crm.quality.action"].search([("blueprint_step_id", "=", self.deliver.id)]), action)

    def test_the_proposed_period_of_an_action_is_not_editable(self):
        action = self.env["crm.service.blueprint"]._propose_corrective_actions(self.blueprint.ids, today=TODAY)
        with self.assertRaises(UserError) as caught:
            action.with_user(self.manager).write({"blueprint_period_start": "2025-02-01"})
        self.assertIn("the service blueprint proposes it", str(caught.exception))
        self.assertEqual(action.blueprint_period_start, date(2025, 3, 1))
