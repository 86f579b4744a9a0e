from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestLoyaltyPackage(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: the demo customers stay out of the rules
        cls.loyal = cls.env["res.company"].create({"name": "Loyal Furniture"})
        cls.manager = new_test_user(
            cls.env,
            login="loyalty_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.loyal.id,
            company_ids=[Command.set([cls.loyal.id])],
        )
        cls.rep = new_test_user(
            cls.env,
            login="loyalty_rep",
            groups="sales_team.group_sale_salesman",
            company_id=cls.loyal.id,
            company_ids=[Command.set([cls.loyal.id])],
        )
        cls.key_pricelist = cls.env["product.pricelist"].create(
            {"name": "Key clients -10 %", "company_id": cls.loyal.id}
        )
        cls.sixty_days = cls.env["account.payment.term"].create({"name": "60 days", "company_id": cls.loyal.id})
        cls.package = cls.env["crm.loyalty.package"].create(
            {
                "name": "Key client",
                "company_id": cls.loyal.id,
                "min_revenue": 5000.0,
                "min_tenure_months": 12,
                "grace_days": 30,
                "pricelist_id": cls.key_pricelist.id,
                "payment_term_id": cls.sixty_days.id,
                "service_tier": "key",
            }
        )
        cls.alpha, cls.bravo, cls.newco = (
            cls.env["res.partner"].create({"name": name, "is_company": True})
            for name in ("Alpha Hotels", "Bravo Bakeries", "Newco Labs")
        )
        cls.Membership = cls.env["crm.loyalty.membership"].with_user(cls.manager).with_company(cls.loyal)

    def order(self, partner, price, days_ago, qty=1, pricelist=None):
        vals = {
            "partner_id": partner.id,
            "company_id": self.loyal.id,
            "order_line": [
                Command.create(
                    {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": price, "purchase_price": 600}
                )
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = self.env["sale.order"].with_company(self.loyal).create(vals)
        order.action_confirm()
        order.date_order = fields.Datetime.to_datetime(self.days_ago(days_ago)) + timedelta(hours=10)
        return order

    def customers_with_history(self):
        # Alpha: 6,000 in the last year, a customer for 13 months; Bravo: 1,000; Newco: 8,000 but new
        self.order(self.alpha, 1000.0, days_ago=400)
        self.order(self.alpha, 6000.0, days_ago=20)
        self.order(self.bravo, 500.0, days_ago=400)
        self.order(self.bravo, 1000.0, days_ago=20)
        self.order(self.newco, 8000.0, days_ago=30)

    def refresh(self, days_later=0):
        self.env["crm.loyalty.membership"]._refresh(companies=self.loyal, today=self.today + timedelta(days=days_later))

    def membership(self, partner):
        return self.env["crm.loyalty.membership"].search([("partner_id", "=", partner.id)])

    def test_the_job_grants_the_package_to_the_eligible_customer_with_its_privileges(self):
        self.customers_with_history()
        buyer = self.env["res.partner"].create({"name": "Ann Alpha", "parent_id": self.alpha.id})
        self.refresh()
        granted = self.env["crm.loyalty.membership"].search(
            [("package_id", "=", self.package.id), ("state", "=", "granted")]
        )
        self.assertEqual(granted.partner_id, self.alpha)
        alpha = self.alpha.with_company(self.loyal)
        self.assertEqual(
            (alpha.specific_property_product_pricelist, alpha.property_payment_term_id, alpha.service_tier),
            (self.key_pricelist, self.sixty_days, "key"),
        )
        # the customer's contacts order under the package too
        buyer = buyer.with_company(self.loyal)
        self.assertEqual(
            (buyer.property_product_pricelist, buyer.property_payment_term_id), (self.key_pricelist, self.sixty_days)
        )
        self.assertEqual((granted.previous_service_tier, granted.previous_payment_term_id.id), ("standard", False))
        self.assertEqual(granted.last_reason, "Meets the rules of Key client.")
        self.assertIn("Package Key client granted", self.alpha.message_ids[0].body)
        self.assertEqual(self.package.member_count, 1)

    def test_a_customer_no_longer_eligible_keeps_the_package_through_the_grace_period_then_loses_it(self):
        self.customers_with_history()
        self.refresh()
        self.package.min_revenue = 100000.0
        self.refresh()
        membership = self.membership(self.alpha)
        self.assertEqual((membership.state, membership.grace_until), ("grace", self.today + timedelta(days=30)))
        self.assertEqual(
            membership.last_reason,
            "No longer meets the rules of Key client: revenue of the last 12 months below 100000.0.",
        )
        self.refresh(days_later=29)
        self.assertEqual(membership.state, "grace")
        self.refresh(days_later=30)
        self.assertEqual((membership.state, membership.date_revoked), ("revoked", self.today + timedelta(days=30)))
        alpha = self.alpha.with_company(self.loyal)
        self.assertFalse(alpha.specific_property_product_pricelist)  # back to the company's default
        self.assertEqual((alpha.property_payment_term_id.id, alpha.service_tier), (False, "standard"))
        self.assertIn("Package Key client revoked", self.alpha.message_ids[0].body)

    def test_a_customer_with_his_own_pricelist_and_terms_gets_them_back_on_revocation(self):
        self.customers_with_history()
        own_pricelist = self.env["product.pricelist"].create({"name": "Alpha's contract", "company_id": self.loyal.id})
        thirty_days = self.env["account.payment.term"].create({"name": "30 days", "company_id": self.loyal.id})
        alpha = self.alpha.with_company(self.loyal)
        alpha.write(
            {
                "specific_property_product_pricelist": own_pricelist.id,
                "property_payment_term_id": thirty_days.id,
                "service_tier": "priority",
            }
        )
        self.refresh()
        membership = self.membership(self.alpha)
        self.assertEqual(
            (membership.previous_pricelist_id, membership.previous_payment_term_id, membership.previous_service_tier),
            (own_pricelist, thirty_days, "priority"),
        )
        self.assertEqual(alpha.specific_property_product_pricelist, self.key_pricelist)
        self.package.write({"min_revenue": 100000.0, "grace_days": 0})
        self.refresh()
        self.assertEqual(membership.state, "revoked")
        alpha.invalidate_recordset()
        self.assertEqual(
            (alpha.specific_property_product_pricelist, alpha.property_payment_term_id, alpha.service_tier),
            (own_pricelist, thirty_days, "priority"),
        )

    def test_eligible_again_in_the_grace_period_keeps_the_package_without_a_new_grant(self):
        self.customers_with_history()
        self.refresh()
        self.package.min_revenue = 100000.0
        self.refresh()
        self.package.min_revenue = 5000.0
        self.refresh(days_later=5)
        membership = self.membership(self.alpha)
        self.assertEqual(
            (membership.state, membership.grace_until, membership.date_granted), ("granted", False, self.today)
        )

    def test_a_manager_pins_an_ineligible_customer_and_excludes_an_eligible_one(self):
        self.customers_with_history()
        bravo = self.Membership.create({"package_id": self.package.id, "partner_id": self.bravo.id})
        alpha = self.Membership.create({"package_id": self.package.id, "partner_id": self.alpha.id})
        bravo.action_pin()
        alpha.action_exclude()
        self.refresh()
        self.refresh(days_later=60)
        self.assertEqual((bravo.state, bravo.manual_status), ("granted", "pinned"))
        self.assertEqual((alpha.state, alpha.manual_status), ("candidate", "excluded"))
        self.assertEqual(self.bravo.with_company(self.loyal).property_product_pricelist, self.key_pricelist)
        with self.assertRaisesRegex(UserError, "Only a Relationship Manager pins"):
            alpha.with_user(self.rep).action_pin()

    def test_a_customer_excluded_from_the_first_package_gets_the_next_one_he_qualifies_for(self):
        self.customers_with_history()
        regular = self.env["crm.loyalty.package"].create(
            {"name": "Regular customer", "company_id": self.loyal.id, "sequence": 20, "min_revenue": 500.0}
        )
        self.refresh()
        self.membership(self.alpha).filtered(lambda m: m.package_id == self.package).action_exclude()
        self.refresh()
        self.assertEqual(
            sorted((m.package_id.name, m.state, m.manual_status, m.last_reason) for m in self.membership(self.alpha)),
            [
                ("Key client", "revoked", "excluded", "Excluded by a manager."),
                ("Regular customer", "granted", "rules", "Meets the rules of Regular customer."),
            ],
        )
        alpha = self.alpha.with_company(self.loyal)
        # Regular customer sets no privilege: the key client's are given back
        self.assertEqual((alpha.specific_property_product_pricelist.id, alpha.service_tier), (False, "standard"))
        self.assertEqual(
            [message.body for message in self.alpha.message_ids[:2]],
            [
                "Package Regular customer granted: Meets the rules of Regular customer.",
                "Package Key client revoked: Excluded by a manager.",
            ],
        )
        self.assertEqual(regular.member_count, 3)

    def test_a_customer_eligible_for_two_packages_gets_the_first_in_sequence(self):
        self.customers_with_history()
        regular = self.env["crm.loyalty.package"].create(
            {"name": "Regular customer", "company_id": self.loyal.id, "sequence": 20, "min_revenue": 500.0}
        )
        self.refresh()
        self.assertEqual(self.membership(self.alpha).package_id, self.package)
        self.assertEqual(
            self.env["crm.loyalty.membership"].search([("package_id", "=", regular.id)]).partner_id,
            self.bravo | self.newco,
        )

    def test_a_customer_moves_to_a_better_package_and_a_manager_pins_another_in_one_refresh(self):
        self.customers_with_history()
        regular = self.env["crm.loyalty.package"].create(
            {"name": "Regular customer", "company_id": self.loyal.id, "sequence": 20, "min_revenue": 500.0}
        )
        self.package.min_revenue = 100000.0
        self.refresh()
        self.assertEqual(self.membership(self.alpha).package_id, regular)
        self.package.min_revenue = 5000.0
        self.refresh()
        moved = self.membership(self.alpha)
        self.assertEqual(
            sorted((m.package_id.name, m.state, m.last_reason) for m in moved),
            [
                ("Key client", "granted", "Meets the rules of Key client."),
                ("Regular customer", "revoked", "Now eligible for Key client."),
            ],
        )
        pinned = self.Membership.create({"package_id": self.package.id, "partner_id": self.bravo.id})
        pinned.action_pin()
        self.assertEqual(
            sorted((m.package_id.name, m.state) for m in self.membership(self.bravo)),
            [("Key client", "granted"), ("Regular customer", "revoked")],
        )

    def test_the_discount_given_under_the_package_pricelist_is_booked_once_per_period(self):
        self.customers_with_history()
        self.refresh()
        # 2 desks listed at 1,000, sold at 900 under the key pricelist: 200 given away
        self.order(self.alpha, 900.0, days_ago=0, qty=2, pricelist=self.key_pricelist)
        self.order(self.bravo, 900.0, days_ago=0, qty=2, pricelist=self.key_pricelist)  # not a member
        period = self.env["crm.revenue.source"]._period(self.today.replace(day=1), months=1)
        Package = self.env["crm.loyalty.package"]
        booked = Package._book_privilege_costs(period, companies=self.loyal)
        self.assertEqual(
            [(cost.partner_id, cost.amount, cost.cost_type, cost.date) for cost in booked],
            [(self.alpha, 200.0, "loyalty_privileges", period.last_day)],
        )
        self.assertFalse(Package._book_privilege_costs(period, companies=self.loyal))

    def test_the_job_state_cannot_be_forged_and_other_companies_see_nothing(self):
        self.customers_with_history()
        self.refresh()
        membership = self.membership(self.alpha).with_user(self.manager)
        for vals in ({"state": "revoked"}, {"manual_status": "pinned"}, {"previous_service_tier": "key"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "written by its process"):
                membership.write(vals)
        self.assertEqual(membership.state, "granted")
        with self.assertRaises(AccessError):
            self.package.with_user(self.rep).write({"min_revenue": 1.0})
        self.assertFalse(
            self.env["crm.loyalty.membership"]
            .with_user(self.sales_manager)
            .search([])
            .filtered(lambda m: m.company_id == self.loyal)
        )
        with self.assertRaises(AccessError):
            membership.with_user(self.sales_manager).read(["state"])
