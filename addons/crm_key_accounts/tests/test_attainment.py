from psycopg2 import IntegrityError

from odoo.addons.crm_relationship.tests.common import RelationshipCase
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.attainment import weighted_attainment


class TestAttainmentRule(BaseCase):
    """The rule alone: (progress, weight) pairs in, a percentage out."""

    def test_objectives_count_at_most_100_and_at_least_0(self):
        self.assertEqual(weighted_attainment([(250.0, 1.0), (50.0, 1.0)]), 75.0)
        self.assertEqual(weighted_attainment([(-40.0, 1.0), (60.0, 1.0)]), 30.0)

    def test_weights_make_an_objective_count_more_or_not_at_all(self):
        self.assertEqual(weighted_attainment([(100.0, 1.0), (25.0, 1.0), (50.0, 3.0)]), 55.0)
        self.assertEqual(weighted_attainment([(100.0, 1.0), (20.0, 0.0)]), 100.0)

    def test_no_objective_or_no_weight_attains_nothing(self):
        self.assertEqual(weighted_attainment([]), 0.0)
        self.assertEqual(weighted_attainment([(80.0, 0.0)]), 0.0)


@tagged("post_install", "-at_install")
class TestPlanAttainment(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam = new_test_user(
            cls.env,
            login="attainment_kam",
            groups="sales_team.group_sale_salesman,crm_key_accounts.group_key_account_manager",
        )

    def _plan(self, partner):
        return self.env["crm.key.account.plan"].create(
            {
                "partner_id": partner.id,
                "user_id": self.kam.id,
                "date_start": self.days_ago(100),
                "date_end": self.days_ago(-265),
            }
        )

    def _objective(self, plan, measure, target):
        return self.env["crm.key.account.objective"].create(
            {"plan_id": plan.id, "name": f"{measure} objective", "measure": measure, "target": target}
        )

    def test_a_target_exceeded_counts_as_met_and_weights_apply(self):
        plan = self._plan(self.customer)
        revenue = self._objective(plan, "revenue", 1000.0)
        orders = self._objective(plan, "orders", 4)
        manual = self._objective(plan, "manual", 10.0)
        self.place_order(self.customer, 2500.0, days_ago=10)
        plan.action_refresh_actuals()
        manual.write({"actual": 5.0, "weight": 3.0})
        self.assertEqual((revenue.progress, orders.progress, manual.progress), (250.0, 25.0, 50.0))
        self.assertEqual(plan.attainment, 55.0, "(100 + 25 + 3 x 50) / 5: the revenue exceeded counts 100")
        manual.weight = 0
        self.assertEqual(plan.attainment, 62.5, "(100 + 25) / 2: a weight of 0 leaves the objective out")
        review = self.env["crm.key.account.review"]._freeze(plan)
        self.assertEqual(review.attainment, 62.5, "a review keeps the plan's attainment of its day")

    def test_the_attainment_pivot_averages_plans_by_manager_and_customer(self):
        other = self.env["res.partner"].create({"name": "Southwind Stores", "is_company": True})
        met, missed = self._plan(self.customer), self._plan(other)
        self._objective(met, "revenue", 1000.0)
        self._objective(missed, "revenue", 1000.0)
        self.place_order(self.customer, 1500.0, days_ago=10)
        (met | missed).action_refresh_actuals()
        Plan = self.env["crm.key.account.plan"]
        domain = [("id", "in", (met | missed).ids)]
        self.assertEqual(
            dict(Plan._read_group(domain, ["partner_id"], ["attainment:avg"])), {self.customer: 100.0, other: 0.0}
        )
        self.assertEqual(Plan._read_group(domain, ["user_id"], ["attainment:avg"]), [(self.kam, 50.0)])
        action = self.env.ref("crm_key_accounts.action_crm_key_account_plan_attainment")
        pivot = self.env["ir.ui.view"].browse(action.view_ids.filtered(lambda v: v.view_mode == "pivot").view_id.id)
        self.assertEqual(
            [(field.get("name"), field.get("type")) for field in pivot._get_combined_arch().iter("field")],
            [("user_id", "row"), ("partner_id", "row"), ("attainment", "measure")],
        )

    def test_a_weight_outside_0_to_100_is_refused_by_the_database(self):
        objective = self._objective(self._plan(self.customer), "manual", 10.0)
        for weight in (-1.0, 101.0):
            with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                objective.write({"weight": weight})
                objective.flush_recordset()
            self.assertEqual(caught.exception.diag.constraint_name, "crm_key_account_objective_weight_range")
