from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestRelationshipEvent(RelationshipCase):
    """Jobs record what changed about a customer; the shipped Automation Rules act on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["crm.relationship.event"]
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.rule_at_risk = cls.env.ref("crm_relationship.automation_event_at_risk")

    def _regular_customers(self, count, prefix):
        """Customers ordering every 30 days, last 40 days ago: regular today, at risk (more than
        1.5 x 30 days without an order) ten days from now."""
        customers = self.env["res.partner"]
        for number in range(count):
            customer = self.env["res.partner"].create(
                {"name": f"{prefix} {number}", "is_company": True, "customer_rank": 1, "user_id": self.salesman.id}
            )
            for days in (100, 70, 40):
                self.place_order(customer, 100.0, days_ago=days)
            customers |= customer
        return customers

    def _calls_on(self, customers):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", customers.ids),
                ("activity_type_id", "=", self.call.id),
            ]
        )

    @staticmethod
    def _working_days_after(day, count):
        while count:
            day += timedelta(days=1)
            count -= day.weekday() < 5
        return day

    def test_a_lifecycle_event_belongs_to_the_company_of_the_last_order(self):
        branch = self.env["res.company"].create({"name": "Branch Office"})
        customer = self.env["res.partner"].create({"name": "Two Houses", "is_company": True, "customer_rank": 1})
        self.place_order(customer, 100.0, days_ago=100)
        self.place_order(customer, 100.0, days_ago=70)
        last = (
            self.env["sale.order"]
            .with_company(branch)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": branch.id,
                    "order_line": [Command.create({"product_id": self.product.id, "price_unit": 100.0})],
                }
            )
        )
        last.action_confirm()
        last.date_order = fields.Datetime.to_datetime(self.days_ago(40)) + timedelta(hours=10)
        self.refresh()
        self.refresh(today=self.days_ago(-10))
        event = self.Event.search([("partner_id", "=", customer.id)])
        self.assertEqual((event.company_id, event.from_value, event.to_value), (branch, "regular", "at_risk"))

    def test_a_refresh_moving_three_customers_to_at_risk_makes_three_events_and_three_calls(self):
        customers = self._regular_customers(3, "Quiet")
        self.refresh()
        self.assertEqual(set(customers.mapped("lifecycle_stage")), {"regular"})
        later = self.days_ago(-10)
        self.refresh(today=later)
        self.assertEqual(set(customers.mapped("lifecycle_stage")), {"at_risk"})
        events = self.Event.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(events), 3)
        self.assertEqual(set(events.mapped("event_type")), {"lifecycle"})
        self.assertEqual(set(events.mapped("from_value")), {"regular"})
        self.assertEqual(set(events.mapped("to_value")), {"at_risk"})
        self.assertEqual(set(events.mapped("date")), {later})
        self.assertEqual(events.user_id, self.salesman)
        self.assertEqual(events.company_id, self.company)
        self.assertEqual(events[0].name, "Lifecycle stage change: Regular → At risk")
        calls = self._calls_on(customers)
        self.assertEqual(len(calls), 3)
        self.assertEqual(sorted(calls.mapped("res_id")), sorted(customers.ids))
        self.assertEqual(set(calls.mapped("summary")), {"Call the customer"})
        self.assertEqual(calls.user_id, self.salesman)
        self.assertEqual(set(calls.mapped("date_deadline")), {self._working_days_after(later, 2)})

    def test_a_shipped_rules_activity_reads_in_its_assignees_language(self):
        """A rule's code cannot translate its summary (it has no module): the summaries of the
        shipped rules are translated into the language of the user the activity goes to."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "crm_relationship")])._update_translations(
            ["ru_RU", "zh_CN"]
        )
        russian = new_test_user(self.env, "events_ru", groups="sales_team.group_sale_salesman", lang="ru_RU")
        chinese = new_test_user(self.env, "events_zh", groups="sales_team.group_sale_salesman", lang="zh_CN")
        customers = self.env["res.partner"].create(
            [
                {"name": "Тихий клиент", "is_company": True, "user_id": russian.id},
                {"name": "安静客户", "is_company": True, "user_id": chinese.id},
                {"name": "Quiet Client", "is_company": True, "user_id": self.salesman.id},
            ]
        )
        self.Event._record(
            [
                ("lifecycle", self.company.id, customer.id, "regular", "at_risk", self.today, "Refresh", None, None)
                for customer in customers
            ]
        )
        self.assertEqual(
            [(call.user_id, call.summary) for customer in customers for call in self._calls_on(customer)],
            [(russian, "Позвонить клиенту"), (chinese, "致电客户"), (self.salesman, "Call the customer")],
        )
        # the note too: the event as each assignee reads it
        self.assertEqual(
            [self._calls_on(customer).note.striptags() for customer in customers],
            [
                "Изменение этапа жизненного цикла: Постоянный → Под угрозой ухода.",
                "生命周期阶段变化: 常客 → 有流失风险.",
                "Lifecycle stage change: Regular → At risk.",
            ],
        )
        # an open call in another language is the same call: the Russian salesperson's customer,
        # called by an English-speaking colleague before, is not called twice
        russian_customer = customers[0]
        self._calls_on(russian_customer).unlink()
        russian_customer.activity_schedule(
            "mail.mail_activity_data_call", summary="Call the customer", user_id=self.salesman.id
        )
        self.Event._record(
            [
                (
                    "lifecycle",
                    self.company.id,
                    russian_customer.id,
                    "regular",
                    "at_risk",
                    self.today,
                    "Refresh",
                    None,
                    None,
                )
            ]
        )
        self.assertEqual(self._calls_on(russian_customer).mapped("summary"), ["Call the customer"])

    def test_a_disabled_rule_stops_the_calls_but_not_the_events(self):
        customers = self._regular_customers(3, "Unwatched")
        self.refresh()
        self.rule_at_risk.active = False
        self.refresh(today=self.days_ago(-10))
        self.assertEqual(len(self.Event.search([("partner_id", "in", customers.ids), ("to_value", "=", "at_risk")])), 3)
        self.assertFalse(self._calls_on(customers))

    def test_a_second_refresh_without_change_records_no_event(self):
        customers = self._regular_customers(3, "Steady")
        self.refresh()
        self.refresh(today=self.days_ago(-10))
        self.assertEqual(self.Event.search_count([("partner_id", "in", customers.ids)]), 3)
        self.refresh(today=self.days_ago(-10))
        self.assertEqual(self.Event.search_count([("partner_id", "in", customers.ids)]), 3)
        self.assertEqual(len(self._calls_on(customers)), 3)

    def test_a_first_stage_is_no_event(self):
        customers = self._regular_customers(2, "New")
        self.refresh()
        self.assertFalse(self.Event.search([("partner_id", "in", customers.ids)]))

    def test_a_lost_customer_is_suggested_win_back(self):
        customer = self.env["res.partner"].create(
            {"name": "Fading Ltd", "is_company": True, "user_id": self.salesman.id}
        )
        self.place_order(customer, 100.0, days_ago=300)
        self.place_order(customer, 100.0, days_ago=200)
        self.refresh()
        self.assertEqual(customer.lifecycle_stage, "at_risk")
        self.refresh(today=self.days_ago(-200))
        event = self.Event.search([("partner_id", "=", customer.id), ("to_value", "=", "lost")])
        self.assertEqual(event.from_value, "at_risk")
        self.assertEqual(event.suggested_strategy_id, self.env.ref("crm_relationship.strategy_win_back"))
        customer.customer_loss_reason_id = self.env["crm.lost.reason"].search([], limit=1)
        event.with_user(self.sales_manager).action_apply_suggested_strategy()
        self.assertEqual(customer.relationship_strategy_id, self.env.ref("crm_relationship.strategy_win_back"))

    def test_a_profitability_class_change_is_an_event(self):
        customer = self.env["res.partner"].create({"name": "Margin Ltd", "is_company": True})
        self.place_order(customer, 1000.0, cost=500.0, days_ago=20)
        self.refresh()
        self.assertEqual(self.value_of(customer).profitability, "profitable")
        self.book_cost(customer, 600.0)
        self.refresh()
        event = self.Event.search([("partner_id", "=", customer.id), ("event_type", "=", "profitability")])
        self.assertEqual((event.from_value, event.to_value), ("profitable", "loss_making"))

    def test_a_star_turned_dog_is_suggested_the_mapped_strategy_and_reviewed_by_the_manager(self):
        self.env["crm.team"].create(
            {"name": "Desks", "user_id": self.sales_manager.id, "member_ids": [(6, 0, self.salesman.ids)]}
        )
        customer = self.env["res.partner"].create(
            {"name": "Falling Star", "is_company": True, "user_id": self.salesman.id}
        )
        event = self.Event._record(
            [("quadrant", self.company.id, customer.id, "star", "dog", self.today, "Run", None, None)]
        )
        self.assertEqual(event.suggested_strategy_id, self.env.ref("crm_relationship.strategy_reengineer"))
        review = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", customer.id)])
        self.assertEqual(review.summary, "Review the customer's strategy")
        self.assertEqual(review.user_id, self.sales_manager)

    def test_a_risk_opened_at_high_level_is_an_event_once(self):
        risk = self.env["crm.client.risk"].create(
            {"name": "Late payer", "partner_id": self.customer.id, "risk_type": "risky_client", "level": "2"}
        )
        self.assertFalse(self.Event.search([("partner_id", "=", self.customer.id)]))
        risk.level = "3"
        risk.level = "4"
        event = self.Event.search([("partner_id", "=", self.customer.id)])
        self.assertEqual((event.event_type, event.from_value, event.to_value), ("client_risk", "2", "3"))
        self.assertEqual(event.to_label, "High")

    def test_a_salesperson_leading_his_own_team_is_reviewed_by_the_first_sales_manager_of_his_company(self):
        self.env["crm.team"].create(
            {"name": "Solo", "user_id": self.salesman.id, "member_ids": [(6, 0, self.salesman.ids)]}
        )
        customer = self.env["res.partner"].create(
            {"name": "Lone Star", "is_company": True, "user_id": self.salesman.id}
        )
        self.Event._record([("quadrant", self.company.id, customer.id, "star", "dog", self.today, "Run", None, None)])
        review = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", customer.id)])
        # the same reviewer as the data-card review of this salesperson
        self.assertEqual(review.user_id, self.env.ref("base.user_admin"))
        self.assertEqual(self.salesman._crm_reviewers(), {self.salesman: self.env.ref("base.user_admin")})

    def test_a_salesperson_reads_events_but_cannot_write_them(self):
        event = self.Event._record(
            [("abc_class", self.company.id, self.customer.id, "A", "B", self.today, "Run", None, None)]
        )
        self.assertEqual(event.with_user(self.salesman).read(["to_value"])[0]["to_value"], "B")
        with self.assertRaises(AccessError):
            event.with_user(self.salesman).write({"to_value": "A"})
        with self.assertRaises(AccessError):
            self.Event.with_user(self.salesman).create(
                {
                    "event_type": "lifecycle",
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "date": self.today,
                }
            )
        self.assertEqual(event.to_value, "B")

    def test_a_manager_of_another_company_sees_no_event(self):
        event = self.Event._record(
            [("abc_class", self.company.id, self.customer.id, "A", "B", self.today, "Run", None, None)]
        )
        # a manager of the company reads it: the event exists and the group reads it
        self.assertEqual(
            self.Event.with_user(self.sales_manager).search([("partner_id", "=", self.customer.id)]), event
        )
        outsider = self.other_company_manager("event_outsider", "Event Company B")
        Event = self.Event.with_user(outsider)
        self.assertFalse(Event.search([("partner_id", "=", self.customer.id)]))
        self.assertEqual(Event.search_count([("company_id", "=", self.company.id)]), 0)
        with self.assertRaises(AccessError):
            event.with_user(outsider).read(["to_value"])
        with self.assertRaises(AccessError):
            event.with_user(outsider).unlink()
        event.invalidate_recordset()
        self.assertEqual((event.exists(), event.from_value, event.to_value), (event, "A", "B"))

    def test_a_portfolio_run_records_the_abc_class_changes_against_the_run_before(self):
        # a company of its own: the demo's run of the day the database was made is no "run before"
        company = self.env["res.company"].create({"name": "Event Runs Co", "currency_id": self.currency.id})
        big_then = self.env["res.partner"].create({"name": "Big Then", "is_company": True})
        big_now = self.env["res.partner"].create({"name": "Big Now", "is_company": True})
        # 9 million against 1 million: each is A in its year and B (90 % of the total before it) in the other
        self.place_order(big_then, 9_000_000.0, days_ago=380, company=company)
        self.place_order(big_now, 1_000_000.0, days_ago=380, company=company)
        self.place_order(big_then, 1_000_000.0, days_ago=10, company=company)
        self.place_order(big_now, 9_000_000.0, days_ago=10, company=company)
        big_then.user_id = self.salesman
        Analysis = self.env["crm.portfolio.analysis"].with_company(company)
        before = Analysis.create({"date": self.days_ago(30), "company_id": company.id})
        before.action_compute()
        run = Analysis.create({"date": self.days_ago(1), "company_id": company.id})
        run.action_compute()
        events = self.Event.search([("event_type", "=", "abc_class"), ("partner_id", "in", (big_then | big_now).ids)])
        self.assertEqual(
            sorted((event.partner_id.name, event.from_value, event.to_value) for event in events),
            [("Big Now", "B", "A"), ("Big Then", "A", "B")],
        )
        self.assertEqual(events.analysis_id, run)
        self.assertEqual(set(events.mapped("source")), {run.name})
        # the run's lines say the same: each customer's class in the run before beside his own
        self.assertEqual(
            sorted(
                (line.partner_id.name, line.previous_abc_class, line.abc_class, line.abc_class_changed)
                for line in run.line_ids.filtered(lambda line: line.partner_id in big_then | big_now)
            ),
            [("Big Now", "B", "A", True), ("Big Then", "A", "B", True)],
        )
        # the shipped rules: the customer that left class A gets a review for its salesperson (and,
        # a star become a dog, the strategy review for his reviewer); the one that entered it, none
        self.assertEqual(
            sorted((activity.summary, activity.user_id.id) for activity in big_then.activity_ids),
            [
                ("Review the customer's strategy", self.salesman._crm_reviewers()[self.salesman].id),
                ("Review why the customer left class A", self.salesman.id),
            ],
        )
        self.assertFalse(big_now.activity_ids)

    def test_a_runs_changes_are_read_from_its_own_lines_whatever_the_statistics(self):
        """Two runs the table's statistics know nothing of (made since its last ANALYZE) were each
        counted as one line, and the join of the run to the run before read the run before whole
        once per line of the run (at 200,000 customers the run never ended). The changes are read
        from the run's own lines, which carry the classes of the run before: one scan of the lines,
        of this run only."""
        Analysis = self.env["crm.portfolio.analysis"]
        # never run: its id is in no statistics
        run = Analysis.create({"date": self.days_ago(1)})
        self.env.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", run._changes_query()))
        [[plan]] = self.env.cr.fetchall()

        def scans(node):
            yield node
            for child in node.get("Plans", ()):
                yield from scans(child)

        relations = [scan["Relation Name"] for scan in scans(plan[0]["Plan"]) if "Relation Name" in scan]
        self.assertEqual(relations, ["crm_portfolio_line"])
        [scan] = [scan for scan in scans(plan[0]["Plan"]) if "Relation Name" in scan]
        condition = " ".join(scan.get(key, "") for key in ("Index Cond", "Recheck Cond", "Filter"))
        self.assertIn(f"analysis_id = {run.id}", condition, scan)
