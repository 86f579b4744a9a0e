from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase

# The evaluation lasts 60 days from the enrolment date; each baseline is the 60 days before.
LENGTH = 60


@tagged("post_install", "-at_install")
class TestRelationshipProgramme(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: the demo customers stay out of the control groups
        cls.own = cls.env["res.company"].create({"name": "Programme Furniture"})
        cls.manager = new_test_user(
            cls.env,
            login="programme_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.own.id,
            company_ids=[Command.set([cls.own.id])],
        )
        cls.rep = new_test_user(
            cls.env,
            login="programme_rep",
            groups="sales_team.group_sale_salesman",
            company_id=cls.own.id,
            company_ids=[Command.set([cls.own.id])],
        )
        cls.date_start = cls.today - timedelta(days=70)
        cls.alpha, cls.bravo, cls.charlie, cls.delta, cls.echo, cls.foxtrot = (
            cls.env["res.partner"].create({"name": name, "is_company": True})
            for name in (
                "Alpha Hotels",
                "Bravo Bakeries",
                "Charlie Clinics",
                "Delta Dental",
                "Echo Offices",
                "Foxtrot Freight",
            )
        )
        cls.members = cls.alpha | cls.bravo | cls.charlie | cls.delta
        cls.controls = cls.echo | cls.foxtrot
        # the last done run before the programme: every one a regular A cash cow
        cls.analysis = cls.env["crm.portfolio.analysis"].create(
            {"company_id": cls.own.id, "state": "done", "date": cls.date_start - timedelta(days=1)}
        )
        cls.lines = {
            partner: cls.env["crm.portfolio.line"].create(
                {
                    "analysis_id": cls.analysis.id,
                    "partner_id": partner.id,
                    "bcg_quadrant": "cash_cow",
                    "abc_class": "A",
                    "lifecycle_stage": "regular",
                    "in_matrix": True,
                }
            )
            for partner in cls.members | cls.controls
        }
        cls.Programme = cls.env["crm.relationship.programme"].with_user(cls.manager).with_company(cls.own)

    def order(self, partner, price, days_ago):
        """A confirmed order of the company, bought at cost 0: its margin is its price."""
        order = (
            self.env["sale.order"]
            .with_company(self.own)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.own.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": price,
                                "purchase_price": 0.0,
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = fields.Datetime.to_datetime(self.days_ago(days_ago)) + timedelta(hours=10)
        return order

    def history(self, evaluation_margins):
        """Each member 25,000 in his baseline, then ``evaluation_margins``; the control customers
        25,000 each, then 27,500 each (50,000 -> 55,000, +10 %)."""
        for partner, margin in zip(self.members, evaluation_margins, strict=True):
            self.order(partner, 25000.0, days_ago=100)
            self.order(partner, margin, days_ago=40)
        for partner in self.controls:
            self.order(partner, 25000.0, days_ago=100)
            self.order(partner, 27500.0, days_ago=40)

    def programme(self, members=None, **values):
        return self.Programme.create(
            dict(
                {
                    "name": "Design day",
                    "kind": "offer",
                    "date_start": self.date_start,
                    "evaluation_date_from": self.date_start,
                    "evaluation_date_to": self.date_start + timedelta(days=LENGTH - 1),
                    "cost_fixed": 6000.0,
                    "cost_per_member": 1000.0,
                    "member_ids": [Command.create({"partner_id": p.id}) for p in (members or self.members)],
                },
                **values,
            )
        )

    def test_members_100000_to_130000_against_a_control_group_at_10_percent_return_20000_and_roi_100(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        programme = self.programme()
        programme.action_evaluate()
        self.assertEqual(
            (
                programme.state,
                programme.analysis_id,
                programme.member_count,
                programme.baseline_margin,
                programme.evaluation_margin,
                programme.margin_change,
                programme.control_margin_change,
                programme.expected_margin,
                programme.incremental_margin,
                programme.total_cost,
                programme.roi,
            ),
            ("evaluated", self.analysis, 4, 100000.0, 130000.0, 30.0, 10.0, 110000.0, 20000.0, 10000.0, 100.0),
        )
        alpha = programme.member_ids.filtered(lambda m: m.partner_id == self.alpha)
        self.assertEqual(
            (
                alpha.date_enrolled,
                alpha.bcg_quadrant,
                alpha.abc_class,
                alpha.base_orders,
                alpha.evaluation_orders,
                alpha.margin_change,
                alpha.control_margin_change,
                alpha.expected_margin,
                alpha.incremental_margin,
                alpha.is_free_rider,
            ),
            (self.date_start, "cash_cow", "A", 1, 1, 60.0, 10.0, 27500.0, 12500.0, False),
        )

    def test_the_two_regular_flat_members_are_named_free_riders_with_their_offer_cost(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        programme = self.programme()
        programme.action_evaluate()
        self.assertEqual(
            [
                (
                    rider.partner_id.name,
                    rider.regular_at_enrolment,
                    rider.margin_change,
                    rider.control_margin_change,
                    rider.frequency_change,
                    rider.control_frequency_change,
                    rider.offer_cost,
                )
                for rider in programme.free_rider_ids
            ],
            [
                ("Charlie Clinics", True, 0.0, 10.0, 0.0, 0.0, 1000.0),
                ("Delta Dental", True, 0.0, 10.0, 0.0, 0.0, 1000.0),
            ],
        )
        self.assertEqual((programme.free_rider_count, programme.free_rider_cost), (2, 2000.0))

    def test_the_next_wave_keeps_the_two_other_members_and_both_chatters_name_the_free_riders(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        programme = self.programme()
        programme.action_evaluate()
        action = programme.action_next_wave()
        wave = self.Programme.browse(action["res_id"])
        self.assertEqual(
            (
                wave.state,
                wave.previous_wave_id,
                wave.date_start,
                wave.evaluation_date_from,
                wave.evaluation_date_to,
                wave.cost_fixed,
                wave.cost_per_member,
                wave.member_count,
            ),
            (
                "draft",
                programme,
                self.date_start + timedelta(days=60),
                self.date_start + timedelta(days=60),
                self.date_start + timedelta(days=119),
                6000.0,
                1000.0,
                0,
            ),
        )
        self.assertEqual(wave.member_ids.partner_id, self.alpha | self.bravo)
        self.assertEqual(set(wave.member_ids.mapped("date_enrolled")), {wave.date_start})
        for record in (programme, wave):
            self.assertEqual(
                len(
                    record.message_ids.filtered(
                        lambda m: "Free riders left out of the next wave: Charlie Clinics, Delta Dental" in m.body
                    )
                ),
                1,
            )

    def test_a_flat_member_who_was_not_regular_at_enrolment_is_no_free_rider(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        self.lines[self.delta].lifecycle_stage = "won_back"
        programme = self.programme()
        programme.action_evaluate()
        self.assertEqual(programme.free_rider_ids.partner_id, self.charlie)
        delta = programme.member_ids.filtered(lambda m: m.partner_id == self.delta)
        self.assertEqual(
            (delta.lifecycle_stage, delta.regular_at_enrolment, delta.is_free_rider), ("won_back", False, False)
        )

    def test_a_segment_without_control_customers_uses_no_change(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        self.lines[self.alpha].write({"bcg_quadrant": "star", "abc_class": "B"})
        programme = self.programme()
        programme.action_evaluate()
        alpha = programme.member_ids.filtered(lambda m: m.partner_id == self.alpha)
        self.assertEqual(
            (alpha.bcg_quadrant, alpha.abc_class, alpha.control_margin_change, alpha.expected_margin),
            ("star", "B", 0.0, 25000.0),
        )
        # 130,000 against 25,000 + 3 x 27,500 = 107,500 expected
        self.assertEqual((programme.incremental_margin, programme.roi), (22500.0, 125.0))

    def test_the_package_members_are_enrolled_on_the_day_they_were_granted_it(self):
        package = self.env["crm.loyalty.package"].create({"name": "Key client", "company_id": self.own.id})
        granted_on = self.today - timedelta(days=200)
        self.env["crm.loyalty.membership"].create(
            [
                {"package_id": package.id, "partner_id": self.alpha.id, "state": "granted", "date_granted": granted_on},
                {"package_id": package.id, "partner_id": self.bravo.id, "state": "revoked", "date_granted": granted_on},
            ]
        )
        programme = self.programme(members=self.charlie, kind="loyalty_package", package_id=package.id)
        programme.action_enrol_package_members()
        programme.action_enrol_package_members()  # twice: nobody enrolled twice
        self.assertEqual(
            [(m.partner_id, m.date_enrolled) for m in programme.member_ids.sorted("id")],
            [(self.charlie, self.date_start), (self.alpha, granted_on)],
        )

    def test_a_programme_that_cost_nothing_shows_no_roi_and_bad_figures_are_refused(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        programme = self.programme(cost_fixed=0.0, cost_per_member=0.0)
        programme.action_evaluate()
        self.assertEqual((programme.incremental_margin, programme.total_cost, programme.roi), (20000.0, 0.0, 0.0))
        for vals, message in (
            ({"free_rider_threshold": 120.0}, "Free Rider Threshold of Design day: enter a percentage from 0 to 100"),
            ({"evaluation_date_to": self.date_start - timedelta(days=1)}, "Evaluation To of Design day: choose a day"),
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                programme.write(vals)

    def test_salespeople_and_other_companies_see_no_programme_and_results_cannot_be_forged(self):
        self.history([40000.0, 40000.0, 25000.0, 25000.0])
        programme = self.programme()
        programme.action_evaluate()
        with self.assertRaises(AccessError):
            programme.with_user(self.rep).read(["roi"])
        with self.assertRaises(AccessError):
            self.env["crm.relationship.programme"].with_user(self.rep).search([])
        self.assertFalse(
            self.env["crm.relationship.programme"].with_user(self.sales_manager).search([("id", "=", programme.id)])
        )
        with self.assertRaises(AccessError):
            programme.with_user(self.sales_manager).read(["roi"])
        for vals in ({"roi": 500.0}, {"state": "draft"}, {"incremental_margin": 1e6}, {"free_rider_count": 0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "written by its process"):
                programme.write(vals)
        charlie = programme.member_ids.filtered(lambda m: m.partner_id == self.charlie)
        with self.assertRaisesRegex(UserError, "written by its process"):
            charlie.write({"is_free_rider": False})
        programme.invalidate_recordset()
        self.assertEqual((programme.state, programme.roi, programme.free_rider_count), ("evaluated", 100.0, 2))
        self.assertTrue(charlie.is_free_rider)
