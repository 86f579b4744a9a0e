from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .datacard_common import DatacardCase

CORE_ITEMS = ("contact_role", "address", "phone_email", "visit_notes", "strategy", "wallet_estimate")


@tagged("post_install", "-at_install")
class TestDatacard(DatacardCase):
    def setUp(self):
        super().setUp()
        # the core's six items, whatever other modules add: each test states its own denominator
        self.Criterion.search([("company_id", "=", self.company.id), ("code", "not in", CORE_ITEMS)]).active = False

    def test_a_customer_holding_four_of_the_six_items_is_67_percent_complete_and_shows_the_two_missing(self):
        customer = self.make_customer(
            "Birch Offices", ("contact_role", "address", "phone_email", "strategy"), user=self.salesman
        )
        card = self.card(customer)
        self.assertEqual((card.criteria_met, card.criteria_count), (4, 6))
        self.assertAlmostEqual(card.completeness, 400 / 6)
        self.assertEqual(self.missing(card), ["visit_notes", "wallet_estimate"])
        dossier = customer.with_user(self.salesman)
        self.assertEqual(round(dossier.datacard_completeness), 67)
        self.assertEqual(
            dossier.datacard_missing_ids.sorted("sequence").mapped("name"),
            ["Notes of the last visit", "Share-of-wallet estimate of the year"],
        )
        self.assertEqual(card.user_id, self.salesman)

    def test_archiving_an_item_takes_it_out_of_the_denominator(self):
        customer = self.make_customer("Birch Offices", ("contact_role", "address", "phone_email", "strategy"))
        self.item("wallet_estimate").active = False
        card = self.card(customer)
        self.assertEqual((card.criteria_met, card.criteria_count, card.completeness), (4, 5, 80.0))
        self.assertEqual(self.missing(card), ["visit_notes"])
        self.item("visit_notes").active = False
        card = self.card(customer)
        self.assertEqual((card.criteria_met, card.criteria_count, card.completeness), (4, 4, 100.0))
        self.assertFalse(card.missing_criterion_ids)

    def test_filling_in_the_record_completes_the_card_on_the_dossiers_recompute(self):
        customer = self.make_customer("Birch Offices", ("phone_email",))
        self.assertEqual(round(self.card(customer).completeness), 17)
        self.fill(customer, ("contact_role", "address", "visit_notes", "strategy", "wallet_estimate"))
        customer.with_user(self.salesman).action_refresh_datacard()
        card = self.card(customer, refresh=False)
        self.assertEqual((card.criteria_met, card.completeness), (6, 100.0))
        self.assertFalse(customer.datacard_missing_ids)

    def test_the_last_visit_counts_within_the_setting_days_and_only_with_notes(self):
        customer = self.make_customer("Birch Offices", ("phone_email",))
        self.visit(customer, days_ago=91)
        self.assertIn("visit_notes", self.missing(self.card(customer)), "91 days ago: beyond the 90 days")
        self.env["ir.config_parameter"].sudo().set_param("crm_relationship.datacard_visit_days", 120)
        self.assertNotIn("visit_notes", self.missing(self.card(customer)))
        self.visit(customer, days_ago=3, note="<p><br></p>")
        self.assertIn("visit_notes", self.missing(self.card(customer)), "the last visit has no notes")

    def test_a_contact_person_needs_a_job_position_and_the_address_a_street_city_and_country(self):
        customer = self.make_customer("Birch Offices", ("phone_email",))
        person = self.env["res.partner"].create({"name": "Bea Birch", "parent_id": customer.id})
        customer.write({"street": "Rue Haute 1", "city": "Brussels"})
        self.assertEqual(self.missing(self.card(customer))[:2], ["contact_role", "address"])
        person.function = "Office Manager"
        customer.country_id = self.country
        self.assertNotIn("contact_role", self.missing(self.card(customer)))
        self.assertNotIn("address", self.missing(self.card(customer)))

    def test_the_wallet_estimate_counts_for_the_current_year_only(self):
        customer = self.make_customer("Birch Offices", ("phone_email",))
        self.env["crm.wallet.estimate"].create(
            {"partner_id": customer.id, "year": self.today.year - 1, "estimated_total_spend": 5000.0}
        )
        self.assertIn("wallet_estimate", self.missing(self.card(customer)))

    def test_a_salesperson_with_customers_at_100_and_50_percent_shows_75_percent_in_the_sales_measures(self):
        self.Criterion.search(
            [("company_id", "=", self.company.id), ("code", "not in", ("address", "phone_email"))]
        ).active = False
        complete = self.make_customer("Birch Offices", ("address", "phone_email"))
        half = self.make_customer("Cedar Rooms", ("phone_email",))
        self.assertEqual((self.card(complete).completeness, self.card(half).completeness), (100.0, 50.0))
        [(completeness,)] = (
            self.env["crm.sales.measure.report"]
            .with_user(self.sales_manager)
            ._read_group(
                [("user_id", "=", self.salesman.id), ("kind", "=", "datacard")], [], ["datacard_completeness:avg"]
            )
        )
        self.assertEqual(completeness, 75.0)
        [(user, average)] = self.Card._read_group(
            [("user_id", "=", self.salesman.id)], ["user_id"], ["completeness:avg"]
        )
        self.assertEqual((user, average), (self.salesman, 75.0))

    def test_the_monthly_job_asks_the_team_leader_once_a_month_to_review_each_salesperson_below_target(self):
        self.env["crm.team"].create(
            {
                "name": "Data card team",
                "user_id": self.sales_manager.id,
                "member_ids": [(6, 0, (self.salesman | self.other_salesman).ids)],
            }
        )
        self.Criterion.search(
            [("company_id", "=", self.company.id), ("code", "not in", ("address", "phone_email"))]
        ).active = False
        self.make_customer("Birch Offices", ("address", "phone_email"))
        self.make_customer("Cedar Rooms", ("phone_email",))  # Sam: 75 %, below the 80 % target
        self.make_customer("Elm Studios", ("address", "phone_email"), user=self.other_salesman)  # Olga: 100 %
        self.Card._refresh(companies=self.company, today=self.today)
        may = date(2031, 5, 14)
        ours = (self.salesman | self.other_salesman).partner_id

        created = self.Card._review_salespeople(today=may)
        reviews = created.filtered(lambda a: a.res_id in ours.ids)
        self.assertEqual(len(reviews), 1)
        self.assertEqual(
            (reviews.res_model, reviews.res_id, reviews.user_id, reviews.date_deadline),
            ("res.partner", self.salesman.partner_id.id, self.sales_manager, date(2031, 5, 31)),
        )
        self.assertEqual(reviews.activity_type_id, self.env.ref("crm_relationship.mail_activity_type_datacard_review"))
        self.assertIn("75 % complete", str(reviews.note))
        self.assertEqual(reviews.summary, f"Review {self.salesman.name}'s customer data cards")

        self.assertFalse(self.Card._review_salespeople(today=date(2031, 5, 28)), "one open review a month")
        june = self.Card._review_salespeople(today=date(2031, 6, 2)).filtered(lambda a: a.res_id in ours.ids)
        self.assertEqual((june.res_id, june.date_deadline), (self.salesman.partner_id.id, date(2031, 6, 30)))

        self.env["ir.config_parameter"].sudo().set_param("crm_relationship.datacard_target", 70)
        self.assertFalse(
            self.Card._review_salespeople(today=date(2031, 7, 1)).filtered(lambda a: a.res_id in ours.ids),
            "75 % meets a 70 % target",
        )

    def test_the_monthly_review_reads_in_the_reviewers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.sales_manager.lang = "ru_RU"
        self.env["crm.team"].create(
            {"name": "Data card team", "user_id": self.sales_manager.id, "member_ids": [(6, 0, self.salesman.ids)]}
        )
        self.Criterion.search(
            [("company_id", "=", self.company.id), ("code", "not in", ("address", "phone_email"))]
        ).active = False
        self.make_customer("Cedar Rooms", ("phone_email",))  # Sam: 50 %, below the 80 % target
        self.Card._refresh(companies=self.company, today=self.today)
        review = self.Card._review_salespeople(today=date(2031, 5, 14)).filtered(
            lambda activity: activity.res_id == self.salesman.partner_id.id
        )
        self.assertEqual(
            (review.user_id, review.summary),
            (self.sales_manager, f"Проверить карточки клиентов продавца {self.salesman.name}"),
        )

    def test_the_refresh_reads_all_customers_in_the_same_number_of_queries(self):
        self.make_customer("Birch Offices", ("address",))
        self.Card._refresh(companies=self.company, today=self.today)  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Card._refresh(companies=self.company, today=self.today)
        few = self.env.cr.sql_log_count - before
        for index in range(20):
            self.make_customer(f"Bulk customer {index}", ("address", "phone_email", "contact_role"))
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Card._refresh(companies=self.company, today=self.today)
        self.assertEqual(self.env.cr.sql_log_count - before, few)

    def test_a_new_company_gets_its_own_items_and_archives_them_for_itself(self):
        company_b = self.env["res.company"].create({"name": "Datacard Company B"})
        shipped = self.Criterion.with_context(active_test=False).search([("company_id", "=", self.company.id)])
        items_b = self.Criterion.with_context(active_test=False).search([("company_id", "=", company_b.id)])
        self.assertEqual(
            sorted(items_b.mapped(lambda c: (c.code, c.name, c.active))),
            sorted(shipped.mapped(lambda c: (c.code, c.name, c.active))),
            "copies of the shipped items as the main company keeps them",
        )
        items_b.filtered(lambda c: c.code == "strategy").active = False
        self.assertTrue(self.item("strategy").active)

    def test_salespeople_read_the_cards_of_their_companies_and_change_neither_cards_nor_items(self):
        customer = self.make_customer("Birch Offices", ("address",), user=self.other_salesman)
        card = self.card(customer)
        self.assertEqual(
            self.Card.with_user(self.salesman).search([("partner_id", "=", customer.id)]),
            card,
            "like the customer values, a salesperson reads every customer's card of his company",
        )
        with self.assertRaises(AccessError):
            card.with_user(self.salesman).write({"completeness": 100.0})
        with self.assertRaises(AccessError):
            card.with_user(self.salesman).unlink()
        with self.assertRaises(AccessError):
            self.item("address").with_user(self.salesman).write({"active": False})
        with self.assertRaises(AccessError):
            self.Card.with_user(self.salesman).action_refresh()
        with self.assertRaises(AccessError):
            self.env["crm.sales.measure.report"].with_user(self.salesman).search([("kind", "=", "datacard")])
        card.invalidate_recordset()
        self.assertEqual((card.exists(), round(card.completeness)), (card, 17))
        self.assertTrue(self.item("address").active)

        self.item("address").with_user(self.sales_manager).write({"active": False})
        self.assertFalse(self.item("address").active)

    def test_a_card_of_another_company_is_out_of_reach(self):
        company_b = self.env["res.company"].create({"name": "Datacard Company B"})
        customer = self.make_customer("Birch Offices", ("address",))
        self.Card._refresh(companies=company_b, today=self.today)
        card_b = self.Card.search([("company_id", "=", company_b.id), ("partner_id", "=", customer.id)])
        self.assertTrue(card_b)
        manager = new_test_user(
            self.env, login="datacard_manager_a", groups="sales_team.group_sale_manager", company_id=self.company.id
        )
        self.assertFalse(self.Card.with_user(manager).search([("id", "=", card_b.id)]))
        with self.assertRaises(AccessError):
            card_b.with_user(manager).read(["completeness"])
        with self.assertRaises(AccessError):
            card_b.with_user(manager).unlink()
        item_b = self.item("address", company=company_b)
        with self.assertRaises(AccessError):
            item_b.with_user(manager).write({"active": False})
        self.assertTrue(card_b.exists() and item_b.active)

    def test_settings_refuse_a_target_beyond_100_and_a_visit_window_under_a_day(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaisesRegex(ValidationError, "Data Card Target"):
            Settings.create({"crm_datacard_target": 150.0})
        with self.assertRaisesRegex(ValidationError, "Visit Notes Within"):
            Settings.create({"crm_datacard_visit_days": 0})
