from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestStrategy(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.protect = cls.env.ref("crm_relationship.strategy_protect")
        cls.end = cls.env.ref("crm_relationship.strategy_end")
        cls.win_back = cls.env.ref("crm_relationship.strategy_win_back")
        cls.loss_reason = cls.env.ref("crm.lost_reason_1")

    def test_the_seven_strategies_ship_with_activity_plans(self):
        strategies = self.env["crm.relationship.strategy"].search([])
        self.assertEqual(
            set(strategies.mapped("code")),
            {"protect", "reengineer", "enhance", "harvest", "end", "win_back", "start"},
        )
        for strategy in strategies:
            self.assertTrue(strategy.description, strategy.name)
            self.assertEqual(strategy.activity_plan_id.res_model, "res.partner", strategy.name)
            self.assertTrue(strategy.activity_plan_id.template_ids, strategy.name)

    def test_assigning_a_strategy_records_it_and_launches_its_plan(self):
        self.flush_tracking()  # changes right after creation are not tracked
        customer = self.customer.with_user(self.salesman)
        customer.write(
            {"relationship_strategy_id": self.protect.id, "relationship_strategy_reason": "Competitor offer"}
        )
        self.flush_tracking()
        # the salesperson's own date (time zone), not the server's
        self.assertEqual(customer.relationship_strategy_date, fields.Date.context_today(customer))
        self.assertEqual(customer.relationship_strategy_user_id, self.salesman)
        steps = self.protect.activity_plan_id.template_ids
        activities = self.customer.activity_ids
        self.assertEqual(sorted(activities.mapped("summary")), sorted(steps.mapped("summary")))
        self.assertEqual(activities.user_id, self.salesman, "the customer's salesperson gets the activities")
        tracked = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "relationship_strategy_id"
        )
        self.assertEqual(tracked.new_value_char, "Protect")

    def test_win_back_needs_a_loss_reason(self):
        with self.assertRaisesRegex(ValidationError, "Loss Reason"):
            self.customer.with_user(self.salesman).relationship_strategy_id = self.win_back
        self.customer.with_user(self.salesman).write(
            {"relationship_strategy_id": self.win_back.id, "customer_loss_reason_id": self.loss_reason.id}
        )
        self.assertEqual(self.customer.relationship_strategy_id, self.win_back)
        with self.assertRaisesRegex(ValidationError, "Loss Reason"):
            self.customer.customer_loss_reason_id = False

    def test_end_needs_a_manager(self):
        with self.assertRaisesRegex(AccessError, "Relationship Manager"):
            self.customer.with_user(self.salesman).relationship_strategy_id = self.end
        self.customer.with_user(self.sales_manager).relationship_strategy_id = self.end
        self.assertEqual(self.customer.relationship_strategy_id, self.end)

    def test_lifting_the_end_strategy_needs_a_manager(self):
        self.customer.with_user(self.sales_manager).relationship_strategy_id = self.end
        # the RPC calls of a salesperson lifting it: another strategy, none, or through the wizard
        attacks = (
            lambda: self.customer.with_user(self.salesman).write({"relationship_strategy_id": self.protect.id}),
            lambda: self.customer.with_user(self.salesman).write({"relationship_strategy_id": False}),
            lambda: (
                self.env["crm.strategy.assign"]
                .with_user(self.salesman)
                .create({"partner_ids": [(6, 0, self.contact.ids)], "strategy_id": self.protect.id})
                .action_apply()
            ),
        )
        for attack in attacks:
            with self.assertRaisesRegex(AccessError, "Only a Relationship Manager can lift the End strategy"):
                attack()
            self.assertEqual(
                (self.customer.relationship_strategy_id, self.customer.relationship_strategy_user_id),
                (self.end, self.sales_manager),
            )
        self.customer.with_user(self.sales_manager).relationship_strategy_id = self.protect
        self.assertEqual(self.customer.relationship_strategy_id, self.protect)

    def test_end_blocks_confirming_a_quotation(self):
        quotation = self.place_order(self.contact, 500.0, confirm=False)
        self.customer.with_user(self.sales_manager).relationship_strategy_id = self.end
        with self.assertRaisesRegex(UserError, "Northwind Offices"):
            quotation.with_user(self.salesman).action_confirm()
        self.assertEqual(quotation.state, "draft")
        self.env["ir.config_parameter"].set_param("crm_relationship.end_blocks_quotations", False)
        quotation.with_user(self.salesman).action_confirm()
        self.assertEqual(quotation.state, "sale")

    def test_wizard_assigns_several_customers(self):
        other = self.env["res.partner"].create({"name": "Contoso", "is_company": True})
        wizard = (
            self.env["crm.strategy.assign"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_ids": [(6, 0, [self.contact.id, other.id])],
                    "strategy_id": self.win_back.id,
                    "loss_reason_id": self.loss_reason.id,
                    "reason": "Both left for a cheaper supplier",
                }
            )
        )
        wizard.action_apply()
        for partner in self.customer | other:
            self.assertEqual(partner.relationship_strategy_id, self.win_back)
            self.assertEqual(partner.customer_loss_reason_id, self.loss_reason)
            self.assertEqual(partner.relationship_strategy_reason, "Both left for a cheaper supplier")
        self.assertFalse(self.contact.relationship_strategy_id, "the strategy goes on the company, not the person")
