"""The three modules installed together: menus, groups and access rights are in place."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
ROOT_MENUS = (
    "crm_relationship.menu_crm_relationship_root",
    "crm_key_accounts.menu_key_accounts_root",
    "crm_quality_feedback.menu_quality_feedback_root",
)
GROUPS = (
    "crm_relationship.group_relationship_user",
    "crm_relationship.group_relationship_manager",
    "crm_key_accounts.group_key_account_manager",
    "crm_key_accounts.group_key_account_director",
    "crm_quality_feedback.group_quality_user",
    "crm_quality_feedback.group_quality_manager",
)


class TestSuiteInstalled(TransactionCase):
    # outside odoo.addons the test framework cannot derive these
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.our_models = (
            cls.env["ir.model"]
            .search([("model", "in", list(cls.env.registry))])
            .filtered(
                lambda model: cls.env[model.model]._original_module in MODULES and not cls.env[model.model]._abstract
            )
        )
        cls.plain_user = new_test_user(cls.env, login="suite_plain_user", groups="base.group_user")

    def test_all_three_modules_are_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", MODULES)])
        self.assertEqual(sorted(modules.mapped("state")), ["installed"] * 3)

    def test_our_models_exist(self):
        self.assertIn("crm.customer.value", self.our_models.mapped("model"))
        self.assertIn("crm.key.account.plan", self.our_models.mapped("model"))
        self.assertIn("crm.quality.action", self.our_models.mapped("model"))

    def test_groups_exist_and_managers_imply_users(self):
        for xmlid in GROUPS:
            self.assertTrue(self.env.ref(xmlid, raise_if_not_found=False), xmlid)
        manager = self.env.ref("crm_quality_feedback.group_quality_manager")
        self.assertIn(self.env.ref("crm_quality_feedback.group_quality_user"), manager.trans_implied_ids)
        director = self.env.ref("crm_key_accounts.group_key_account_director")
        self.assertIn(self.env.ref("crm_key_accounts.group_key_account_manager"), director.trans_implied_ids)

    def test_three_menus_for_the_admin_none_for_a_plain_user(self):
        menus = [self.env.ref(xmlid) for xmlid in ROOT_MENUS]
        admin_visible = self.env["ir.ui.menu"].with_user(self.env.ref("base.user_admin"))._visible_menu_ids()
        plain_visible = self.env["ir.ui.menu"].with_user(self.plain_user)._visible_menu_ids()
        for menu in menus:
            self.assertIn(menu.id, admin_visible, menu.name)
            self.assertNotIn(menu.id, plain_visible, menu.name)
            self.assertTrue(menu.child_id, f"{menu.name} has entries")

    def test_every_model_has_access_rights(self):
        for model in self.our_models:
            with self.subTest(model=model.model):
                self.assertTrue(model.access_ids, f"{model.model} has no access rights")

    def test_plain_internal_user_cannot_read_our_models(self):
        for model in self.our_models:
            with self.subTest(model=model.model), self.assertRaises(AccessError):
                self.env[model.model].with_user(self.plain_user).check_access("read")
