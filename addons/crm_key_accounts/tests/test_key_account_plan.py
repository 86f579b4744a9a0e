import io
import shutil
from datetime import timedelta

import openpyxl
from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.addons.base.models.ir_qweb import QWebException
from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

QUALIFICATION = {
    "qualification_want": "Yes",
    "qualification_benefit_us": "Volume",
    "qualification_benefit_them": "One supplier",
    "qualification_compatible": "Yes",
    "qualification_mutual_help": "Joint showroom",
    "qualification_choice": "Two bidders",
}


@tagged("post_install", "-at_install")
class TestKeyAccountPlan(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam = new_test_user(
            cls.env,
            login="kam_user",
            name="Kim KAM",
            groups="sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager",
        )
        cls.other_kam = new_test_user(
            cls.env,
            login="kam_other",
            name="Otto KAM",
            groups="sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager",
        )
        cls.director = new_test_user(
            cls.env, login="kam_director", groups="crm_key_accounts.group_key_account_director"
        )
        cls.Plan = cls.env["crm.key.account.plan"]

    def _plan(self, **values):
        vals = {
            "partner_id": self.customer.id,
            "user_id": self.kam.id,
            "date_start": self.days_ago(100),
            "date_end": self.days_ago(-265),
        }
        vals.update(values)
        return self.Plan.create(vals)

    def _objective(self, plan, measure, target):
        return self.env["crm.key.account.objective"].create(
            {"plan_id": plan.id, "name": f"{measure} objective", "measure": measure, "target": target}
        )

    def test_actuals_come_from_the_orders_of_the_plan_period(self):
        plan = self._plan()
        revenue = self._objective(plan, "revenue", 3000.0)
        margin = self._objective(plan, "margin", 1000.0)
        orders = self._objective(plan, "orders", 4)
        self.place_order(self.contact, 1000.0, cost=600.0, days_ago=50)  # a contact's order counts
        self.place_order(self.customer, 500.0, cost=300.0, days_ago=10)
        self.place_order(self.customer, 700.0, days_ago=20)._action_cancel()  # cancelled
        self.place_order(self.customer, 300.0, days_ago=150)  # before the plan period
        plan.action_refresh_actuals()
        self.assertEqual((revenue.actual, margin.actual, orders.actual), (1500.0, 600.0, 2.0))
        self.assertEqual(revenue.progress, 50.0)
        self.assertEqual(orders.progress, 50.0)
        self.assertEqual(plan.attainment, 53.3, "average of 50, 60 and 50 %")

    def test_share_of_wallet_objective(self):
        plan = self._plan(date_start=self.today.replace(month=1, day=1), date_end=self.today.replace(month=12, day=31))
        wallet = self._objective(plan, "share_of_wallet", 50.0)
        self.env["crm.wallet.estimate"].create(
            {"partner_id": self.customer.id, "year": self.today.year, "estimated_total_spend": 4000.0}
        )
        self.place_order(self.customer, 1000.0, days_ago=0)
        plan.action_refresh_actuals()
        self.assertEqual(wallet.actual, 25.0)

    def test_second_open_plan_for_the_same_period_is_refused(self):
        self._plan()
        count = self.Plan.search_count([])
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._plan(date_start=self.days_ago(10), date_end=self.days_ago(-30))
        constraint = self.env["ir.model.constraint"].search([("name", "=", caught.exception.diag.constraint_name)])
        self.assertEqual(
            constraint.message,
            "A customer has one open key-account plan per period: close the other plan or change this plan's "
            "Start and End dates so that they do not overlap.",
        )
        self.assertEqual(self.Plan.search_count([]), count, "nothing written")
        closed = self._plan(date_start=self.days_ago(800), date_end=self.days_ago(500), state="closed")
        self.assertTrue(closed, "a closed plan of another period does not count")

    def test_activation_needs_the_qualification_and_one_sales_lead(self):
        plan = self._plan(state="manager_appointed")
        with self.assertRaisesRegex(ValidationError, "qualification"):
            plan.state = "engaged"
        plan.write(QUALIFICATION)
        with self.assertRaisesRegex(ValidationError, "Sales lead"):
            plan.state = "engaged"
        self.env["crm.key.account.team.member"].create(
            {"plan_id": plan.id, "user_id": self.kam.id, "role": "sales_lead"}
        )
        plan.state = "engaged"
        self.assertEqual(plan.state, "engaged")

    def test_a_team_has_one_sales_lead_from_sales(self):
        plan = self._plan()
        Member = self.env["crm.key.account.team.member"]
        Member.create({"plan_id": plan.id, "user_id": self.kam.id, "role": "sales_lead"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Member.create({"plan_id": plan.id, "user_id": self.salesman.id, "role": "sales_lead"})
        other_plan = self._plan(partner_id=self.env["res.partner"].create({"name": "Lead Test", "is_company": True}).id)
        with self.assertRaisesRegex(ValidationError, "comes from sales"):
            Member.create({"plan_id": other_plan.id, "user_id": self.plain_user.id, "role": "sales_lead"})

    def test_a_review_keeps_its_figures_after_new_orders(self):
        plan = self._plan()
        revenue = self._objective(plan, "revenue", 2000.0)
        self.place_order(self.customer, 500.0, days_ago=5)
        plan.action_create_review()
        review = plan.review_ids
        self.assertEqual((review.revenue, review.line_ids.actual, review.line_ids.progress), (500.0, 500.0, 25.0))
        self.place_order(self.customer, 1500.0, days_ago=1)
        plan.action_refresh_actuals()
        self.assertEqual(revenue.actual, 2000.0)
        self.assertEqual((review.revenue, review.line_ids.actual), (500.0, 500.0))
        self.assertEqual(plan.next_review_date, review.date + relativedelta(months=3), "quarterly by default")

    def test_nobody_overwrites_the_figures_a_review_froze_not_even_its_manager(self):
        plan = self._plan()
        self._objective(plan, "revenue", 2000.0)
        self.place_order(self.customer, 500.0, days_ago=5)
        plan.with_user(self.kam).action_create_review()
        review = plan.review_ids
        self.assertEqual((review.revenue, review.attainment, review.line_ids.target), (500.0, 25.0, 2000.0))
        for user in (self.kam, self.director):
            with self.assertRaisesRegex(UserError, "Revenue to Date"):
                review.with_user(user).write({"revenue": 2000.0})
            with self.assertRaisesRegex(UserError, "Attainment"):
                review.with_user(user).attainment = 100.0
        with self.assertRaisesRegex(UserError, "Actual"):
            review.line_ids.with_user(self.director).actual = 2000.0
        review.with_user(self.kam).decisions = "<p>Keep the quarterly visits</p>"  # his notes stay his to write
        self.assertEqual((review.revenue, review.attainment, review.line_ids.actual), (500.0, 25.0, 500.0))

    def _visit_contact(self, days_ago):
        """A visit to the decision maker logged ``days_ago`` days ago."""
        return self.env["crm.contact.log"].create(
            {
                "partner_id": self.contact.id,
                "summary": "Visit",
                "channel": "meeting",
                "date": fields.Datetime.now() - timedelta(days=days_ago),
            }
        )

    def test_neglected_decision_maker_after_91_days(self):
        plan = self._plan()
        stakeholder = self.env["crm.key.account.stakeholder"].create(
            {"plan_id": plan.id, "contact_id": self.contact.id, "role": "decision_maker"}
        )
        log = self._visit_contact(days_ago=89)
        self.assertFalse(stakeholder.neglected)
        log.date = fields.Datetime.now() - timedelta(days=91)
        stakeholder.invalidate_recordset()
        self.assertTrue(stakeholder.neglected)
        self.assertEqual(plan.neglected_count, 1)
        self.Plan._cron_key_accounts()
        calls = plan.activity_ids.filtered(lambda a: "Nora North" in (a.summary or ""))
        self.assertEqual(calls.user_id, self.kam, "the plan's manager is asked to make contact")
        self.Plan._cron_key_accounts()
        self.assertEqual(len(plan.activity_ids.filtered(lambda a: "Nora North" in (a.summary or ""))), 1)

    def test_a_neglected_decision_maker_is_called_in_the_plan_managers_language(self):
        """The nightly job runs as the superuser; the call to the neglected decision maker and the
        due review read in the language of the plan's manager, and a call already open in another
        language is the same call."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search([("name", "=", "crm_key_accounts")])._update_translations(["ru_RU"])
        self.kam.lang = "ru_RU"
        plan = self._plan()
        self.env["crm.key.account.stakeholder"].create(
            {"plan_id": plan.id, "contact_id": self.contact.id, "role": "decision_maker"}
        )
        self._visit_contact(days_ago=91)
        self.Plan._cron_key_accounts()
        self.assertEqual(
            sorted((call.summary, call.note and call.note.striptags(), call.user_id.id) for call in plan.activity_ids),
            [
                (
                    "Провести обзор плана работы с ключевым клиентом вместе с клиентом",
                    False,
                    self.kam.id,
                ),
                (
                    "Связаться с лицом, принимающим решения: Nora North",
                    "С этим лицом, принимающим решения, не было зарегистрированных контактов более 90 дн.",
                    self.kam.id,
                ),
            ],
        )
        # the manager switches to English: the open Russian call and review are not repeated
        self.kam.lang = "en_US"
        self.Plan._cron_key_accounts()
        self.assertEqual(len(plan.activity_ids), 2)

    def test_objectives_are_closed_at_period_end(self):
        plan = self._plan(date_start=self.days_ago(400), date_end=self.days_ago(1))
        achieved = self._objective(plan, "revenue", 800.0)
        missed = self._objective(plan, "orders", 5)
        self.place_order(self.customer, 1000.0, days_ago=30)
        self.Plan._cron_key_accounts()
        self.assertEqual((achieved.state, missed.state), ("achieved", "missed"))

    def test_rights_per_role_and_company(self):
        own = self._plan()
        other = self._plan(
            user_id=self.other_kam.id,
            partner_id=self.env["res.partner"].create({"name": "Other Co", "is_company": True}).id,
        )
        own.with_user(self.kam).needs = "<p>Updated by its manager</p>"
        with self.assertRaises(AccessError):
            other.with_user(self.kam).read(["name"])
        self.env["crm.key.account.team.member"].create(
            {"plan_id": other.id, "user_id": self.kam.id, "role": "marketing"}
        )
        self.assertEqual(other.with_user(self.kam).name, other.name, "a team member reads the plan")
        with self.assertRaises(AccessError):
            other.with_user(self.kam).needs = "<p>Not mine</p>"
        other.with_user(self.director).needs = "<p>Directors edit all plans</p>"
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.salesman).search([])
        company_b = self.env["res.company"].create({"name": "KA Company B"})
        # a plan's manager works for its company: company B's plan has none of ours
        plan_b = self._plan(
            company_id=company_b.id, user_id=False, partner_id=self.env["res.partner"].create({"name": "B Co"}).id
        )
        self.assertFalse(self.Plan.with_user(self.director).search([("id", "=", plan_b.id)]))
        Report = self.env["ir.actions.report"].with_user(self.director)
        self.env.invalidate_all()  # as in a request of its own: nothing of plan B already in the cache
        with self.assertRaisesRegex(QWebException, "AccessError"):  # QWeb wraps the refusal
            Report._render_qweb_html("crm_key_accounts.action_report_key_account_plan", plan_b.ids)
        with self.assertRaises(AccessError):
            Report._render_xlsx("crm_key_accounts.action_report_key_account_plans_xlsx", plan_b.ids, None)

    def test_the_plan_prints_as_pdf(self):
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed (Debian: apt-get install wkhtmltopdf)")
        plan = self._plan(needs="<p>Faster deliveries</p>")
        self.env["crm.key.account.objection"].create(
            {"plan_id": plan.id, "name": "Too expensive", "answer": "Lower lifetime cost"}
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_key_accounts.action_report_key_account_plan", plan.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)

    def test_plan_report_and_xlsx_render(self):
        plan = self._plan(needs="<p>Faster deliveries</p>")
        self._objective(plan, "revenue", 1000.0)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "crm_key_accounts.action_report_key_account_plan", plan.ids
        )
        self.assertIn(b"Faster deliveries", html)
        self.assertIn(b"revenue objective", html)
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_key_accounts.action_report_key_account_plans_xlsx", plan.ids, None
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual((kind, sheet["D2"].value, sheet["F2"].value), ("xlsx", "revenue objective", 1000))

    def test_review_lines_are_read_like_their_plan_and_written_only_by_the_review(self):
        own = self._plan()
        self._objective(own, "revenue", 2000.0)
        other = self._plan(
            user_id=self.other_kam.id,
            partner_id=self.env["res.partner"].create({"name": "Other Review Co", "is_company": True}).id,
        )
        self._objective(other, "revenue", 5000.0)
        own.with_user(self.kam).action_create_review()
        other.with_user(self.other_kam).action_create_review()
        company_b = self.env["res.company"].create({"name": "Review Company B"})
        # his plan in company B, which he has left since: its reviews are company B's
        self.kam.company_ids |= company_b
        plan_b = self._plan(
            company_id=company_b.id,
            user_id=self.kam.id,
            partner_id=self.env["res.partner"].create({"name": "Review B Co", "is_company": True}).id,
        )
        self._objective(plan_b, "revenue", 9000.0)
        plan_b.action_create_review()
        self.kam.company_ids -= company_b
        Line = self.env["crm.key.account.review.line"].with_user(self.kam)
        self.assertEqual(Line.search([]).review_id, own.review_ids, "his own plan's review only")
        self.assertEqual(own.review_ids.line_ids.with_user(self.kam).read(["target"])[0]["target"], 2000.0)
        for foreign in (other.review_ids.line_ids, plan_b.review_ids.line_ids):
            with self.assertRaises(AccessError):
                foreign.with_user(self.kam).read(["target", "actual"])

        # the RPC calls of a manager adding figures to a frozen review, another's or his own
        lines_before = self.env["crm.key.account.review.line"].search_count([])
        for review in (other.review_ids, own.review_ids):
            with self.assertRaises(AccessError):
                Line.create({"review_id": review.id, "name": "Invented objective", "target": 1.0, "actual": 1e6})
        self.assertEqual(self.env["crm.key.account.review.line"].search_count([]), lines_before)
        self.assertEqual(other.review_ids.line_ids.mapped("name"), ["revenue objective"])
        self.assertEqual(plan_b.review_ids.line_ids.company_id, company_b)

    def test_the_sales_lead_of_an_active_plan_stays(self):
        plan = self._plan(state="manager_appointed", **QUALIFICATION)
        Member = self.env["crm.key.account.team.member"]
        lead = Member.create({"plan_id": plan.id, "user_id": self.kam.id, "role": "sales_lead"})
        plan.state = "engaged"
        other_plan = self._plan(partner_id=self.env["res.partner"].create({"name": "Lead Move Co"}).id)

        # the RPC calls of the plan's own manager taking the lead away
        attacks = (
            lambda: lead.with_user(self.kam).unlink(),
            lambda: lead.with_user(self.kam).write({"role": "marketing"}),
            lambda: lead.with_user(self.kam).write({"plan_id": other_plan.id}),
            lambda: plan.with_user(self.kam).write({"team_member_ids": [Command.unlink(lead.id)]}),
        )
        for attack in attacks:
            with self.assertRaisesRegex(ValidationError, "exactly one Sales lead"), self.env.cr.savepoint():
                attack()
            self.env.invalidate_all()
            self.assertEqual((lead.exists().plan_id, lead.role), (plan, "sales_lead"))
        self.assertFalse(other_plan.team_member_ids)

        # handing the lead to someone else keeps the plan active; a closed plan lets it go
        lead.with_user(self.kam).user_id = self.salesman
        self.assertEqual(plan.team_member_ids.user_id, self.salesman)
        plan.with_user(self.kam).action_close()
        lead.with_user(self.kam).unlink()
        self.assertFalse(plan.team_member_ids)

    def test_a_decision_maker_neglected_on_plans_of_two_companies_is_an_event_in_each(self):
        branch = self.env["res.company"].create({"name": "Key Branch"})
        Stakeholder = self.env["crm.key.account.stakeholder"]
        Stakeholder.create({"plan_id": self._plan().id, "contact_id": self.contact.id, "role": "decision_maker"})
        self._visit_contact(days_ago=91)
        self.Plan._cron_key_accounts()
        # the branch's plan comes later: its own company's event, although the first company has one
        branch_plan = self._plan(company_id=branch.id, user_id=False)
        Stakeholder.create({"plan_id": branch_plan.id, "contact_id": self.contact.id, "role": "decision_maker"})
        self.Plan._cron_key_accounts()
        self.Plan._cron_key_accounts()
        events = self.env["crm.relationship.event"].search(
            [("event_type", "=", "decision_maker_neglected"), ("contact_id", "=", self.contact.id)]
        )
        self.assertEqual(sorted(events.company_id.mapped("name")), sorted([self.env.company.name, "Key Branch"]))

    def test_a_neglected_decision_maker_is_a_customer_event_once_per_neglect(self):
        plan = self._plan()
        self.env["crm.key.account.stakeholder"].create(
            {"plan_id": plan.id, "contact_id": self.contact.id, "role": "decision_maker"}
        )
        log = self._visit_contact(days_ago=91)
        Event = self.env["crm.relationship.event"]
        self.Plan._cron_key_accounts()
        self.Plan._cron_key_accounts()
        event = Event.search([("event_type", "=", "decision_maker_neglected"), ("contact_id", "=", self.contact.id)])
        self.assertEqual(len(event), 1, "the next night finds the same neglect: no second event")
        self.assertEqual(event.partner_id, self.customer)
        self.assertEqual((event.from_value, event.to_label), (fields.Date.to_string(log.date.date()), "Neglected"))
        # the event of 200 days ago, a contact since (100 days ago), neglected again: a new event
        self.env.cr.execute("UPDATE crm_relationship_event SET date = %s WHERE id = %s", [self.days_ago(200), event.id])
        log.date = fields.Datetime.now() - timedelta(days=100)
        self.Plan._cron_key_accounts()
        self.assertEqual(Event.search_count([("contact_id", "=", self.contact.id)]), 2)
